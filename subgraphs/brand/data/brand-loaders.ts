import DataLoader from 'dataloader';
import type { AccountDocument, BrandModels, OrderDocument } from './brand-models.js';

export const MAX_RECENT_ORDERS = 50;

export interface BrandLoaders {
  /** Account by unified member id: one `find` per batch, whatever the number of entities. */
  accountByMemberId: DataLoader<string, AccountDocument | null>;
  /** Account by its id at the brand (the account the programme links, from the key). */
  accountById: DataLoader<string, AccountDocument | null>;
  /** The newest orders of an account (up to MAX_RECENT_ORDERS), one aggregation per batch. */
  recentOrdersByAccount: DataLoader<string, OrderDocument[]>;
}

/** Per-request loaders: never shared between requests, so one caller's data never serves another. */
export function createBrandLoaders(models: BrandModels): BrandLoaders {
  return {
    accountByMemberId: new DataLoader(async (memberIds) => {
      const accounts = await models.Account.find({ memberId: { $in: [...memberIds] } }).lean<
        AccountDocument[]
      >();
      const byMember = new Map(accounts.map((a) => [a.memberId, a]));
      return memberIds.map((id) => byMember.get(id) ?? null);
    }),
    accountById: new DataLoader(async (ids) => {
      const accounts = await models.Account.find({ _id: { $in: [...ids] } }).lean<AccountDocument[]>();
      const byId = new Map(accounts.map((a) => [a._id, a]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    recentOrdersByAccount: new DataLoader(async (accountIds) => {
      const groups = await models.Order.aggregate<{ _id: string; orders: OrderDocument[] }>([
        { $match: { brandMemberId: { $in: [...accountIds] } } },
        { $sort: { occurredAt: -1, _id: 1 } },
        { $group: { _id: '$brandMemberId', orders: { $push: '$$ROOT' } } },
        { $project: { orders: { $slice: ['$orders', MAX_RECENT_ORDERS] } } },
      ]);
      const byAccount = new Map(groups.map((g) => [g._id, g.orders]));
      return accountIds.map((id) => byAccount.get(id) ?? []);
    }),
  };
}
