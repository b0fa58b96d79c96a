import type { AnyBulkWriteOperation, Collection, Connection } from 'mongoose';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import type { PointsLedgerEntry, PointsLedgerModel } from './points-ledger.js';

/**
 * Summaries of the points ledger that the programme analytics read instead of every entry, kept by the
 * ledger's one insert path (`PointsLedger.appendMany`) and rebuilt from the ledger by replaying it.
 *
 * - `ledger_activity`: one document per member, programme month and partner the member earned at, with the
 *   first and last instant of those earnings (`$min`/`$max`). Whether a member was active at a partner in any
 *   window that spans two months or more follows exactly from them: the months inside are whole, and in the
 *   window's first (last) month the member was active iff their last (first) earning there is inside.
 * - `ledger_points_days`: one document per programme day and kind with the signed sum of its points and the
 *   ids of the entries summed, so a window reads whole days from here and only the partial days at its
 *   edges from the ledger.
 *
 * Every update is idempotent (`$min`/`$max`; a sum only moves when its entry's id is pushed, in the same
 * single-document update), so applying an entry twice changes nothing. That is what makes the summaries safe
 * without transactions: the wallet appends parked entries again after a crash (`recoverUnflushed`), the
 * replay may run beside live appends, and a retried append leaves the sums as they were.
 */
export interface ActivityRollup {
  _id: string;
  memberId: string;
  month: string;
  partner: string;
  first: Date;
  last: Date;
}

export interface PointsDayRollup {
  _id: string;
  kind: LedgerKind;
  /** Programme month of the day. */
  month: string;
  /** The programme day: first instant, and first instant of the next day. */
  start: Date;
  end: Date;
  points: number;
  ids: string[];
}

interface RollupState {
  _id: string;
  builtAt: Date;
}

type RollupEntry = Pick<PointsLedgerEntry, '_id' | 'memberId' | 'kind' | 'points' | 'partner' | 'occurredAt'>;

const DUPLICATE_KEY = 11000;
const STATE_ID = 'ledger-rollups';
const REPLAY_BATCH = 2_000;

export class LedgerRollups {
  readonly Activity: Collection<ActivityRollup>;
  readonly Days: Collection<PointsDayRollup>;
  private readonly State: Collection<RollupState>;
  private built = false;

  constructor(
    connection: Connection,
    private readonly calendar: ProgrammeCalendar,
  ) {
    this.Activity = connection.collection<ActivityRollup>('ledger_activity');
    this.Days = connection.collection<PointsDayRollup>('ledger_points_days');
    this.State = connection.collection<RollupState>('ledger_rollup_state');
  }

  async init(): Promise<void> {
    await Promise.all([this.Activity.createIndex({ month: 1 }), this.Days.createIndex({ start: 1 })]);
  }

  /** The programme day holding `at`: its key, month and bounds. */
  day(at: Date): { key: string; month: string; start: Date; end: Date } {
    const local = this.calendar.localDate(at);
    return {
      key: this.calendar.dayKey(at),
      month: this.calendar.monthKey(at),
      start: this.calendar.startOfDay(local),
      end: this.calendar.nextPeriodStart(at, 'DAY'),
    };
  }

  /** Adds entries to the summaries; entries already in them change nothing. */
  async apply(entries: readonly RollupEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const activity = new Map<string, ActivityRollup>();
    const days: { filter: object; update: object }[] = [];
    for (const e of entries) {
      const day = this.day(e.occurredAt);
      if (e.kind === 'earn') {
        const _id = `${e.memberId}|${day.month}|${e.partner}`;
        const seen = activity.get(_id);
        if (!seen) {
          activity.set(_id, {
            _id,
            memberId: e.memberId,
            month: day.month,
            partner: e.partner,
            first: e.occurredAt,
            last: e.occurredAt,
          });
        } else {
          if (e.occurredAt < seen.first) seen.first = e.occurredAt;
          if (e.occurredAt > seen.last) seen.last = e.occurredAt;
        }
      }
      days.push({
        filter: { _id: `${day.key}|${e.kind}`, ids: { $ne: e._id } },
        update: {
          $push: { ids: e._id },
          $inc: { points: e.points },
          $setOnInsert: { kind: e.kind, month: day.month, start: day.start, end: day.end },
        },
      });
    }
    const activityOps: AnyBulkWriteOperation<ActivityRollup>[] = [...activity.values()].map((a) => ({
      updateOne: {
        filter: { _id: a._id },
        update: {
          $min: { first: a.first },
          $max: { last: a.last },
          $setOnInsert: { memberId: a.memberId, month: a.month, partner: a.partner },
        },
        upsert: true,
      },
    }));
    await Promise.all([this.writeAll(this.Activity, activityOps), this.writeDays(days)]);
  }

  /**
   * Day sums: an upsert whose entry is already in the day's document fails on the duplicate `_id` (the
   * filter matched nothing, the insert collides), which means "already summed". An upsert that lost a race to
   * create the day's document fails the same way, so every such failure is tried once more as a plain update,
   * which either sums the entry or finds it summed.
   */
  private async writeDays(days: readonly { filter: object; update: object }[]): Promise<void> {
    const failed = await this.writeAll(
      this.Days,
      days.map((d) => ({ updateOne: { filter: d.filter, update: d.update, upsert: true } })),
    );
    if (failed.length === 0) return;
    const again = failed.map((i) => ({ updateOne: { filter: days[i].filter, update: days[i].update } }));
    const still = await this.writeAll(this.Days, again);
    if (still.length > 0) throw new Error('ledger rollups: a day sum failed twice on a duplicate key');
  }

  /** Runs the operations unordered; returns the indexes that failed on a duplicate key (others throw). */
  private async writeAll<T extends { _id: string }>(
    collection: Collection<T>,
    ops: readonly AnyBulkWriteOperation<T>[],
  ): Promise<number[]> {
    if (ops.length === 0) return [];
    try {
      await collection.bulkWrite(ops as AnyBulkWriteOperation<T>[], { ordered: false });
      return [];
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as {
        code: number;
        index: number;
      }[];
      if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      return list.map((e) => e.index);
    }
  }

  /**
   * Replays the whole ledger into the summaries (idempotent, safe beside live appends), then records that
   * they are complete. Returns how many entries were replayed.
   */
  async rebuild(Ledger: PointsLedgerModel): Promise<number> {
    let replayed = 0;
    let batch: RollupEntry[] = [];
    const cursor = Ledger.collection.find(
      {},
      { projection: { _id: 1, memberId: 1, kind: 1, points: 1, partner: 1, occurredAt: 1 } },
    );
    for await (const doc of cursor) {
      batch.push(doc as unknown as RollupEntry);
      if (batch.length >= REPLAY_BATCH) {
        await this.apply(batch);
        replayed += batch.length;
        batch = [];
      }
    }
    await this.apply(batch);
    replayed += batch.length;
    await this.State.updateOne({ _id: STATE_ID }, { $set: { builtAt: new Date() } }, { upsert: true });
    this.built = true;
    return replayed;
  }

  /** Whether the summaries hold the whole ledger: built once (a replay finished), kept since by appends. */
  async isBuilt(): Promise<boolean> {
    if (!this.built) this.built = (await this.State.countDocuments({ _id: STATE_ID })) > 0;
    return this.built;
  }

  /** Builds the summaries unless a replay already finished (a new ledger: at once, having nothing to read). */
  async ensureBuilt(Ledger: PointsLedgerModel): Promise<void> {
    if (!(await this.isBuilt())) await this.rebuild(Ledger);
  }

  /** Drops the summaries (and the record that they are complete), e.g. before a rebuild from scratch. */
  async clear(): Promise<void> {
    await Promise.all([this.Activity.deleteMany({}), this.Days.deleteMany({}), this.State.deleteMany({})]);
    this.built = false;
  }
}
