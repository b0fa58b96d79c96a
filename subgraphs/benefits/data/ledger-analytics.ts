import { monthKeyExpression } from '../../shared/db/month-key-expression.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import { monthKeysOf } from '../../shared/domain/analytics-window.js';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalMonths, formatMonthKey, parseMonthKey } from '../../shared/domain/programme-calendar.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import type { BrandCountBucket } from '../domain/programme-analytics.js';
import type { SummedBucket } from './ledger-rollups.js';
import { LedgerRollups } from './ledger-rollups.js';
import type { PointsLedgerModel } from './points-ledger.js';

/** Stand-ins for a month a member did not earn in: after and before every instant. */
const NEVER_AFTER = new Date(8.64e15);
const NEVER_BEFORE = new Date(-8.64e15);
/** `YYYY-MM` keys from `first` to `last`, both included. */
function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  let ym = parseMonthKey(first);
  for (let key = first; key <= last; key = formatMonthKey(ym)) {
    months.push(key);
    ym = addLocalMonths(ym, 1);
  }
  return months;
}

/** 1 when the member (and partner) earned in the month, else 0. */
const earnedIn = (month: string) => ({
  $cond: [{ $lt: [{ $ifNull: [`$firstOf.${month}`, NEVER_AFTER] }, NEVER_AFTER] }, 1, 0],
});

export type CohortActivityRow = { cohort: string; month: string; members: number };
export type KindMonthPoints = { kind: LedgerKind; month: string | null; points: number };

/** The figures the programme analytics draw from the points ledger. */
export interface LedgerFigures {
  /** Members by how many partners they were active at in the window. */
  penetration(window: AnalyticsWindow): Promise<BrandCountBucket[]>;
  /**
   * Members by cohort (the month of their first earning, ever) and month active, for cohorts that start in
   * the window: what the retention triangle is drawn from.
   */
  cohortActivity(window: AnalyticsWindow, firstMonth: string): Promise<CohortActivityRow[]>;
  /** Signed points by kind and month up to the window's end (month null: before the window). */
  pointsByKindAndMonth(window: AnalyticsWindow): Promise<KindMonthPoints[]>;
}

/**
 * The figures read from every ledger entry, each one aggregation pipeline run by the store. A member is
 * *active at a partner* in a period when they earned joint points there (a purchase, an interaction or a
 * referral of a linked member): the ledger is the one store that sees every partner's activity. These are the
 * definitions the summaries (`LedgerAnalytics`) must agree with; they also answer while the summaries are
 * being built, and for the edges of a window the summaries do not cover.
 */
export class LedgerEntryAnalytics implements LedgerFigures {
  constructor(
    private readonly Ledger: PointsLedgerModel,
    private readonly timeZone: string,
  ) {}

  private month(field: string, window: AnalyticsWindow): object {
    return monthKeyExpression(field, this.timeZone, window);
  }

  async penetration(window: AnalyticsWindow): Promise<BrandCountBucket[]> {
    const rows = await this.Ledger.aggregate<{ _id: number; members: number }>([
      { $match: { kind: 'earn', occurredAt: { $gte: window.from, $lt: window.to } } },
      { $group: { _id: '$memberId', partners: { $addToSet: '$partner' } } },
      { $group: { _id: { $size: '$partners' }, members: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ brands: r._id, members: r.members }));
  }

  async cohortActivity(window: AnalyticsWindow, firstMonth: string): Promise<CohortActivityRow[]> {
    const rows = await this.Ledger.aggregate<{ _id: { cohort: string; month: string }; members: number }>([
      { $match: { kind: 'earn', occurredAt: { $lt: window.to } } },
      { $group: { _id: { member: '$memberId', month: this.month('$occurredAt', window) } } },
      { $group: { _id: '$_id.member', months: { $push: '$_id.month' }, cohort: { $min: '$_id.month' } } },
      { $match: { cohort: { $gte: firstMonth } } },
      { $unwind: '$months' },
      { $group: { _id: { cohort: '$cohort', month: '$months' }, members: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ cohort: r._id.cohort, month: r._id.month, members: r.members }));
  }

  async pointsByKindAndMonth(window: AnalyticsWindow): Promise<KindMonthPoints[]> {
    return this.pointsIn(window, { $lt: window.to });
  }

  /** `pointsByKindAndMonth` of the entries whose `occurredAt` matches `occurredAt` (a range within the window's reach). */
  async pointsIn(window: AnalyticsWindow, occurredAt: object): Promise<KindMonthPoints[]> {
    const rows = await this.Ledger.aggregate<{
      _id: { kind: LedgerKind; month: string | null };
      points: number;
    }>([
      { $match: { occurredAt } },
      {
        $group: {
          _id: {
            kind: '$kind',
            month: {
              $cond: [{ $gte: ['$occurredAt', window.from] }, this.month('$occurredAt', window), null],
            },
          },
          points: { $sum: '$points' },
        },
      },
    ]);
    return rows.map((r) => ({ kind: r._id.kind, month: r._id.month, points: r.points }));
  }
}

/**
 * The programme's ledger figures from the ledger's summaries (`LedgerRollups`): a document per member and
 * partner (penetration), per member (retention) or per day and kind (points) instead of every entry, with the
 * same answers as `LedgerEntryAnalytics`. Until the summaries are complete (the first replay of an existing ledger)
 * the entries answer.
 */
export class LedgerAnalytics implements LedgerFigures {
  readonly entries: LedgerEntryAnalytics;

  constructor(
    Ledger: PointsLedgerModel,
    private readonly rollups: LedgerRollups,
    private readonly calendar: ProgrammeCalendar,
  ) {
    this.entries = new LedgerEntryAnalytics(Ledger, calendar.timeZone);
  }

  /** The window's first and last programme months (the last holds the window's last instant). */
  private months(window: AnalyticsWindow): { first: string; last: string } {
    return {
      first: this.calendar.monthKey(window.from),
      last: this.calendar.monthKey(new Date(window.to.getTime() - 1)),
    };
  }

  async penetration(window: AnalyticsWindow): Promise<BrandCountBucket[]> {
    const { first, last } = this.months(window);
    // Within one month, first and last earnings cannot tell whether one fell between the window's bounds.
    if (first === last || !(await this.rollups.isBuilt())) return this.entries.penetration(window);
    // Per member and partner: active in the window when its last earning of the first month is at or after
    // `from`, it earned in a month strictly inside, or its first earning of the last month is before `to`.
    const inside = monthKeysOf(window, (at) => this.calendar.monthKey(at)).slice(1, -1);
    const activeIn = {
      $add: [
        { $cond: [{ $gte: [{ $ifNull: [`$lastOf.${first}`, NEVER_BEFORE] }, window.from] }, 1, 0] },
        ...inside.map((month) => earnedIn(month)),
        { $cond: [{ $lt: [{ $ifNull: [`$firstOf.${last}`, NEVER_AFTER] }, window.to] }, 1, 0] },
      ],
    };
    const rows = await this.rollups.MemberPartners.aggregate<{ _id: number; members: number }>([
      { $group: { _id: '$memberId', partners: { $sum: { $cond: [{ $gt: [activeIn, 0] }, 1, 0] } } } },
      { $group: { _id: '$partners', members: { $sum: 1 } } },
    ]).toArray();
    return rows.filter((r) => r._id > 0).map((r) => ({ brands: r._id, members: r.members }));
  }

  async cohortActivity(window: AnalyticsWindow, firstMonth: string): Promise<CohortActivityRow[]> {
    if (!(await this.rollups.isBuilt())) return this.entries.cohortActivity(window, firstMonth);
    // A member's cohort is the month of their first earning when that came before `to`; they were active in
    // a month when their first earning of it came before `to` (for any month but the window's last, when
    // they earned in it at all). One count per window month, from the cohort's first.
    const months = monthRange(firstMonth, this.months(window).last);
    const counts = Object.fromEntries(
      months.map((month, i) => [
        `m${i}`,
        { $sum: { $cond: [{ $lt: [{ $ifNull: [`$firstOf.${month}`, NEVER_AFTER] }, window.to] }, 1, 0] } },
      ]),
    );
    const rows = await this.rollups.Members.aggregate<{ _id: string } & Record<string, number>>([
      { $match: { cohort: { $gte: firstMonth }, firstAt: { $lt: window.to } } },
      { $group: { _id: '$cohort', ...counts } },
    ]).toArray();
    return rows.flatMap((row) =>
      months.flatMap((month, i) =>
        row[`m${i}`] > 0 ? [{ cohort: row._id, month, members: row[`m${i}`] }] : [],
      ),
    );
  }

  async pointsByKindAndMonth(window: AnalyticsWindow): Promise<KindMonthPoints[]> {
    if (!(await this.rollups.isBuilt())) return this.entries.pointsByKindAndMonth(window);
    // Whole days before the window (month null) or inside it from the day sums; the days the window's bounds
    // cut (at most two) from their hour sums; an hour a bound cuts (bounds off the hour) from its entries.
    const { from, to } = window;
    const fromDay = this.rollups.day(from);
    const toDay = this.rollups.day(to);
    const cutDays = new Set<string>();
    if (fromDay.start < from) cutDays.add(fromDay.key);
    if (toDay.start < to) cutDays.add(toDay.key);
    const cutHours: { $gte: Date; $lt: Date }[] = [];
    const fromHour = LedgerRollups.hourOf(fromDay, from);
    const toHour = LedgerRollups.hourOf(toDay, to);
    if (fromHour.start < from)
      cutHours.push({ $gte: fromHour.start, $lt: fromHour.end < to ? fromHour.end : to });
    if (toHour.start < to && toHour.start.getTime() !== fromHour.start.getTime()) {
      cutHours.push({ $gte: toHour.start, $lt: to });
    }
    const [days, hours, edges] = await Promise.all([
      this.rollups.days({ start: { $lt: to } }).then((buckets) => bucketSums(buckets, window)),
      cutDays.size === 0
        ? []
        : this.rollups
            .hours({ day: { $in: [...cutDays] }, start: { $lt: to } })
            .then((buckets) => bucketSums(buckets, window)),
      Promise.all(cutHours.map((range) => this.entries.pointsIn(window, range))),
    ]);
    const sums = new Map<string, KindMonthPoints>();
    for (const row of [...days, ...hours, ...edges.flat()]) {
      const key = `${row.kind}|${row.month}`;
      const seen = sums.get(key);
      if (seen) seen.points += row.points;
      else sums.set(key, { ...row });
    }
    return [...sums.values()];
  }
}

/**
 * Sums of the buckets wholly before the window (month null) or wholly inside it; a bucket a bound cuts is left
 * out (its part is summed from finer buckets or from entries).
 */
function bucketSums(buckets: readonly SummedBucket[], { from, to }: AnalyticsWindow): KindMonthPoints[] {
  const sums = new Map<string, KindMonthPoints>();
  for (const b of buckets) {
    if (b.end > from && (b.start < from || b.end > to)) continue;
    const month = b.end <= from ? null : b.month;
    const key = `${b.kind}|${month}`;
    const seen = sums.get(key);
    if (seen) seen.points += b.points;
    else sums.set(key, { kind: b.kind, month, points: b.points });
  }
  return [...sums.values()];
}
