import type { AcceptedEvent, Purchase } from './accepted-event.js';
import { eventEffects, purchaseOrder } from './event-effects.js';

const AT = '2026-06-20T09:30:00.000Z';
const LATER = '2026-06-25T18:00:00.000Z';
const common = { brandMemberId: 'PU1', occurredAt: AT };

const purchase: AcceptedEvent<Purchase> = {
  event: {
    ...common,
    eventId: 'e1',
    type: 'purchase',
    orderId: 'o1',
    amountMinor: 15_050,
    currency: 'CNY',
    category: 'yoga',
  },
  memberId: 'M1',
  jointCategory: 'health',
};

const messageOf = (eventId: string, type: string, occurredAt = AT) => ({
  partner: 'pulsefit',
  eventId,
  type,
  brandMemberId: 'PU1',
  memberId: 'M1',
  occurredAt,
});

describe('purchaseOrder', () => {
  it('records the whole amount as refundable, owned by the purchase', () => {
    expect(purchaseOrder(purchase)).toEqual({
      brandMemberId: 'PU1',
      memberId: 'M1',
      amountMinor: 15_050,
      refundedMinor: 0,
      remainingMinor: 15_050,
      purchaseEventId: 'e1',
      refundEventIds: [],
      currency: 'CNY',
      category: 'yoga',
      jointCategory: 'health',
      occurredAt: new Date(AT),
    });
  });
});

describe('eventEffects', () => {
  it('counts a purchase on its day, adds its spend to the lifetime total and publishes amount and order', () => {
    expect(eventEffects(purchase, 'pulsefit')).toEqual({
      increments: {
        'days.2026-06-20.purchaseCount': 1,
        'days.2026-06-20.spendMinor': 15_050,
        'days.2026-06-20.categories.health.purchaseCount': 1,
        'days.2026-06-20.categories.health.spendMinor': 15_050,
        lifetimeSpendMinor: 15_050,
      },
      firstPurchaseAt: new Date(AT),
      message: {
        ...messageOf('e1', 'purchase'),
        amountMinor: 15_050,
        orderId: 'o1',
        jointCategory: 'health',
      },
    });
  });

  it("takes a refund off the purchase's day and publishes what the points reversal needs", () => {
    const refund: AcceptedEvent = {
      event: {
        ...common,
        occurredAt: LATER,
        eventId: 'r2',
        type: 'refund',
        orderId: 'o1',
        amountMinor: 5_000,
      },
      memberId: 'M1',
      jointCategory: null,
    };
    const order = {
      amountMinor: 15_050,
      occurredAt: new Date(AT),
      jointCategory: 'health' as const,
      refundedBeforeMinor: 1_000,
    };
    expect(eventEffects(refund, 'pulsefit', order)).toEqual({
      increments: {
        'days.2026-06-20.spendMinor': -5_000,
        'days.2026-06-20.categories.health.spendMinor': -5_000,
        lifetimeSpendMinor: -5_000,
      },
      firstPurchaseAt: null,
      message: {
        ...messageOf('r2', 'refund', LATER),
        amountMinor: 5_000,
        orderId: 'o1',
        orderAmountMinor: 15_050,
        refundedBeforeMinor: 1_000,
        purchasedAt: AT,
      },
    });
  });

  it('refuses to guess what a refund changes without its order', () => {
    const refund: AcceptedEvent = {
      event: { ...common, eventId: 'r3', type: 'refund', orderId: 'o1', amountMinor: 1 },
      memberId: 'M1',
      jointCategory: null,
    };
    expect(() => eventEffects(refund, 'pulsefit')).toThrow('refund "r3" needs its order');
  });

  it('counts browsing, interactions and referrals without touching lifetime spend', () => {
    const browse = eventEffects(
      {
        event: { ...common, eventId: 'b1', type: 'browse', category: 'yoga', seconds: 120 },
        memberId: 'M1',
        jointCategory: 'health',
      },
      'pulsefit',
    );
    expect(browse.increments).toEqual({
      'days.2026-06-20.browseCount': 1,
      'days.2026-06-20.browseSeconds': 120,
      'days.2026-06-20.categories.health.browseSeconds': 120,
    });
    expect(browse.message).toEqual({ ...messageOf('b1', 'browse'), jointCategory: 'health' });
    const interaction = eventEffects(
      {
        event: { ...common, eventId: 'i1', type: 'interaction', kind: 'like' },
        memberId: 'M1',
        jointCategory: null,
      },
      'pulsefit',
    );
    expect(interaction.increments).toEqual({ 'days.2026-06-20.interactionCount': 1 });
    const referral = eventEffects(
      {
        event: { ...common, eventId: 'f1', type: 'referral', referredBrandMemberId: 'PU2' },
        memberId: null,
        jointCategory: null,
      },
      'pulsefit',
    );
    expect(referral).toEqual({
      increments: { 'days.2026-06-20.referralCount': 1 },
      firstPurchaseAt: null,
      message: { ...messageOf('f1', 'referral'), memberId: null },
    });
  });

  it('treats a purchase without a joint category as a bug, not as uncategorised spend', () => {
    expect(() => eventEffects({ ...purchase, jointCategory: null }, 'pulsefit')).toThrow(
      'event "e1" (purchase) has no joint category',
    );
  });

  it('counts a login on its day and nothing else', () => {
    expect(
      eventEffects(
        { event: { ...common, eventId: 'l1', type: 'login' }, memberId: 'M1', jointCategory: null },
        'pulsefit',
      ),
    ).toEqual({
      increments: { 'days.2026-06-20.loginCount': 1 },
      firstPurchaseAt: null,
      message: messageOf('l1', 'login'),
    });
  });

  it('publishes a subscription with its plan and period and leaves the behaviour summary alone', () => {
    const event = {
      ...common,
      eventId: 's1',
      type: 'subscription',
      action: 'pay',
      planId: 'fit-pass-monthly',
      amountMinor: 3_900,
      currency: 'CNY',
      periodStart: '2026-06-20T00:00:00Z',
    } as const;
    expect(eventEffects({ event, memberId: 'M1', jointCategory: null }, 'pulsefit')).toEqual({
      increments: {},
      firstPurchaseAt: null,
      message: {
        ...messageOf('s1', 'subscription'),
        amountMinor: 3_900,
        subscription: { action: 'pay', planId: 'fit-pass-monthly', periodStart: '2026-06-20T00:00:00.000Z' },
      },
    });
  });
});
