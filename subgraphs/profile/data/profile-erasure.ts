import type { Connection } from 'mongoose';
import type { StoreErasureReceipt } from '../../shared/events/member-lifecycle-message.js';
import { erasureCount } from '../../shared/events/member-lifecycle-message.js';
import type { AccessLogModel } from './access-log.js';
import type { LifecycleOutboxModel } from './lifecycle-outbox.js';
import type { AccountHolderModel, LinkCodeModel } from './member-lifecycle-store.js';
import type { MemberModel } from './member-model.js';
import type { ProfileCache } from './profile-cache.js';

export interface ProfileErasureStores {
  members: MemberModel;
  holders: AccountHolderModel;
  linkCodes: LinkCodeModel;
  accessLog: AccessLogModel;
  outbox: LifecycleOutboxModel;
  /** The profile database, for the intelligence features and stored tiers (keyed by member id). */
  connection: Connection;
  cache: ProfileCache;
  /** Writes the access log's buffered entries, so none for the member lands after the delete. */
  flushAccessLog: () => Promise<void>;
}

/**
 * Deletes everything the profile holds about a member: the member (links, consent and its history), the
 * account holders, the link codes issued for or redeemed by them, the access log, the link announcements,
 * the intelligence features, the stored tier and the cached profile. Every delete is keyed by the member or
 * their accounts, so a repeat removes nothing more.
 */
export async function eraseProfileData(
  stores: ProfileErasureStores,
  memberId: string,
  accounts: Record<string, string>,
  at: Date,
): Promise<StoreErasureReceipt> {
  await stores.flushAccessLog();
  const codesFor = Object.entries(accounts).map(([partner, partnerMemberId]) => ({
    partner,
    partnerMemberId,
  }));
  const [member, holders, redeemed, issued, log, outbox, features, tiers] = await Promise.all([
    stores.members.deleteOne({ _id: memberId }),
    stores.holders.deleteMany({ memberId }),
    stores.linkCodes.deleteMany({ redeemedBy: memberId }),
    // One delete per account: each is an index scan of `{ partner, partnerMemberId }` (an `$or` may not be).
    Promise.all(codesFor.map((account) => stores.linkCodes.deleteMany(account))).then((results) => ({
      deletedCount: results.reduce((sum, r) => sum + r.deletedCount, 0),
    })),
    stores.accessLog.deleteMany({ memberId }),
    stores.outbox.deleteMany({ memberId }),
    stores.connection.collection('member_features').deleteOne({ _id: memberId as never }),
    stores.connection.collection('member_tiers').deleteOne({ _id: memberId as never }),
  ]);
  await stores.cache.invalidate(memberId);
  return {
    store: 'profile',
    counts: [
      erasureCount('members', { deleted: member.deletedCount }),
      erasureCount('accountHolders', { deleted: holders.deletedCount }),
      erasureCount('linkCodes', { deleted: redeemed.deletedCount + issued.deletedCount }),
      erasureCount('accessLog', { deleted: log.deletedCount }),
      erasureCount('lifecycleOutbox', { deleted: outbox.deletedCount }),
      erasureCount('member_features', { deleted: features.deletedCount }),
      erasureCount('member_tiers', { deleted: tiers.deletedCount }),
    ],
    at: at.toISOString(),
  };
}
