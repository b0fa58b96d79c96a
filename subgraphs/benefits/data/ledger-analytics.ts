import { monthKeyExpression } from '../../shared/db/month-key-expression.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import type { BrandCountBucket } from '../domain/programme-analytics.js';
import type { LedgerRollups } from './ledger-rollups.js';
import type { PointsLedgerModel } from './points-ledger.js';

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
 * The programme's ledger figures from the ledger's summaries (`LedgerRollups`): each chart reads one document
 * per member, month and partner (activity) or per day and kind (points) instead of every entry, with the same
 * answers as `LedgerEntryAnalytics`. Until the summaries are complete (the first replay of an existing ledger)
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
    const rows = await this.rollups.Activity.aggregate<{ _id: number; members: number }>([
      {
        $match: {
          month: { $gte: first, $lte: last },
          last: { $gte: window.from },
          first: { $lt: window.to },
        },
      },
      { $group: { _id: '$memberId', partners: { $addToSet: '$partner' } } },
      { $group: { _id: { $size: '$partners' }, members: { $sum: 1 } } },
    ]).toArray();
    return rows.map((r) => ({ brands: r._id, members: r.members }));
  }

  async cohortActivity(window: AnalyticsWindow, firstMonth: string): Promise<CohortActivityRow[]> {
    if (!(await this.rollups.isBuilt())) return this.entries.cohortActivity(window, firstMonth);
    // A month before the window's last is active whole; the last one only if an earning there came before `to`.
    const rows = await this.rollups.Activity.aggregate<{
      _id: { cohort: string; month: string };
      members: number;
    }>([
      { $match: { month: { $lte: this.months(window).last }, first: { $lt: window.to } } },
      { $group: { _id: '$memberId', months: { $addToSet: '$month' }, cohort: { $min: '$month' } } },
      { $match: { cohort: { $gte: firstMonth } } },
      { $unwind: '$months' },
      { $group: { _id: { cohort: '$cohort', month: '$months' }, members: { $sum: 1 } } },
    ]).toArray();
    return rows.map((r) => ({ cohort: r._id.cohort, month: r._id.month, members: r.members }));
  }

  async pointsByKindAndMonth(window: AnalyticsWindow): Promise<KindMonthPoints[]> {
    if (!(await this.rollups.isBuilt())) return this.entries.pointsByKindAndMonth(window);
    // Whole days before the window (month null) or inside it from the day sums; the (at most two) days the
    // window's bounds cut, from their entries.
    const { from, to } = window;
    const fromDay = this.rollups.day(from);
    const toDay = this.rollups.day(to);
    const cut: { $gte: Date; $lt: Date }[] = [];
    if (fromDay.start.getTime() !== from.getTime()) {
      cut.push({ $gte: fromDay.start, $lt: fromDay.end < to ? fromDay.end : to });
    }
    if (toDay.start.getTime() !== to.getTime() && toDay.start.getTime() !== fromDay.start.getTime()) {
      cut.push({ $gte: toDay.start, $lt: to });
    }
    const [days, edges] = await Promise.all([
      this.rollups.Days.aggregate<{ _id: { kind: LedgerKind; month: string | null }; points: number }>([
        {
          $match: {
            start: { $lt: to },
            $or: [{ end: { $lte: from } }, { start: { $gte: from }, end: { $lte: to } }],
          },
        },
        {
          $group: {
            _id: { kind: '$kind', month: { $cond: [{ $gte: ['$start', from] }, '$month', null] } },
            points: { $sum: '$points' },
          },
        },
      ]).toArray(),
      Promise.all(cut.map((range) => this.entries.pointsIn(window, range))),
    ]);
    const sums = new Map<string, KindMonthPoints>();
    const add = (row: KindMonthPoints) => {
      const key = `${row.kind}|${row.month}`;
      const seen = sums.get(key);
      if (seen) seen.points += row.points;
      else sums.set(key, { ...row });
    };
    for (const r of days) add({ kind: r._id.kind, month: r._id.month, points: r.points });
    for (const row of edges.flat()) add(row);
    return [...sums.values()];
  }
}
