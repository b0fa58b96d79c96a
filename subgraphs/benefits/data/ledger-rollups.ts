import type { AnyBulkWriteOperation, Collection, Connection } from 'mongoose';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import type { PointsLedgerEntry, PointsLedgerModel } from './points-ledger.js';
import { DUPLICATE_KEY, duplicateKeyIndexes } from '../../shared/db/duplicate-keys.js';

/**
 * Summaries of the points ledger that the programme analytics read instead of every entry, kept by the
 * ledger's one insert path (`PointsLedger.appendMany`) and rebuilt from the ledger by replaying it. Months and
 * days are the programme's (its time zone).
 *
 * - `ledger_members`: per member who earned, their first earning (`firstAt`, its month `cohort`), the months
 *   they earned in, and the first earning of each month (`firstOf.<month>`): their retention cohort and
 *   months active up to any instant.
 * - `ledger_member_partners`: per member and partner they earned at, the months, and the first and last
 *   earning of each month: whether they were active there in any window spanning two months or more (the
 *   months inside are whole; in the window's first month the last earning tells, in its last, the first).
 * - `ledger_points_days` and `ledger_points_hours`: the signed sum of points per programme day (and hour) and
 *   kind. A window reads whole days, then the hours of the (at most two) days its bounds cut, by day key;
 *   only a bound inside an hour makes it read that hour's entries.
 *
 * Member summaries are updated idempotently (`$min`, `$max`, `$addToSet`), so applying an entry twice changes
 * nothing. A point sum cannot be moved idempotently without remembering what it summed, so it is a cache
 * instead: an append marks the buckets it touches stale (`$inc` of `version`, `$unset` of `points`), hours
 * before days, and a reader sums a stale hour afresh from the ledger entries and a stale day from its hours,
 * then stores the sum only if the bucket's version is still the one it read. A mark is harmless when repeated,
 * and a sum is never stored over a later mark, so without transactions: the wallet appends parked entries
 * again after a crash (`recoverUnflushed`), the replay may run beside live appends, and a retried append
 * leaves them as they were. A bucket stays one small document however many entries it holds.
 */
export interface MemberRollup {
  _id: string;
  cohort: string;
  firstAt: Date;
  months: string[];
  firstOf: Record<string, Date>;
}

export interface MemberPartnerRollup {
  _id: string;
  memberId: string;
  partner: string;
  months: string[];
  firstOf: Record<string, Date>;
  lastOf: Record<string, Date>;
}

export interface PointsBucketRollup {
  _id: string;
  kind: LedgerKind;
  /** Programme month and day (`YYYY-MM-DD`) of the bucket. */
  month: string;
  day: string;
  /** The bucket's first instant, and the first instant after it. */
  start: Date;
  end: Date;
  /** The sum of the bucket's entries; absent while stale (an entry appended since it was summed). */
  points?: number;
  /** Raised by every append into the bucket: a sum is stored only for the version it was computed at. */
  version: number;
}

/** A bucket with its sum, stale or not. */
export type SummedBucket = PointsBucketRollup & { points: number };

interface RollupState {
  _id: string;
  builtAt: Date;
}

type RollupEntry = Pick<PointsLedgerEntry, '_id' | 'memberId' | 'kind' | 'points' | 'partner' | 'occurredAt'>;
type BucketMeta = Pick<PointsBucketRollup, 'kind' | 'month' | 'day' | 'start' | 'end'>;

const STATE_ID = 'ledger-rollups';
const REPLAY_BATCH = 2_000;
const HOUR_MS = 3_600_000;
/** Stale buckets further apart than this are summed from the ledger by separate reads. */
const SEPARATE_READS_GAP_MS = 86_400_000;

/** Stale hours sorted by start, in runs that are each read from the ledger at once (gaps of a day or less). */
function runsOf(hours: SummedBucket[]): SummedBucket[][] {
  const sorted = [...hours].sort((a, b) => a.start.getTime() - b.start.getTime());
  const runs: SummedBucket[][] = [];
  let runEnd = -Infinity;
  for (const hour of sorted) {
    if (hour.start.getTime() - runEnd > SEPARATE_READS_GAP_MS) runs.push([]);
    runs[runs.length - 1].push(hour);
    runEnd = Math.max(runEnd, hour.end.getTime());
  }
  return runs;
}

/** The earnings of one member (or member and partner) in a batch: first and last per month. */
class EarningSpan {
  readonly firstOf = new Map<string, Date>();
  readonly lastOf = new Map<string, Date>();

  add(month: string, at: Date): void {
    const first = this.firstOf.get(month);
    if (!first || at < first) this.firstOf.set(month, at);
    const last = this.lastOf.get(month);
    if (!last || at > last) this.lastOf.set(month, at);
  }

  /** `{ 'firstOf.<month>': date, … }` (or `lastOf`). */
  paths(field: 'firstOf' | 'lastOf'): Record<string, Date> {
    return Object.fromEntries([...this[field]].map(([month, at]) => [`${field}.${month}`, at]));
  }

  first(): { month: string; at: Date } {
    let best: { month: string; at: Date } | undefined;
    for (const [month, at] of this.firstOf) if (!best || at < best.at) best = { month, at };
    return best!;
  }
}

export class LedgerRollups {
  readonly Members: Collection<MemberRollup>;
  readonly MemberPartners: Collection<MemberPartnerRollup>;
  readonly Days: Collection<PointsBucketRollup>;
  readonly Hours: Collection<PointsBucketRollup>;
  private readonly State: Collection<RollupState>;
  private readonly ledger: Collection;
  private built = false;

  constructor(
    connection: Connection,
    private readonly calendar: ProgrammeCalendar,
  ) {
    this.Members = connection.collection<MemberRollup>('ledger_members');
    this.MemberPartners = connection.collection<MemberPartnerRollup>('ledger_member_partners');
    this.Days = connection.collection<PointsBucketRollup>('ledger_points_days');
    this.Hours = connection.collection<PointsBucketRollup>('ledger_points_hours');
    this.State = connection.collection<RollupState>('ledger_rollup_state');
    this.ledger = connection.collection('points_ledger');
  }

  async init(): Promise<void> {
    await Promise.all([this.Members.createIndex({ cohort: 1 }), this.Hours.createIndex({ day: 1 })]);
  }

  /** The programme day holding `at`: its key, month and bounds. */
  day(at: Date): { key: string; month: string; start: Date; end: Date } {
    return {
      key: this.calendar.dayKey(at),
      month: this.calendar.monthKey(at),
      start: this.calendar.startOfDay(this.calendar.localDate(at)),
      end: this.calendar.nextPeriodStart(at, 'DAY'),
    };
  }

  /** The hour of its programme day holding `at` (a day with a clock change has 23 or 25). */
  static hourOf(day: { start: Date; end: Date }, at: Date): { index: number; start: Date; end: Date } {
    const index = Math.floor((at.getTime() - day.start.getTime()) / HOUR_MS);
    const start = day.start.getTime() + index * HOUR_MS;
    return { index, start: new Date(start), end: new Date(Math.min(start + HOUR_MS, day.end.getTime())) };
  }

  /** Adds entries to the summaries; entries already in them change nothing. */
  async apply(entries: readonly RollupEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const members = new Map<string, EarningSpan>();
    const memberPartners = new Map<string, EarningSpan>();
    const span = (spans: Map<string, EarningSpan>, key: string) => {
      let found = spans.get(key);
      if (!found) spans.set(key, (found = new EarningSpan()));
      return found;
    };
    const days = new Map<string, BucketMeta>();
    const hours = new Map<string, BucketMeta>();
    for (const e of entries) {
      const day = this.day(e.occurredAt);
      if (e.kind === 'earn') {
        span(members, e.memberId).add(day.month, e.occurredAt);
        span(memberPartners, `${e.memberId}|${e.partner}`).add(day.month, e.occurredAt);
      }
      const hour = LedgerRollups.hourOf(day, e.occurredAt);
      const meta = { kind: e.kind as LedgerKind, month: day.month, day: day.key };
      days.set(`${day.key}|${e.kind}`, { ...meta, start: day.start, end: day.end });
      hours.set(`${day.key}|${hour.index}|${e.kind}`, { ...meta, start: hour.start, end: hour.end });
    }
    const memberOps: AnyBulkWriteOperation<MemberRollup>[] = [...members].map(([memberId, s]) => {
      const first = s.first();
      return {
        updateOne: {
          filter: { _id: memberId },
          update: {
            $min: { cohort: first.month, firstAt: first.at, ...s.paths('firstOf') },
            $addToSet: { months: { $each: [...s.firstOf.keys()] } },
          },
          upsert: true,
        },
      };
    });
    const partnerOps: AnyBulkWriteOperation<MemberPartnerRollup>[] = [...memberPartners].map(([key, s]) => {
      const [memberId, partner] = key.split('|');
      return {
        updateOne: {
          filter: { _id: key },
          update: {
            $min: s.paths('firstOf'),
            $max: s.paths('lastOf'),
            $addToSet: { months: { $each: [...s.firstOf.keys()] } },
            $setOnInsert: { memberId, partner },
          },
          upsert: true,
        },
      };
    });
    await Promise.all([
      this.writeAll(this.Members, memberOps),
      this.writeAll(this.MemberPartners, partnerOps),
      // Hours before days: a reader that finds a day marked finds its hours marked (or summed afresh) too.
      this.markStale(this.Hours, hours).then(() => this.markStale(this.Days, days)),
    ]);
  }

  /**
   * Marks buckets stale, creating those not there yet. An upsert that lost a race to create its bucket fails
   * on the duplicate `_id`, so each such failure is tried once more as a plain update.
   */
  private async markStale(
    collection: Collection<PointsBucketRollup>,
    buckets: ReadonlyMap<string, BucketMeta>,
  ): Promise<void> {
    const ops = [...buckets].map(([_id, meta]) => ({
      filter: { _id },
      update: { $inc: { version: 1 }, $unset: { points: '', ids: '' }, $setOnInsert: meta },
    }));
    const failed = await this.writeAll(
      collection,
      ops.map((op) => ({ updateOne: { ...op, upsert: true } })),
    );
    if (failed.length === 0) return;
    await this.writeAll(
      collection,
      failed.map((i) => ({ updateOne: ops[i] })),
    );
  }

  /** The day buckets `match` selects, each with its sum: a stale day is summed afresh from its hours. */
  async days(match: object): Promise<SummedBucket[]> {
    const docs = await this.Days.find(match).toArray();
    const stale = docs.filter((d) => d.points === undefined);
    if (stale.length > 0) {
      const sums = new Map<string, number>();
      for (const hour of await this.hours({ day: { $in: [...new Set(stale.map((d) => d.day))] } })) {
        const key = `${hour.day}|${hour.kind}`;
        sums.set(key, (sums.get(key) ?? 0) + hour.points);
      }
      for (const day of stale) day.points = sums.get(`${day.day}|${day.kind}`) ?? 0;
      await this.storeSums(this.Days, stale as SummedBucket[]);
    }
    return docs as SummedBucket[];
  }

  /** The hour buckets `match` selects, each with its sum: a stale hour is summed afresh from the ledger. */
  async hours(match: object): Promise<SummedBucket[]> {
    const docs = await this.Hours.find(match).toArray();
    const stale = docs.filter((d) => d.points === undefined) as SummedBucket[];
    if (stale.length > 0) {
      for (const hour of stale) hour.points = 0;
      await Promise.all(runsOf(stale).map((run) => this.sumFromLedger(run)));
      await this.storeSums(this.Hours, stale);
    }
    return docs as SummedBucket[];
  }

  /** Adds every ledger entry of the hours (sorted by start, zeroed) to its hour, in one read of their span. */
  private async sumFromLedger(hours: readonly SummedBucket[]): Promise<void> {
    const starts: number[] = [];
    const byStart = new Map<number, Map<string, SummedBucket>>();
    for (const hour of hours) {
      const start = hour.start.getTime();
      let kinds = byStart.get(start);
      if (!kinds) {
        byStart.set(start, (kinds = new Map()));
        starts.push(start);
      }
      kinds.set(hour.kind, hour);
    }
    const entries = this.ledger.find(
      {
        occurredAt: { $gte: hours[0].start, $lt: hours[hours.length - 1].end },
        kind: { $in: [...new Set(hours.map((h) => h.kind))] },
      },
      { projection: { _id: 0, occurredAt: 1, kind: 1, points: 1 } },
    );
    for await (const entry of entries) {
      const at = (entry.occurredAt as Date).getTime();
      // The last hour starting at or before the entry, if the entry is inside it.
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid] <= at) low = mid;
        else high = mid - 1;
      }
      const hour = starts[low] <= at ? byStart.get(starts[low])!.get(entry.kind as LedgerKind) : undefined;
      if (hour && at < hour.end.getTime()) hour.points += entry.points as number;
    }
  }

  /** Stores sums, each only if its bucket was not marked again since it was read. */
  private async storeSums(collection: Collection<PointsBucketRollup>, buckets: readonly SummedBucket[]) {
    await collection.bulkWrite(
      buckets.map((b) => ({
        updateOne: { filter: { _id: b._id, version: b.version }, update: { $set: { points: b.points } } },
      })),
      { ordered: false },
    );
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
      return duplicateKeyIndexes(error);
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
    // Sums every bucket the replay marked, so that the first reader does not.
    await this.days({});
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
    await Promise.all([
      this.Members.deleteMany({}),
      this.MemberPartners.deleteMany({}),
      this.Days.deleteMany({}),
      this.Hours.deleteMany({}),
      this.State.deleteMany({}),
    ]);
    this.built = false;
  }
}

/**
 * Moves an erased member's summaries to the pseudonym their ledger entries now carry (docs/architecture.md
 * §7), so the programme's figures keep counting them without naming them. Repeatable like the membership's
 * move: the pseudonym is first recorded on the member's summary, so a repeat after a crash moves what is
 * left under the same one (copies already made are duplicates) and never counts the member twice. Returns
 * how many summaries of each collection were moved.
 */
export async function anonymiseMemberRollups(
  connection: Connection,
  memberId: string,
  pseudonym: string,
): Promise<{ ledger_members: number; ledger_member_partners: number }> {
  const members = connection.collection<MemberRollup & { anonymisedAs?: string }>('ledger_members');
  const partners = connection.collection<MemberPartnerRollup>('ledger_member_partners');
  await members.updateOne(
    { _id: memberId, anonymisedAs: { $exists: false } },
    { $set: { anonymisedAs: pseudonym } },
  );
  const original = await members.findOne({ _id: memberId });
  const as = original?.anonymisedAs ?? pseudonym;
  const ignoreDuplicate = (error: unknown) => {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  };
  const moved = { ledger_members: 0, ledger_member_partners: 0 };
  for (const summary of await partners.find({ memberId }).toArray()) {
    await partners
      .insertOne({ ...summary, _id: `${as}|${summary.partner}`, memberId: as })
      .catch(ignoreDuplicate);
    moved.ledger_member_partners += (await partners.deleteOne({ _id: summary._id })).deletedCount;
  }
  if (original) {
    const { _id: _member, anonymisedAs: _as, ...rest } = original;
    await members.insertOne({ ...rest, _id: as }).catch(ignoreDuplicate);
    moved.ledger_members += (await members.deleteOne({ _id: memberId })).deletedCount;
  }
  return moved;
}
