import type { ParsedEvent } from './partner-event.js';
import {
  EVENT_RETENTION_DAYS,
  MAX_EVENT_AMOUNT_MINOR,
  parsePartnerEvent,
  parseStoredPartnerEvent,
} from './partner-event.js';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const DAY_MS = 86_400_000;

const PURCHASE = {
  eventId: 'pf-e-0001',
  type: 'purchase',
  brandMemberId: 'PU00200043',
  occurredAt: '2026-06-29T09:30:00Z',
  orderId: 'pf-o-0001',
  amountMinor: 15_050,
  currency: 'CNY',
  category: 'personal-training',
};
const at = { brandMemberId: 'PU00200043', occurredAt: '2026-06-29T09:30:00Z' };

const reasonOf = (raw: unknown): string => {
  const parsed: ParsedEvent = parsePartnerEvent(raw, NOW);
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.event)}`);
  return parsed.reason;
};
const without = (key: keyof typeof PURCHASE) => {
  const copy: Record<string, unknown> = { ...PURCHASE };
  delete copy[key];
  return copy;
};

const SUBSCRIPTION = {
  eventId: 's1',
  type: 'subscription',
  ...at,
  action: 'pay',
  planId: 'joint-plus',
  amountMinor: 9_900,
  currency: 'CNY',
  periodStart: '2026-06-29T00:00:00Z',
};

describe('parsePartnerEvent: valid events', () => {
  it.each([
    ['purchase', PURCHASE],
    ['refund', { eventId: 'r1', type: 'refund', ...at, orderId: 'pf-o-0001', amountMinor: 5_025 }],
    ['browse', { eventId: 'b1', type: 'browse', ...at, category: 'yoga', seconds: 0 }],
    ['interaction', { eventId: 'i1', type: 'interaction', ...at, kind: 'review' }],
    [
      'interaction with a category',
      { eventId: 'i2', type: 'interaction', ...at, kind: 'like', category: 'yoga' },
    ],
    ['referral', { eventId: 'f1', type: 'referral', ...at, referredBrandMemberId: 'PU-friend-77' }],
    ['login', { eventId: 'l1', type: 'login', ...at }],
    ['subscription payment', SUBSCRIPTION],
    ['subscription trial (0 paid)', { ...SUBSCRIPTION, amountMinor: 0 }],
    ['subscription refund', { ...SUBSCRIPTION, action: 'refund' }],
  ])('accepts a %s and returns it as sent', (_label, raw) => {
    expect(parsePartnerEvent(raw, NOW)).toEqual({ ok: true, event: raw });
  });

  it('accepts fractional seconds and every identifier character the schema allows', () => {
    const parsed = parsePartnerEvent(
      { ...PURCHASE, eventId: 'a.b_c:d@e-1', occurredAt: '2026-06-29T09:30:00.123Z' },
      NOW,
    );
    expect(parsed.ok).toBe(true);
  });

  it('accepts a time up to five minutes ahead (partner clock skew) and up to the retention window old', () => {
    expect(parsePartnerEvent({ ...PURCHASE, occurredAt: '2026-06-30T12:04:59Z' }, NOW).ok).toBe(true);
    const oldest = new Date(NOW.getTime() - EVENT_RETENTION_DAYS * DAY_MS + 60_000).toISOString();
    expect(parsePartnerEvent({ ...PURCHASE, occurredAt: oldest }, NOW).ok).toBe(true);
  });
});

describe('parsePartnerEvent: rejections a partner can act on', () => {
  it('names each missing field', () => {
    expect(reasonOf(without('orderId'))).toBe('orderId is required');
    expect(reasonOf(without('occurredAt'))).toBe('occurredAt is required');
    expect(reasonOf({ eventId: 'f1', type: 'referral', ...at })).toBe('referredBrandMemberId is required');
    const { orderId: _o, amountMinor: _a, ...bare } = PURCHASE;
    expect(reasonOf(bare)).toBe('orderId is required; amountMinor is required');
  });

  it('refuses zero and negative amounts', () => {
    expect(reasonOf({ ...PURCHASE, amountMinor: -5 })).toBe('amountMinor must be greater than 0');
    expect(reasonOf({ ...PURCHASE, amountMinor: 0 })).toBe('amountMinor must be greater than 0');
    expect(reasonOf({ eventId: 'r1', type: 'refund', ...at, orderId: 'o', amountMinor: -1 })).toBe(
      'amountMinor must be greater than 0',
    );
  });

  it('refuses a non-integer amount, saying amounts are integer minor units', () => {
    expect(reasonOf({ ...PURCHASE, amountMinor: 150.5 })).toBe(
      'amountMinor must be an integer number of minor units (e.g. 1999 for CNY 19.99)',
    );
  });

  it('refuses an amount that is not a number, rather than calling it missing', () => {
    expect(reasonOf({ ...PURCHASE, amountMinor: '15050' })).toBe(
      'amountMinor must be a number (integer minor units, e.g. 1999 for CNY 19.99)',
    );
    expect(reasonOf({ ...PURCHASE, eventId: 42 })).toBe('eventId must be a string');
  });

  it('refuses an amount above the per-event maximum, which keeps amounts 32-bit and sums exact', () => {
    const reason = 'amountMinor must be at most 1000000000 (CNY 10,000,000.00) per event';
    expect(parsePartnerEvent({ ...PURCHASE, amountMinor: MAX_EVENT_AMOUNT_MINOR }, NOW).ok).toBe(true);
    expect(reasonOf({ ...PURCHASE, amountMinor: MAX_EVENT_AMOUNT_MINOR + 1 })).toBe(reason);
    expect(reasonOf({ ...PURCHASE, amountMinor: 2 ** 31 })).toBe(reason);
    expect(reasonOf({ eventId: 'r1', type: 'refund', ...at, orderId: 'o', amountMinor: 1e11 })).toBe(reason);
    expect(MAX_EVENT_AMOUNT_MINOR).toBeLessThan(2 ** 31 - 1);
    // Sums stay exact: more than nine million purchases at the maximum before an account's total could not.
    expect(Number.MAX_SAFE_INTEGER / MAX_EVENT_AMOUNT_MINOR).toBeGreaterThan(9_000_000);
  });

  it('refuses a subscription without its plan, period or a known action, and with unknown fields', () => {
    const { planId: _planId, ...withoutPlan } = SUBSCRIPTION;
    expect(reasonOf(withoutPlan)).toBe('planId is required');
    expect(reasonOf({ ...SUBSCRIPTION, periodStart: 'tomorrow' })).toBe(
      'periodStart must be an ISO-8601 UTC time such as 2026-12-01T00:00:00Z',
    );
    expect(reasonOf({ ...SUBSCRIPTION, action: 'renew' })).toBe('action must be one of pay, refund');
    expect(reasonOf({ ...SUBSCRIPTION, amountMinor: -1 })).toBe('amountMinor must be 0 or more');
    expect(reasonOf({ ...SUBSCRIPTION, orderId: 'o1' })).toBe('unknown field(s): orderId');
  });

  it('refuses fields beyond the common ones on a login', () => {
    expect(reasonOf({ eventId: 'l1', type: 'login', ...at, category: 'yoga' })).toBe(
      'unknown field(s): category',
    );
  });

  it('refuses an unknown event type, listing the known ones', () => {
    expect(reasonOf({ ...PURCHASE, type: 'purchased' })).toBe(
      'type must be one of purchase, refund, browse, interaction, referral, login, subscription',
    );
    expect(reasonOf(without('type'))).toBe(
      'type must be one of purchase, refund, browse, interaction, referral, login, subscription',
    );
  });

  it('refuses unknown fields, naming them, including fields of another event type', () => {
    expect(reasonOf({ ...PURCHASE, coupon: 'SPRING' })).toBe('unknown field(s): coupon');
    expect(
      reasonOf({ eventId: 'r1', type: 'refund', ...at, orderId: 'o', amountMinor: 1, currency: 'CNY' }),
    ).toBe('unknown field(s): currency');
  });

  it('refuses a time in the future and one older than the retention window', () => {
    expect(reasonOf({ ...PURCHASE, occurredAt: '2026-06-30T12:06:00Z' })).toBe('occurredAt is in the future');
    const tooOld = new Date(NOW.getTime() - (EVENT_RETENTION_DAYS + 1) * DAY_MS).toISOString();
    expect(reasonOf({ ...PURCHASE, occurredAt: tooOld })).toBe(
      'occurredAt is older than the 730-day retention window',
    );
  });

  it('refuses a time that is not ISO-8601 UTC', () => {
    const message = 'occurredAt must be an ISO-8601 UTC time such as 2026-11-22T08:30:00Z';
    expect(reasonOf({ ...PURCHASE, occurredAt: 'yesterday' })).toBe(message);
    expect(reasonOf({ ...PURCHASE, occurredAt: '2026-06-29T09:30:00+08:00' })).toBe(message);
  });

  it('refuses other currencies, unknown interaction kinds and out-of-range browse seconds', () => {
    expect(reasonOf({ ...PURCHASE, currency: 'USD' })).toBe('currency must be "CNY"');
    expect(reasonOf({ eventId: 'i1', type: 'interaction', ...at, kind: 'poke' })).toBe(
      'kind must be one of review, share, comment, like',
    );
    const browse = { eventId: 'b1', type: 'browse', ...at, category: 'yoga' };
    expect(reasonOf({ ...browse, seconds: -1 })).toBe('seconds must be 0 or more');
    expect(reasonOf({ ...browse, seconds: 86_401 })).toBe('seconds must be at most 86400');
    expect(reasonOf({ ...browse, seconds: 1.5 })).toBe('seconds must be an integer');
  });

  it('refuses identifiers that are empty, too long or hold other characters', () => {
    expect(reasonOf({ ...PURCHASE, eventId: 'has space' })).toBe(
      'eventId may contain only letters, digits and . _ : @ -',
    );
    expect(reasonOf({ ...PURCHASE, eventId: 'x'.repeat(129) })).toBe(
      'eventId must be at most 128 characters',
    );
    expect(reasonOf({ ...PURCHASE, orderId: '' })).toMatch(/^orderId must not be empty/);
    expect(reasonOf({ ...PURCHASE, category: '' })).toBe('category must not be empty');
  });

  it('lists every problem of an event at once', () => {
    expect(reasonOf({ ...PURCHASE, amountMinor: -5, currency: 'USD', coupon: 'X' })).toBe(
      'amountMinor must be greater than 0; currency must be "CNY"; unknown field(s): coupon',
    );
  });

  it('refuses anything that is not a JSON object', () => {
    for (const raw of [null, undefined, 42, 'purchase', [PURCHASE]]) {
      expect(reasonOf(raw)).toBe('each event must be a JSON object');
    }
  });

  it('reports the event id of a rejected event when it has a string one', () => {
    expect(parsePartnerEvent({ ...PURCHASE, amountMinor: -1 }, NOW)).toMatchObject({
      ok: false,
      eventId: 'pf-e-0001',
    });
    expect(parsePartnerEvent({ ...PURCHASE, eventId: 7 }, NOW)).not.toHaveProperty('eventId', 7);
  });
});

describe('parseStoredPartnerEvent', () => {
  it('reads back an event past the retention window, still checking the envelope', () => {
    const old = { ...PURCHASE, occurredAt: '2019-01-01T00:00:00Z' };
    expect(parseStoredPartnerEvent(old)).toEqual({ ok: true, event: old });
    expect(parseStoredPartnerEvent({ ...old, amountMinor: '1' })).toMatchObject({ ok: false });
  });
});
