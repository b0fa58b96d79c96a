import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { DailyActivity } from '../../shared/domain/behaviour.js';

/**
 * A member's account at the brand, with the behaviour summary embedded as day buckets so that an event
 * updates it with one atomic `$inc` on one document, and a read of the summary is part of the account read.
 */
export interface AccountDocument {
  _id: string;
  memberId: string | null;
  displayName: string;
  joinedAt: Date;
  days: Record<string, DailyActivity>;
  firstPurchaseAt?: Date | null;
  lifetimeSpendMinor: number;
}

export interface OrderDocument {
  _id: string;
  brandMemberId: string;
  memberId: string | null;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  category: string;
  jointCategory: string;
  occurredAt: Date;
}

const accountSchema = new Schema<AccountDocument>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, default: null },
    displayName: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    days: { type: Schema.Types.Mixed, default: {} },
    // Left unset until the first purchase: `$min` against null would keep null (null sorts below dates).
    firstPurchaseAt: { type: Date },
    lifetimeSpendMinor: { type: Number, default: 0 },
  },
  { collection: 'accounts', versionKey: false, minimize: false },
);
// One account per programme member at a brand; unlinked accounts (memberId null) are not constrained.
accountSchema.index(
  { memberId: 1 },
  { unique: true, partialFilterExpression: { memberId: { $type: 'string' } } },
);

const orderSchema = new Schema<OrderDocument>(
  {
    _id: { type: String, required: true },
    brandMemberId: { type: String, required: true },
    memberId: { type: String, default: null },
    amountMinor: { type: Number, required: true },
    refundedMinor: { type: Number, default: 0 },
    currency: { type: String, required: true },
    category: { type: String, required: true },
    jointCategory: { type: String, required: true },
    occurredAt: { type: Date, required: true },
  },
  { collection: 'orders', versionKey: false },
);
orderSchema.index({ brandMemberId: 1, occurredAt: -1 });

export interface BrandModels {
  Account: Model<AccountDocument>;
  Order: Model<OrderDocument>;
}

export function brandModels(connection: Connection): BrandModels {
  return {
    Account: connection.model<AccountDocument>('Account', accountSchema),
    Order: connection.model<OrderDocument>('Order', orderSchema),
  };
}
