import type { PartnerConfig } from '../../subgraphs/shared/config/partner-registry.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { parsePartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import type { NewAccount } from '../../subgraphs/brand/data/brand-account-store.js';
import type {
  AccountDocument,
  EventDocument,
  OrderDocument,
  ReferralDocument,
} from '../../subgraphs/brand/data/brand-models.js';
import type { AcceptedEvent } from '../../subgraphs/brand/domain/accepted-event.js';
import { checkEvents } from '../../subgraphs/brand/domain/event-checks.js';
import type { RefundedOrder } from '../../subgraphs/brand/domain/event-effects.js';
import { eventEffects, purchaseOrder } from '../../subgraphs/brand/domain/event-effects.js';
import { eventDocument } from '../../subgraphs/brand/ingest/stored-event.js';

/** Events per ingest request, as the seed sends them (each request checks its refunds in a second phase). */
export const SEED_INGEST_BATCH = 1000;

/** The brand store's documents after a partner's seed events went through the ingest pipeline. */
export interface BrandSeedDocuments {
  accounts: AccountDocument[];
  orders: OrderDocument[];
  referrals: ReferralDocument[];
}

/** Why a seed document cannot be written: the same reason the ingest endpoint answers with. */
export class SeedRejectedError extends Error {}

/**
 * The brand ingest pipeline (`BrandEventIngestor` with its `GuardedEventWriter`) replayed over one
 * partner's seed in memory: the same envelope validation (`parsePartnerEvent`), the same checks against
 * the store (`checkEvents`, here against the documents written so far) and the same effects
 * (`purchaseOrder`, `eventEffects`), in the same requests of `SEED_INGEST_BATCH` time-ordered events with
 * refunds as each request's second phase. It yields the event documents of each request, final (applied,
 * with their stream message), so that a caller can write them while the next are computed; the accounts,
 * orders and referrals, which later events still change, come at the end (`finish`).
 *
 * A seed is the demo data and never races another delivery, so anything the live pipeline would reject or
 * void is an error here (`SeedRejectedError`), as it is for `npm run seed`.
 */
export class BulkBrandIngest {
  private readonly accounts = new Map<string, AccountDocument>();
  private readonly orders = new Map<string, OrderDocument>();
  private readonly referrals = new Map<string, ReferralDocument>();
  /** Referred account → the referral event that counted, as `loadStoreFacts` reads it. */
  private readonly referralEvents = new Map<string, string>();
  private readonly refundAmounts = new Map<string, number>();
  private readonly eventIds = new Set<string>();

  constructor(
    private readonly partner: PartnerConfig,
    /** The ingest clock: events are checked against it, and it is their receipt and application time. */
    private readonly now: Date,
  ) {}

  /** The account as `BrandAccountStore.upsertAccounts` inserts it. */
  addAccounts(accounts: readonly NewAccount[]): void {
    for (const a of accounts) {
      const existing = this.accounts.get(a.brandMemberId);
      if (existing) {
        existing.memberId = a.memberId;
        existing.displayName = a.displayName;
        continue;
      }
      this.accounts.set(a.brandMemberId, {
        _id: a.brandMemberId,
        memberId: a.memberId,
        displayName: a.displayName,
        joinedAt: a.joinedAt,
        days: {},
        lifetimeSpendMinor: 0,
      });
    }
  }

  /** One ingest request: returns its events' documents, as stored once applied. */
  ingest(raws: readonly unknown[]): EventDocument[] {
    const refunds: PartnerEvent[] = [];
    const others: PartnerEvent[] = [];
    for (const raw of raws) {
      const parsed = parsePartnerEvent(raw, this.now);
      if (!parsed.ok)
        throw new SeedRejectedError(`Seed event ${parsed.eventId} was rejected: ${parsed.reason}`);
      (parsed.event.type === 'refund' ? refunds : others).push(parsed.event);
    }
    return [...this.phase(others), ...this.phase(refunds)];
  }

  /**
   * The accounts, orders and referrals once every event went through, with the events' guards settled: the
   * seed is history, so its accounts keep no pending event ids, as after `IngestRecovery.releaseAllGuards`.
   */
  finish(): BrandSeedDocuments {
    for (const account of this.accounts.values()) if (account.pendingEventIds) account.pendingEventIds = [];
    return {
      accounts: [...this.accounts.values()],
      orders: [...this.orders.values()],
      referrals: [...this.referrals.values()],
    };
  }

  private phase(events: readonly PartnerEvent[]): EventDocument[] {
    if (events.length === 0) return [];
    const facts = {
      accounts: new Map(events.flatMap((e) => this.accountFacts(e))),
      orders: this.orders,
      referrals: this.referralEvents,
    };
    const accepted = checkEvents(events, facts, this.partner).map((check, i) => {
      if (!check.ok)
        throw new SeedRejectedError(`Seed event ${events[i].eventId} was rejected: ${check.reason}`);
      return check.accepted;
    });
    return accepted.map((a) => this.apply(a));
  }

  /** What `loadStoreFacts` reads of the accounts an event names. */
  private accountFacts(event: PartnerEvent): [string, string | null][] {
    const ids =
      event.type === 'referral' ? [event.brandMemberId, event.referredBrandMemberId] : [event.brandMemberId];
    return ids.flatMap((id) => {
      const account = this.accounts.get(id);
      return account ? [[id, account.memberId] as [string, string | null]] : [];
    });
  }

  /** Steps 1-4 of the guarded writer for one accepted event. */
  private apply(accepted: AcceptedEvent): EventDocument {
    const { event } = accepted;
    if (this.eventIds.has(event.eventId)) {
      throw new SeedRejectedError(`Seed event ${event.eventId} is sent twice: seed event ids must be unique`);
    }
    this.eventIds.add(event.eventId);
    const refunded = this.writeOrder(accepted);
    const effects = eventEffects(accepted, this.partner.key, refunded);
    const account = this.accounts.get(event.brandMemberId);
    if (account && !account.pendingEventIds?.includes(event.eventId)) {
      for (const [path, amount] of Object.entries(effects.increments)) incrementAtPath(account, path, amount);
      (account.pendingEventIds ??= []).push(event.eventId);
      if (
        effects.firstPurchaseAt &&
        (!account.firstPurchaseAt || effects.firstPurchaseAt < account.firstPurchaseAt)
      ) {
        account.firstPurchaseAt = effects.firstPurchaseAt;
      }
    }
    // Applied, published to nobody yet, and its guard settled (no `guardHeld`, see `finish`).
    const { guardHeld: _settled, ...stored } = eventDocument(accepted, this.now);
    return { ...stored, state: 'applied', appliedAt: this.now, message: effects.message };
  }

  /** Step 2: the purchase's order, the refund's decrement, the referral's claim. */
  private writeOrder(accepted: AcceptedEvent): RefundedOrder | null {
    const { event } = accepted;
    const voided = (reason: string) =>
      new SeedRejectedError(`Seed event ${event.eventId} was rejected: ${reason}`);
    switch (event.type) {
      case 'purchase': {
        const owner = this.orders.get(event.orderId)?.purchaseEventId;
        if (owner !== undefined)
          throw voided(`orderId "${event.orderId}" was already recorded by event "${owner}"`);
        this.orders.set(event.orderId, { _id: event.orderId, ...purchaseOrder({ ...accepted, event }) });
        return null;
      }
      case 'refund': {
        const order = this.orders.get(event.orderId);
        if (
          !order ||
          order.refundEventIds.includes(event.eventId) ||
          order.remainingMinor < event.amountMinor
        ) {
          throw voided(`order "${event.orderId}" no longer has that much left to refund`);
        }
        const refundedBeforeMinor = order.refundEventIds.reduce(
          (sum, id) => sum + this.refundAmounts.get(id)!,
          0,
        );
        order.remainingMinor -= event.amountMinor;
        order.refundedMinor += event.amountMinor;
        order.refundEventIds.push(event.eventId);
        this.refundAmounts.set(event.eventId, event.amountMinor);
        return {
          amountMinor: order.amountMinor,
          occurredAt: order.occurredAt,
          jointCategory: order.jointCategory,
          refundedBeforeMinor,
        };
      }
      case 'referral': {
        const counted = this.referrals.get(event.referredBrandMemberId)?.eventId;
        if (counted !== undefined) {
          throw voided(
            `referredBrandMemberId "${event.referredBrandMemberId}" was already referred by event "${counted}"`,
          );
        }
        this.referrals.set(event.referredBrandMemberId, {
          _id: event.referredBrandMemberId,
          eventId: event.eventId,
          referrerBrandMemberId: event.brandMemberId,
          occurredAt: new Date(event.occurredAt),
        });
        this.referralEvents.set(event.referredBrandMemberId, event.eventId);
        return null;
      }
      default:
        return null;
    }
  }
}

/** `$inc` of a dotted path, creating the objects on the way, as the store applies "days.<day>.<field>". */
function incrementAtPath(target: object, path: string, amount: number): void {
  const keys = path.split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  node[last] = ((node[last] as number | undefined) ?? 0) + amount;
}

/** The seed's events of one partner in ingest order: by time, as `npm run seed` sends them. */
export function eventsInIngestOrder(events: readonly PartnerEvent[]): PartnerEvent[] {
  return [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
