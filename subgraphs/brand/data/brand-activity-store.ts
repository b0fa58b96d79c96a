import type { AnyBulkWriteOperation } from 'mongoose';
import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import { badInput } from '../../shared/errors.js';
import type { BehaviourEvent } from '../domain/behaviour-increments.js';
import { behaviourIncrements, mergeIncrements } from '../domain/behaviour-increments.js';
import type { AccountDocument, BrandModels, OrderDocument } from './brand-models.js';

export interface NewAccount {
  brandMemberId: string;
  memberId: string | null;
  displayName: string;
  joinedAt: Date;
}

export type RecordedEvent =
  | {
      type: 'purchase';
      brandMemberId: string;
      occurredAt: Date;
      orderId: string;
      amountMinor: number;
      currency: string;
      category: string;
    }
  | { type: 'browse'; brandMemberId: string; occurredAt: Date; category: string; seconds: number }
  | { type: 'interaction'; brandMemberId: string; occurredAt: Date; kind: string; category?: string }
  | { type: 'referral'; brandMemberId: string; occurredAt: Date; referredBrandMemberId: string };

/** Writes of one brand: accounts, orders and the behaviour summary embedded in each account. */
export class BrandActivityStore {
  constructor(
    private readonly models: BrandModels,
    private readonly partner: PartnerConfig,
  ) {}

  async upsertAccounts(accounts: readonly NewAccount[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.models.Account.bulkWrite(
      accounts.map((a) => ({
        updateOne: {
          filter: { _id: a.brandMemberId },
          update: {
            $set: { memberId: a.memberId, displayName: a.displayName },
            $setOnInsert: { joinedAt: a.joinedAt, days: {}, lifetimeSpendMinor: 0 },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  private toBehaviourEvent(event: RecordedEvent): BehaviourEvent {
    const jointCategory = (category: string) => {
      const mapped = this.partner.categoryMap[category];
      if (!mapped) {
        throw badInput(
          `Unknown ${this.partner.key} category "${category}"; known: ${Object.keys(this.partner.categoryMap).join(', ')}`,
        );
      }
      return mapped;
    };
    switch (event.type) {
      case 'purchase':
        return {
          type: 'purchase',
          occurredAt: event.occurredAt,
          amountMinor: event.amountMinor,
          jointCategory: jointCategory(event.category),
        };
      case 'browse':
        return {
          type: 'browse',
          occurredAt: event.occurredAt,
          seconds: event.seconds,
          jointCategory: jointCategory(event.category),
        };
      case 'interaction':
        return {
          type: 'interaction',
          occurredAt: event.occurredAt,
          jointCategory: event.category ? jointCategory(event.category) : undefined,
        };
      case 'referral':
        return { type: 'referral', occurredAt: event.occurredAt };
    }
  }

  /**
   * Records a batch of behaviour events: orders are inserted, and each account's summary gets one merged
   * `$inc`. Every event is validated (category known, account exists) before anything is written.
   */
  async recordEvents(events: readonly RecordedEvent[]): Promise<void> {
    const mapped = events.map((e) => ({ event: e, behaviour: this.toBehaviourEvent(e) }));
    const accountIds = [...new Set(events.map((e) => e.brandMemberId))];
    const accounts = await this.models.Account.find({ _id: { $in: accountIds } }, { memberId: 1 }).lean<
      AccountDocument[]
    >();
    const memberOf = new Map(accounts.map((a) => [a._id, a.memberId]));
    const missing = accountIds.filter((id) => !memberOf.has(id));
    if (missing.length > 0)
      throw badInput(`Unknown ${this.partner.key} member(s): ${missing.slice(0, 5).join(', ')}`);

    const orders: OrderDocument[] = [];
    const perAccount = new Map<
      string,
      { inc: Record<string, number>[]; firstPurchase: Date | null; spend: number }
    >();
    for (const { event, behaviour } of mapped) {
      const entry = perAccount.get(event.brandMemberId) ?? { inc: [], firstPurchase: null, spend: 0 };
      entry.inc.push(behaviourIncrements(behaviour));
      if (event.type === 'purchase') {
        entry.spend += event.amountMinor;
        if (!entry.firstPurchase || event.occurredAt < entry.firstPurchase)
          entry.firstPurchase = event.occurredAt;
        orders.push({
          _id: event.orderId,
          brandMemberId: event.brandMemberId,
          memberId: memberOf.get(event.brandMemberId) ?? null,
          amountMinor: event.amountMinor,
          refundedMinor: 0,
          currency: event.currency,
          category: event.category,
          jointCategory: (behaviour as { jointCategory: string }).jointCategory,
          occurredAt: event.occurredAt,
        });
      }
      perAccount.set(event.brandMemberId, entry);
    }
    if (orders.length > 0) await this.models.Order.insertMany(orders, { ordered: false });
    const updates: AnyBulkWriteOperation<AccountDocument>[] = [...perAccount].map(([id, entry]) => ({
      updateOne: {
        filter: { _id: id },
        update: {
          $inc: { ...mergeIncrements(entry.inc), lifetimeSpendMinor: entry.spend },
          ...(entry.firstPurchase ? { $min: { firstPurchaseAt: entry.firstPurchase } } : {}),
        },
      },
    }));
    if (updates.length > 0) await this.models.Account.bulkWrite(updates, { ordered: false });
  }
}
