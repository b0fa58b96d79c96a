import type { BrandModels, EventDocument } from '../data/brand-models.js';
import type { GuardedEventWriter } from './guarded-event-writer.js';
import type { StoredEventDocument } from './stored-event.js';
import { readStoredEvent } from './stored-event.js';

/** Events a sweep handles at most; the next sweep takes the rest. */
const SWEEP_LIMIT = 1_000;
const TIDY_LIMIT = 5_000;

/**
 * The recovery sweep of the write protocol (see GuardedEventWriter): finishes events a crash left `received`
 * for longer than the grace period, and removes from `pendingEventIds` the ids of events applied longer than
 * the grace period ago (step 5).
 */
export class IngestRecovery {
  constructor(
    private readonly models: BrandModels,
    private readonly writer: GuardedEventWriter,
  ) {}

  /**
   * Returns how many events it finished. An event document that cannot be read back is left as it is and
   * reported by throwing once the others are done.
   */
  async recover(graceMs = 30_000): Promise<number> {
    const cutoff = new Date(this.writer.now().getTime() - graceMs);
    // An event is published only once applied, so every received one is unpublished: saying so lets the
    // query use the index of unpublished events.
    const stuck = await this.models.Event.find({
      published: false,
      state: 'received',
      receivedAt: { $lte: cutoff },
    })
      .limit(SWEEP_LIMIT)
      .lean<StoredEventDocument[]>();
    const reads = stuck.map((doc) => readStoredEvent(doc, this.writer.partner));
    const readable = reads.flatMap((r) => (r.ok ? [r.accepted] : []));
    await this.writer.complete(readable);
    await this.tidyGuards(cutoff);
    const unreadable = reads.flatMap((r) => (r.ok ? [] : [r.reason]));
    if (unreadable.length > 0) {
      throw new Error(`${unreadable.length} stuck event(s) left as they are: ${unreadable.join('; ')}`);
    }
    return readable.length;
  }

  /**
   * Step 5 for every event applied so far, whatever its age; returns how many it tidied. Only for a writer
   * that knows nothing else is writing (a seed writing history): the grace period is what keeps a guard
   * while a delivery may still be in flight.
   */
  async releaseAllGuards(): Promise<number> {
    const end = new Date(8.64e15); // the latest date there is
    let tidied = 0;
    for (let n = await this.tidyGuards(end); n > 0; n = await this.tidyGuards(end)) tidied += n;
    return tidied;
  }

  /** Step 5: `$pull` settled ids from their accounts' guards, then mark those events as tidied. */
  private async tidyGuards(cutoff: Date): Promise<number> {
    const { Account, Event } = this.models;
    const settled = await Event.find(
      { guardHeld: true, state: 'applied', appliedAt: { $lte: cutoff } },
      { brandMemberId: 1 },
    )
      .limit(TIDY_LIMIT)
      .lean<Pick<EventDocument, '_id' | 'brandMemberId'>[]>();
    if (settled.length === 0) return 0;
    const byAccount = new Map<string, string[]>();
    for (const { _id, brandMemberId } of settled) {
      const ids = byAccount.get(brandMemberId) ?? [];
      ids.push(_id);
      byAccount.set(brandMemberId, ids);
    }
    await Account.bulkWrite(
      [...byAccount].map(([accountId, ids]) => ({
        updateOne: { filter: { _id: accountId }, update: { $pull: { pendingEventIds: { $in: ids } } } },
      })),
      { ordered: false },
    );
    await Event.updateMany({ _id: { $in: settled.map((e) => e._id) } }, { $unset: { guardHeld: 1 } });
    return settled.length;
  }
}
