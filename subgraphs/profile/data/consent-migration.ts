import type { AnyBulkWriteOperation } from 'mongoose';
import { purposesFromLegacy } from '../domain/consent/consent-purposes.js';
import type { MemberDocument, MemberModel } from './member-model.js';

export interface ConsentMigrationSummary {
  /** Members with at least one link in the single-purpose shape. */
  membersMigrated: number;
  linksMigrated: number;
}

/**
 * Rewrites every link still holding the single-purpose consent (`links[].consent`) to one answer per purpose
 * (`purposesFromLegacy`). Each member is one conditional update guarded by the legacy field still being there,
 * so the migration is idempotent and safe to run while members answer (their answer wins, and a member whose
 * update lost the race is simply skipped: their answer already converted the link). Readers accept both shapes
 * meanwhile (`consentsOfLink`).
 */
export async function migrateLegacyConsents(
  Member: MemberModel,
  onProgress: (done: number) => void = () => undefined,
  batchSize = 500,
): Promise<ConsentMigrationSummary> {
  const summary: ConsentMigrationSummary = { membersMigrated: 0, linksMigrated: 0 };
  const cursor = Member.find({ 'links.consent': { $exists: true } })
    .lean<MemberDocument[]>()
    .cursor({ batchSize });
  let batch: AnyBulkWriteOperation<MemberDocument>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await Member.bulkWrite(batch, { ordered: false });
    summary.membersMigrated += result.modifiedCount;
    batch = [];
    onProgress(summary.membersMigrated);
  };
  for await (const member of cursor as AsyncIterable<MemberDocument>) {
    const legacy = member.links.filter((l) => l.consent && !l.consents);
    if (legacy.length === 0) continue;
    summary.linksMigrated += legacy.length;
    batch.push({
      updateOne: {
        // Guard: the links are as read (no answer since), so no answer is overwritten.
        filter: { _id: member._id, consentRevision: member.consentRevision ?? { $in: [null, 0] } },
        update: {
          $set: {
            links: member.links.map((l) =>
              l.consent && !l.consents
                ? {
                    partner: l.partner,
                    partnerMemberId: l.partnerMemberId,
                    linkedAt: l.linkedAt,
                    consents: purposesFromLegacy(l.consent),
                  }
                : l,
            ),
          },
        },
      },
    });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return summary;
}
