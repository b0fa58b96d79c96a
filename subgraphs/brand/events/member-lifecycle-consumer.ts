import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type {
  MemberLifecycleMessage,
  StoreErasureReceipt,
} from '../../shared/events/member-lifecycle-message.js';
import {
  brandStoreName,
  decodeLifecycleMessage,
  encodeLifecycleMessage,
  erasureCount,
} from '../../shared/events/member-lifecycle-message.js';
import type { BrandModels } from '../data/brand-models.js';

/** What an erased account is replaced by where a record must stay (another member's referral of it). */
export const ERASED_ACCOUNT = 'erased';

/**
 * Applies the profile's announcements to this brand's store (docs/architecture.md §7):
 * - a link sets the account's `memberId`, so its new events earn joint points; an unlink clears it (only
 *   while the account still names that member, so a late unlink never undoes a newer link);
 * - an erasure deletes the member's accounts, orders, events (which are the outbox too) and referrals, and
 *   answers with a receipt on the same stream.
 * Every step is a conditional or keyed write: a redelivered message changes nothing more.
 */
export class BrandLifecycleApplier {
  constructor(
    private readonly partner: string,
    private readonly models: BrandModels,
    private readonly publish: (payloads: string[]) => Promise<unknown>,
    private readonly now: () => Date,
  ) {}

  async link(partnerMemberId: string, memberId: string): Promise<void> {
    // One account per member at a brand (unique index): a stale holder of the member id lets go first.
    await this.models.Account.updateMany(
      { memberId, _id: { $ne: partnerMemberId } },
      { $set: { memberId: null } },
    );
    await this.models.Account.updateOne({ _id: partnerMemberId }, { $set: { memberId } });
  }

  async unlink(partnerMemberId: string, memberId: string): Promise<void> {
    await this.models.Account.updateOne({ _id: partnerMemberId, memberId }, { $set: { memberId: null } });
  }

  /** Deletes everything this brand holds about the member; the receipt counts what this run removed. */
  async erase(memberId: string, accountId: string | undefined): Promise<StoreErasureReceipt> {
    const held = await this.models.Account.find({ memberId }, { _id: 1 }).lean<{ _id: string }[]>();
    const accounts = [...new Set([...held.map((a) => a._id), ...(accountId ? [accountId] : [])])];
    const filter = { brandMemberId: { $in: accounts } };
    const [orders, events, referred, referrals] = await Promise.all([
      this.models.Order.deleteMany(filter),
      this.models.Event.deleteMany(filter),
      this.models.Referral.deleteMany({ _id: { $in: accounts } }),
      this.models.Referral.deleteMany({ referrerBrandMemberId: { $in: accounts } }),
    ]);
    // Another member's referral of this account stays (it earned them points) without naming the account.
    const referredBy = await this.models.Event.updateMany(
      { 'payload.referredBrandMemberId': { $in: accounts } },
      { $set: { 'payload.referredBrandMemberId': ERASED_ACCOUNT } },
    );
    const removed = await this.models.Account.deleteMany({ _id: { $in: accounts } });
    return {
      store: brandStoreName(this.partner),
      counts: [
        erasureCount('accounts', { deleted: removed.deletedCount }),
        erasureCount('orders', { deleted: orders.deletedCount }),
        erasureCount('events', { deleted: events.deletedCount, anonymised: referredBy.modifiedCount }),
        erasureCount('referrals', { deleted: referred.deletedCount + referrals.deletedCount }),
      ],
      at: this.now().toISOString(),
    };
  }

  async apply(message: MemberLifecycleMessage): Promise<void> {
    if (message.kind === 'link' && message.partner === this.partner) {
      await this.link(message.partnerMemberId, message.memberId);
    } else if (message.kind === 'unlink' && message.partner === this.partner) {
      await this.unlink(message.partnerMemberId, message.memberId);
    } else if (message.kind === 'erase' && message.stores.includes(brandStoreName(this.partner))) {
      const receipt = await this.erase(message.memberId, message.accounts[this.partner]);
      await this.publish([
        encodeLifecycleMessage({ kind: 'erasure-receipt', jobId: message.jobId, receipt }),
      ]);
    }
  }

  /** The stream consumer's handler: in stream order, so an unlink and a later link apply in that order. */
  handler() {
    return async (entries: StreamEntry[]): Promise<void> => {
      for (const entry of entries) {
        const message = decodeLifecycleMessage(entry.payload);
        if (message) await this.apply(message);
      }
    };
  }
}
