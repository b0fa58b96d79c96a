import type { PartnerEvent } from '../../shared/events/partner-event.js';
import type { KnownOrder, StoreFacts } from './event-checks.js';
import { checkEvents } from './event-checks.js';

const PARTNER = { key: 'pulsefit', categoryMap: { yoga: 'health', cinema: 'entertainment' } } as const;
const AT = '2026-06-20T09:30:00.000Z';
const common = { brandMemberId: 'PU1', occurredAt: AT };

const purchase = (eventId: string, orderId: string, amountMinor = 10_000): PartnerEvent => ({
  ...common,
  eventId,
  type: 'purchase',
  orderId,
  amountMinor,
  currency: 'CNY',
  category: 'yoga',
});
const refund = (
  eventId: string,
  orderId: string,
  amountMinor: number,
  brandMemberId = 'PU1',
): PartnerEvent => ({
  ...common,
  brandMemberId,
  eventId,
  type: 'refund',
  orderId,
  amountMinor,
});

const order = (fields: Partial<KnownOrder> = {}): KnownOrder => ({
  brandMemberId: 'PU1',
  purchaseEventId: 'p0',
  remainingMinor: 10_000,
  refundEventIds: [],
  occurredAt: new Date(AT),
  ...fields,
});

const facts = (
  orders: Record<string, KnownOrder> = {},
  referrals: Record<string, string> = {},
): StoreFacts => ({
  accounts: new Map([
    ['PU1', 'M1'],
    ['PU2', null],
  ]),
  orders: new Map(Object.entries(orders)),
  referrals: new Map(Object.entries(referrals)),
});

const reasons = (events: PartnerEvent[], store: StoreFacts = facts()) =>
  checkEvents(events, store, PARTNER).map((c) => (c.ok ? 'ok' : c.reason));

describe('checkEvents', () => {
  it('accepts an event of a known account with its member and joint category', () => {
    expect(checkEvents([purchase('p1', 'o1')], facts(), PARTNER)).toEqual([
      { ok: true, accepted: { event: purchase('p1', 'o1'), memberId: 'M1', jointCategory: 'health' } },
    ]);
    const unlinked = {
      ...common,
      brandMemberId: 'PU2',
      eventId: 'i1',
      type: 'interaction',
      kind: 'like',
    } as const;
    expect(checkEvents([unlinked], facts(), PARTNER)).toEqual([
      { ok: true, accepted: { event: unlinked, memberId: null, jointCategory: null } },
    ]);
  });

  it("accepts a subscription of a linked account only: a membership plan is the programme's", () => {
    const subscription = (brandMemberId: string): PartnerEvent => ({
      ...common,
      brandMemberId,
      eventId: `s-${brandMemberId}`,
      type: 'subscription',
      action: 'pay',
      planId: 'fit-pass-monthly',
      amountMinor: 3_900,
      currency: 'CNY',
      periodStart: AT,
    });
    expect(reasons([subscription('PU1'), subscription('PU2')])).toEqual([
      'ok',
      'brandMemberId "PU2" is not linked to the programme; a membership plan is the programme\'s',
    ]);
  });

  it('rejects an unknown account and an unknown local category, listing the known ones', () => {
    expect(reasons([{ ...purchase('p1', 'o1'), brandMemberId: 'PU9' } as PartnerEvent])).toEqual([
      'unknown brandMemberId "PU9" at pulsefit',
    ]);
    expect(reasons([{ ...purchase('p1', 'o1'), category: 'karate' } as PartnerEvent])).toEqual([
      'unknown category "karate" for pulsefit; known: yoga, cinema',
    ]);
  });

  it('rejects a purchase reusing an order id, recorded before or earlier in the batch', () => {
    expect(reasons([purchase('p1', 'o1')], facts({ o1: order() }))).toEqual([
      'orderId "o1" was already recorded by event "p0"',
    ]);
    expect(reasons([purchase('p1', 'o2'), purchase('p2', 'o2')])).toEqual([
      'ok',
      'orderId "o2" was already recorded by event "p1"',
    ]);
    // The same purchase again is not a reuse: the claim reports it as a duplicate.
    expect(reasons([purchase('p0', 'o1')], facts({ o1: order() }))).toEqual(['ok']);
  });

  it('rejects refunds of unknown orders, of other members, and beyond what remains', () => {
    expect(reasons([refund('r1', 'o9', 100)])).toEqual(['orderId "o9" is not a recorded purchase']);
    expect(reasons([refund('r1', 'o1', 100, 'PU2')], facts({ o1: order() }))).toEqual([
      'orderId "o1" belongs to another member',
    ]);
    expect(reasons([refund('r1', 'o1', 10_001)], facts({ o1: order() }))).toEqual([
      'amountMinor 10001 exceeds the 10000 that remains of order "o1"',
    ]);
  });

  it('checks the refunds of one batch against what the earlier ones leave', () => {
    expect(
      reasons(
        [refund('r1', 'o1', 6_000), refund('r2', 'o1', 5_000), refund('r3', 'o1', 4_000)],
        facts({ o1: order() }),
      ),
    ).toEqual(['ok', 'amountMinor 5000 exceeds the 4000 that remains of order "o1"', 'ok']);
  });

  it('rejects a refund dated before its purchase', () => {
    const early = { ...refund('r1', 'o1', 100), occurredAt: '2026-06-20T09:29:59.000Z' } as PartnerEvent;
    expect(reasons([early], facts({ o1: order() }))).toEqual([
      'occurredAt 2026-06-20T09:29:59.000Z is before the purchase of order "o1" (2026-06-20T09:30:00.000Z); a refund follows its purchase',
    ]);
    // The same instant as the purchase is fine (a refund at the till).
    expect(reasons([refund('r1', 'o1', 100)], facts({ o1: order() }))).toEqual(['ok']);
  });

  it('lets a refund already applied through (a repeat), however little remains', () => {
    const refunded = order({ remainingMinor: 0, refundEventIds: ['r1'] });
    expect(reasons([refund('r1', 'o1', 10_000)], facts({ o1: refunded }))).toEqual(['ok']);
    expect(reasons([refund('r2', 'o1', 6_000), refund('r2', 'o1', 6_000)], facts({ o1: order() }))).toEqual([
      'ok',
      'ok',
    ]);
  });

  describe('referrals', () => {
    const referral = (eventId: string, referred: string, referrer = 'PU1'): PartnerEvent => ({
      ...common,
      brandMemberId: referrer,
      eventId,
      type: 'referral',
      referredBrandMemberId: referred,
    });

    it('accepts a referral of another existing account of the partner, linked or not', () => {
      expect(reasons([referral('f1', 'PU2')])).toEqual(['ok']);
      expect(reasons([referral('f1', 'PU1', 'PU2')])).toEqual(['ok']);
    });

    it('rejects a referral of the referring account itself and of an account the partner does not have', () => {
      expect(reasons([referral('f1', 'PU1')])).toEqual([
        'referredBrandMemberId is the referring account itself',
      ]);
      expect(reasons([referral('f1', 'PU-friend')])).toEqual([
        'referredBrandMemberId "PU-friend" is not an account at pulsefit',
      ]);
    });

    it('counts each referred account once: later referrals, stored or in the batch, are rejected', () => {
      expect(reasons([referral('f2', 'PU2')], facts({}, { PU2: 'f1' }))).toEqual([
        'referredBrandMemberId "PU2" was already referred by event "f1"',
      ]);
      expect(reasons([referral('f1', 'PU2'), referral('f2', 'PU2')])).toEqual([
        'ok',
        'referredBrandMemberId "PU2" was already referred by event "f1"',
      ]);
      // The referral that counted, sent again, is left to the claim (a duplicate or a conflict).
      expect(reasons([referral('f1', 'PU2')], facts({}, { PU2: 'f1' }))).toEqual(['ok']);
    });
  });
});
