import { randomBytes } from 'node:crypto';
import type { PointsLedgerEntry } from '../../subgraphs/benefits/data/points-ledger.js';
import { pointsForActivity } from '../../subgraphs/benefits/domain/earning-rules.js';
import type { AccountDocument, BrandModels, EventDocument } from '../../subgraphs/brand/data/brand-models.js';
import { brandModels } from '../../subgraphs/brand/data/brand-models.js';
import { isStoreUnavailable } from '../../subgraphs/shared/db/store-unavailable.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import type { TestFederation } from '../federation-harness.js';
import { dataOf } from '../federation/graphql-responses.js';

/**
 * Partner events, polling and store probes for the event-backbone tests. Points are asserted against
 * hand-computed numbers from the seed rules (schema/earning-rules.json): 1 point per whole yuan, 5 per
 * interaction, 50 per referral, purchase points pending for 7 days.
 */

const DAY_MS = 86_400_000;

export type PurchaseEvent = Extract<PartnerEvent, { type: 'purchase' }>;
export type RefundEvent = Extract<PartnerEvent, { type: 'refund' }>;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An ISO instant `days` before now (fractions allowed); 10 days ago puts purchase points past pending. */
export const daysAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString();

/** An id no other test (or run against a shared store) uses. */
export const uniqueId = (label: string): string => `${label}-${randomBytes(5).toString('hex')}`;

export function purchaseEvent(
  brandMemberId: string,
  fields: { amountMinor: number; category: string; occurredAt?: string; orderId?: string; eventId?: string },
): PurchaseEvent {
  return {
    eventId: fields.eventId ?? uniqueId('purchase'),
    type: 'purchase',
    brandMemberId,
    occurredAt: fields.occurredAt ?? daysAgo(10),
    orderId: fields.orderId ?? uniqueId('order'),
    amountMinor: fields.amountMinor,
    currency: 'CNY',
    category: fields.category,
  };
}

export function refundEvent(
  purchase: Pick<PurchaseEvent, 'brandMemberId' | 'orderId'>,
  amountMinor: number,
  occurredAt = daysAgo(9),
): RefundEvent {
  return {
    eventId: uniqueId('refund'),
    type: 'refund',
    brandMemberId: purchase.brandMemberId,
    occurredAt,
    orderId: purchase.orderId,
    amountMinor,
  };
}

export const interactionEvent = (brandMemberId: string, occurredAt = daysAgo(1)): PartnerEvent => ({
  eventId: uniqueId('interaction'),
  type: 'interaction',
  brandMemberId,
  occurredAt,
  kind: 'review',
});

/** A referral of `referredBrandMemberId`, which must be another existing account (see `newBrandAccount`). */
export const referralEvent = (
  brandMemberId: string,
  referredBrandMemberId: string,
  occurredAt = daysAgo(1),
): PartnerEvent => ({
  eventId: uniqueId('referral'),
  type: 'referral',
  brandMemberId,
  occurredAt,
  referredBrandMemberId,
});

export const loginEvent = (brandMemberId: string, occurredAt = daysAgo(1)): PartnerEvent => ({
  eventId: uniqueId('login'),
  type: 'login',
  brandMemberId,
  occurredAt,
});

/** A new account at the brand, linked to `memberId` or to no one; returns its brand member id. */
export async function newBrandAccount(
  fed: TestFederation,
  partner: string,
  memberId: string | null = null,
): Promise<string> {
  const brandMemberId = uniqueId(`${partner.slice(0, 2).toUpperCase()}-new`);
  await fed.stores.brands
    .get(partner)!
    .accounts.upsertAccounts([
      { brandMemberId, memberId, displayName: 'New customer', joinedAt: new Date() },
    ]);
  return brandMemberId;
}

export const browseEvent = (
  brandMemberId: string,
  category: string,
  occurredAt = daysAgo(1),
): PartnerEvent => ({
  eventId: uniqueId('browse'),
  type: 'browse',
  brandMemberId,
  occurredAt,
  category,
  seconds: 120,
});

export const jsonBody = (events: readonly unknown[]): string => JSON.stringify(events);
export const ndjsonBody = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

/**
 * Polls `probe` until it returns something other than false, null or undefined, and returns that; fails with
 * `what` after `timeoutMs` (30 s: the event pipeline runs slowly on a busy machine). Asynchronous work is waited for this way, never by sleeping a fixed time.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | null | undefined>,
  { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let unreachable: Error | undefined;
  for (;;) {
    // A probe that reads the store while the test's own driver has not yet found a restarted store again
    // (its pooled connections were to the stopped one) tries again on the next turn, like any other "not yet".
    const value = await probe().catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
      unreachable = error as Error;
      return undefined;
    });
    if (value !== false && value !== null && value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = unreachable ? ` (the store was last unreachable: ${unreachable.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await sleep(intervalMs);
  }
}

/** The brand's models on the federation's own connection to that brand's database. */
export const brandModelsOf = (fed: TestFederation, partner: string): BrandModels =>
  brandModels(fed.dbs.brands.get(partner)!.connection);

export const pointsLedger = (fed: TestFederation) =>
  fed.dbs.benefits.connection.collection<PointsLedgerEntry>('points_ledger');

/** The ledger key of a partner event (the consumer's idempotency key). */
export const ledgerKey = (partner: string, eventId: string): string => `${partner}:${eventId}`;

export const ledgerEntriesOf = (
  fed: TestFederation,
  partner: string,
  eventId: string,
): Promise<PointsLedgerEntry[]> => pointsLedger(fed).find({ partner, sourceEventId: eventId }).toArray();

/** Waits until every given event of `partner` has its ledger entry, and returns those entries. */
export async function waitForLedgerEntries(
  fed: TestFederation,
  partner: string,
  eventIds: readonly string[],
  timeoutMs = 10_000,
): Promise<PointsLedgerEntry[]> {
  return waitFor(
    `ledger entries of ${eventIds.length} ${partner} event(s)`,
    async () => {
      const entries = await pointsLedger(fed)
        .find({ partner, sourceEventId: { $in: [...eventIds] } })
        .toArray();
      return new Set(entries.map((e) => e.sourceEventId)).size === eventIds.length && entries;
    },
    { timeoutMs },
  );
}

export interface LinkedAccount {
  partner: string;
  brandMemberId: string;
  memberId: string;
}

/** A brand account linked to the programme; `memberId` picks a member, `skip` passes over the first ones. */
export async function linkedAccount(
  fed: TestFederation,
  partner: string,
  { memberId, skip = 0 }: { memberId?: string; skip?: number } = {},
): Promise<LinkedAccount> {
  const account = await brandModelsOf(fed, partner)
    .Account.findOne(memberId ? { memberId } : { memberId: { $type: 'string' } })
    .sort({ _id: 1 })
    .skip(skip)
    .lean<AccountDocument>();
  if (!account?.memberId)
    throw new Error(`no linked account at ${partner}${memberId ? ` for ${memberId}` : ''}`);
  return { partner, brandMemberId: account._id, memberId: account.memberId };
}

/** A local category of the partner that maps onto the given joint category (the first one, if not given). */
export function localCategory(fed: TestFederation, partner: string, joint?: string): string {
  const map = fed.registry.byKey.get(partner)!.categoryMap;
  const local = Object.keys(map).find((key) => joint === undefined || map[key] === joint);
  if (!local) throw new Error(`${partner} has no local category for ${joint}`);
  return local;
}

/** Waits until no brand holds an applied event the relay has not put on the stream yet. */
export async function waitForOutboxDrained(fed: TestFederation, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    'every brand outbox to be published',
    async () => {
      for (const partner of fed.dbs.brands.keys()) {
        const waiting = await brandModelsOf(fed, partner).Event.countDocuments({
          state: 'applied',
          published: false,
        });
        if (waiting > 0) return false;
      }
      return true;
    },
    { timeoutMs },
  );
}

/** Waits until a consumer group of the activity stream has applied everything on it (seeded history included). */
export async function waitForConsumerCaughtUp(
  fed: TestFederation,
  group: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    `the ${group} consumer to catch up with the stream`,
    async () => {
      const status = await fed.activityStream.groupStatus(group);
      return status !== null && status.pending === 0 && status.lag === 0;
    },
    { timeoutMs },
  );
}

/**
 * Waits until every applied event of the member that earns points (the seeded ones included) is in the
 * ledger, so that a wallet read afterwards is a stable starting point.
 */
export async function waitForMemberCredited(
  fed: TestFederation,
  memberId: string,
  timeoutMs = 20_000,
): Promise<void> {
  const keys: string[] = [];
  for (const partner of fed.dbs.brands.keys()) {
    const events = await brandModelsOf(fed, partner)
      .Event.find({ memberId, state: 'applied' }, { message: 1 })
      .lean<Pick<EventDocument, '_id' | 'message'>[]>();
    for (const event of events) {
      const change = event.message ? pointsForActivity(event.message, fed.earningRules) : null;
      if (change && change.points !== 0) keys.push(ledgerKey(partner, event._id));
    }
  }
  await waitFor(
    `the ${keys.length} earning events of ${memberId} to reach the ledger`,
    async () => (await pointsLedger(fed).countDocuments({ _id: { $in: keys } })) === keys.length,
    { timeoutMs },
  );
}

export interface WalletView {
  balance: number;
  pending: number;
  lifetimeEarned: number;
  history: { edges: { node: { id: string; kind: string; points: number; sourceEventId: string } }[] };
}

/** The member's wallet through the gateway, with the member's own token. */
export async function walletOf(fed: TestFederation, memberId: string): Promise<WalletView> {
  const token = await fed.token({ role: 'member', memberId });
  const { status, body } = await fed.query(
    '{ me { wallet { balance pending lifetimeEarned history(first: 100) { edges { node { id kind points sourceEventId } } } } } }',
    { token },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return dataOf<{ me: { wallet: WalletView } }>(body).me.wallet;
}

/** A brand account's behaviour summary as stored (day buckets, lifetime spend, ids in flight). */
export async function accountSummary(fed: TestFederation, partner: string, brandMemberId: string) {
  const account = await brandModelsOf(fed, partner).Account.findById(brandMemberId).lean<AccountDocument>();
  if (!account) throw new Error(`no account ${brandMemberId} at ${partner}`);
  return {
    days: account.days,
    lifetimeSpendMinor: account.lifetimeSpendMinor,
    pendingEventIds: account.pendingEventIds ?? [],
  };
}

const WRITES = new Set<PropertyKey>([
  'insertMany',
  'updateOne',
  'updateMany',
  'bulkWrite',
  'findOneAndUpdate',
]);

/**
 * The brand's models with the first write to one collection held until `release()` (accounts: the summary
 * step; orders or referrals: the order step): lets a test run another delivery to its end in between,
 * deterministically.
 */
export function holdFirstWrite(
  models: BrandModels,
  collection: 'Account' | 'Order' | 'Referral',
): {
  models: BrandModels;
  /** Resolves when the held write has been reached. */
  reached: Promise<void>;
  release: () => void;
} {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const heldModel = new Proxy(models[collection], {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!WRITES.has(property) || held) return value.bind(target);
      return async (...args: unknown[]) => {
        held = true;
        reach();
        await released;
        return (await Reflect.apply(value, target, args)) as unknown;
      };
    },
  });
  return { models: { ...models, [collection]: heldModel }, reached, release };
}
