import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { BrandModels } from './brand-models.js';

export interface PurchaseFigures {
  buyers: number;
  repeatBuyers: number;
  orders: number;
  spendMinor: number;
}

/**
 * Buyers, repeat buyers, orders and spend of programme members (accounts linked to a member) in a window: one
 * aggregation pipeline over the orders. An order refunded in full is not a purchase.
 */
export async function purchaseFigures(
  Order: BrandModels['Order'],
  window: AnalyticsWindow,
): Promise<PurchaseFigures> {
  const [row] = await Order.aggregate<PurchaseFigures>([
    {
      $match: {
        occurredAt: { $gte: window.from, $lt: window.to },
        memberId: { $type: 'string' },
        remainingMinor: { $gt: 0 },
      },
    },
    { $group: { _id: '$brandMemberId', orders: { $sum: 1 }, spendMinor: { $sum: '$remainingMinor' } } },
    {
      $group: {
        _id: null,
        buyers: { $sum: 1 },
        repeatBuyers: { $sum: { $cond: [{ $gte: ['$orders', 2] }, 1, 0] } },
        orders: { $sum: '$orders' },
        spendMinor: { $sum: '$spendMinor' },
      },
    },
    { $project: { _id: 0, buyers: 1, repeatBuyers: 1, orders: 1, spendMinor: 1 } },
  ]);
  return row ?? { buyers: 0, repeatBuyers: 0, orders: 0, spendMinor: 0 };
}
