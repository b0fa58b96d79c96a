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
  const [row] = await Order.aggregate<PurchaseFigures & { _id: null }>([
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
    // No `$project`: a pipeline of matching and grouping stages only reads the stored orders, where a
    // reshaping stage makes the embedded store copy every order the match selected first.
  ]);
  return row
    ? { buyers: row.buyers, repeatBuyers: row.repeatBuyers, orders: row.orders, spendMinor: row.spendMinor }
    : { buyers: 0, repeatBuyers: 0, orders: 0, spendMinor: 0 };
}
