import { monthKeyExpression } from '../../shared/db/month-key-expression.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import type { BrandCountBucket } from '../domain/programme-analytics.js';
import type { PointsLedgerModel } from './points-ledger.js';

/**
 * The programme's figures from the points ledger, each one aggregation pipeline run by the store. A member
 * is *active at a partner* in a period when they earned joint points there (a purchase, an interaction or a
 * referral of a linked member): the ledger is the one store that sees every partner's activity.
 */
export class LedgerAnalytics {
  constructor(
    private readonly Ledger: PointsLedgerModel,
    private readonly timeZone: string,
  ) {}

  private month(field: string, window: AnalyticsWindow): object {
    return monthKeyExpression(field, this.timeZone, window);
  }

  /** Members by how many partners they were active at in the window. */
  async penetration(window: AnalyticsWindow): Promise<BrandCountBucket[]> {
    const rows = await this.Ledger.aggregate<{ _id: number; members: number }>([
      { $match: { kind: 'earn', occurredAt: { $gte: window.from, $lt: window.to } } },
      { $group: { _id: '$memberId', partners: { $addToSet: '$partner' } } },
      { $group: { _id: { $size: '$partners' }, members: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ brands: r._id, members: r.members }));
  }

  /**
   * Members by cohort (the month of their first earning, ever) and month active, for cohorts that start in
   * the window: what the retention triangle is drawn from.
   */
  async cohortActivity(
    window: AnalyticsWindow,
    firstMonth: string,
  ): Promise<{ cohort: string; month: string; members: number }[]> {
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

  /** Signed points by kind and month up to the window's end (month null: before the window). */
  async pointsByKindAndMonth(
    window: AnalyticsWindow,
  ): Promise<{ kind: LedgerKind; month: string | null; points: number }[]> {
    const rows = await this.Ledger.aggregate<{
      _id: { kind: LedgerKind; month: string | null };
      points: number;
    }>([
      { $match: { occurredAt: { $lt: window.to } } },
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
