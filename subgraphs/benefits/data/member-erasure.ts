import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { StoreErasureReceipt } from '../../shared/events/member-lifecycle-message.js';
import { erasureCount } from '../../shared/events/member-lifecycle-message.js';
import { anonymiseMemberRollups } from './ledger-rollups.js';

/** Collections keyed by the member that erasure deletes outright, and the field that names the member. */
const DELETED: readonly { collection: string; field: '_id' | 'memberId' }[] = [
  { collection: 'wallets', field: '_id' },
  { collection: 'member_tiers', field: '_id' },
  { collection: 'member_facts', field: '_id' },
  { collection: 'member_activity_days', field: 'memberId' },
  { collection: 'campaign_participants', field: 'memberId' },
];

/**
 * Collections whose amounts settlement and the programme's figures must keep: the member id is replaced by
 * a pseudonym drawn for this erasure (random, so it cannot be recomputed from the id).
 */
const ANONYMISED: readonly string[] = ['points_ledger', 'redemptions'];

/** Indexes the erasure's filters need that the features' own indexes do not give. */
export async function createErasureIndexes(connection: Connection): Promise<void> {
  await connection.collection('campaign_participants').createIndex({ memberId: 1 });
}

/**
 * Erases a member from the benefits store (docs/architecture.md §7): the wallet and every per-member
 * document are deleted; ledger entries, their summaries and redemptions keep their amounts under a pseudonym. Each write is
 * keyed by the member id, so a repeat finds nothing left and changes nothing.
 */
export async function eraseBenefitsData(
  connection: Connection,
  memberId: string,
  at: Date,
): Promise<StoreErasureReceipt> {
  const pseudonym = `erased-${randomBytes(8).toString('hex')}`;
  const deleted = await Promise.all(
    DELETED.map(async ({ collection, field }) => {
      const result = await connection.collection(collection).deleteMany({ [field]: memberId } as never);
      return erasureCount(collection, { deleted: result.deletedCount });
    }),
  );
  const anonymised = await Promise.all(
    ANONYMISED.map(async (collection) => {
      const result = await connection
        .collection(collection)
        .updateMany({ memberId }, { $set: { memberId: pseudonym } });
      return erasureCount(collection, { anonymised: result.modifiedCount });
    }),
  );
  const membership = erasureCount('memberships', {
    anonymised: await anonymiseMembership(connection, memberId, pseudonym),
  });
  const summaries = Object.entries(await anonymiseMemberRollups(connection, memberId, pseudonym)).map(
    ([collection, anonymised]) => erasureCount(collection, { anonymised }),
  );
  return {
    store: 'benefits',
    counts: [...deleted, ...anonymised, membership, ...summaries],
    at: at.toISOString(),
  };
}

/**
 * A membership is keyed by the member, and its fees stay in partners' settlement: it is moved to a pseudonym
 * in three repeatable steps, the pseudonym first recorded on the original so a repeat after a crash moves it
 * under the same one (the copy's insert is then a duplicate) and never counts a fee twice.
 */
async function anonymiseMembership(
  connection: Connection,
  memberId: string,
  pseudonym: string,
): Promise<number> {
  const memberships = connection.collection<{ _id: string; anonymisedAs?: string }>('memberships');
  await memberships.updateOne(
    { _id: memberId, anonymisedAs: { $exists: false } },
    { $set: { anonymisedAs: pseudonym } },
  );
  const original = await memberships.findOne({ _id: memberId });
  if (!original?.anonymisedAs) return 0;
  const { _id: _member, anonymisedAs, ...rest } = original;
  try {
    await memberships.insertOne({ ...rest, _id: anonymisedAs });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  return (await memberships.deleteOne({ _id: memberId })).deletedCount;
}
