import type { Collection, Connection } from 'mongoose';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { RedemptionDocument } from './redemptions.js';

export interface BenefitRedemptionFigures {
  benefitId: string;
  redemptions: number;
  quantity: number;
  points: number;
  cancelled: number;
}

/**
 * Redemptions per benefit over a window, in one aggregation pipeline over the redemptions (served by the
 * index on status and creation time). Only settled redemptions count: confirmed, or cancelled since.
 */
export class RedemptionAnalytics {
  private readonly Redemptions: Collection<RedemptionDocument>;

  constructor(connection: Connection) {
    this.Redemptions = connection.collection<RedemptionDocument>('redemptions');
  }

  async perBenefit(window: AnalyticsWindow): Promise<BenefitRedemptionFigures[]> {
    const confirmed = { $eq: ['$status', 'CONFIRMED'] };
    const rows = await this.Redemptions.aggregate<
      { _id: string } & Omit<BenefitRedemptionFigures, 'benefitId'>
    >([
      {
        $match: {
          status: { $in: ['CONFIRMED', 'CANCELLED'] },
          createdAt: { $gte: window.from, $lt: window.to },
        },
      },
      {
        $group: {
          _id: '$benefitId',
          redemptions: { $sum: { $cond: [confirmed, 1, 0] } },
          quantity: { $sum: { $cond: [confirmed, '$quantity', 0] } },
          points: { $sum: { $cond: [confirmed, '$pointsSpent', 0] } },
          cancelled: { $sum: { $cond: [confirmed, 0, 1] } },
        },
      },
    ]).toArray();
    return rows
      .map(({ _id, ...figures }) => ({ benefitId: _id, ...figures }))
      .sort((a, b) => b.redemptions - a.redemptions || a.benefitId.localeCompare(b.benefitId));
  }
}
