import type { MemberDocument, MemberModel } from './member-model.js';
import type { MemberLifecycleStore } from './member-lifecycle-store.js';

export interface LinkBackfillSummary {
  members: number;
  links: number;
}

/**
 * For links made before account holders and link announcements existed (seeded or migrated members): records
 * each account's holder (if no one holds it) and announces the link to its brand through the lifecycle
 * outbox, so the brand's account names the member. Idempotent (holders are upserts, announcements keyed by
 * the link) and safe while serving; the profile service publishes the announcements.
 */
export async function backfillLinks(
  Member: MemberModel,
  lifecycle: MemberLifecycleStore,
  onProgress: (done: number) => void = () => undefined,
): Promise<LinkBackfillSummary> {
  const summary: LinkBackfillSummary = { members: 0, links: 0 };
  const cursor = Member.find({ 'links.0': { $exists: true } }, { links: 1 })
    .lean<MemberDocument[]>()
    .cursor({ batchSize: 500 });
  for await (const member of cursor as AsyncIterable<MemberDocument>) {
    for (const link of member.links) {
      await lifecycle.recordHolder(member._id, link.partner, link.partnerMemberId, link.linkedAt);
      await lifecycle.announceLink(member, link.partner);
      summary.links += 1;
    }
    summary.members += 1;
    if (summary.members % 500 === 0) onProgress(summary.members);
  }
  return summary;
}
