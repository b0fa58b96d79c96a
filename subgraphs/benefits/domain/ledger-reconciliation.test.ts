import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { SEED_EARNING_RULES } from './earning-rules.js';
import type { PublishedActivity } from './ledger-reconciliation.js';
import {
  activitiesMissingFromLedger,
  advanceWatermark,
  expectedLedgerKeys,
  ledgerChangeFor,
  reconciliationWindow,
} from './ledger-reconciliation.js';

const rules = SEED_EARNING_RULES;
const at = new Date('2026-03-02T04:00:00Z');

function message(fields: Partial<MemberActivityMessage> & Pick<MemberActivityMessage, 'eventId' | 'type'>) {
  return {
    partner: 'pulsefit',
    brandMemberId: 'pf-1',
    memberId: 'm-1',
    occurredAt: '2026-03-01T10:00:00.000Z',
    ...fields,
  } satisfies MemberActivityMessage;
}
const published = (m: MemberActivityMessage | null, eventId = m?.eventId ?? 'x'): PublishedActivity => ({
  eventId,
  publishedAt: at,
  message: m,
});

const purchase = message({ eventId: 'e-purchase', type: 'purchase', amountMinor: 12_345, orderId: 'o-1' });
const smallPurchase = message({ eventId: 'e-small', type: 'purchase', amountMinor: 99, orderId: 'o-2' });
const refund = message({
  eventId: 'e-refund',
  type: 'refund',
  amountMinor: 5_000,
  orderId: 'o-1',
  orderAmountMinor: 12_345,
  refundedBeforeMinor: 0,
  purchasedAt: '2026-03-01T10:00:00.000Z',
});
const browse = message({ eventId: 'e-browse', type: 'browse' });
const login = message({ eventId: 'e-login', type: 'login' });
const unlinked = message({ eventId: 'e-unlinked', type: 'interaction', memberId: null });
const interaction = message({ eventId: 'e-interaction', type: 'interaction' });
const referral = message({ eventId: 'e-referral', type: 'referral' });

describe('ledgerChangeFor: what the ledger must hold for an activity', () => {
  it('expects an entry for purchases, refunds, interactions and referrals of linked members', () => {
    expect(ledgerChangeFor(purchase, rules)).toMatchObject({ kind: 'earn', points: 123 });
    expect(ledgerChangeFor(refund, rules)).toMatchObject({ kind: 'reverse', points: -50 });
    expect(ledgerChangeFor(interaction, rules)).toMatchObject({ kind: 'earn', points: 5 });
    expect(ledgerChangeFor(referral, rules)).toMatchObject({ kind: 'earn', points: 50 });
  });

  it('expects none for browsing, logins, unlinked accounts and activity worth 0 points', () => {
    for (const m of [browse, login, unlinked, smallPurchase]) expect(ledgerChangeFor(m, rules)).toBeNull();
  });
});

describe('activitiesMissingFromLedger', () => {
  const activities = [purchase, smallPurchase, refund, browse, login, unlinked, interaction, referral].map(
    (m) => published(m),
  );

  it('keys only the activities that must leave an entry, as partner:eventId', () => {
    expect(expectedLedgerKeys(activities, rules)).toEqual([
      'pulsefit:e-purchase',
      'pulsefit:e-refund',
      'pulsefit:e-interaction',
      'pulsefit:e-referral',
    ]);
  });

  it('returns those whose key the ledger lacks, and nothing that earns nothing', () => {
    const present = new Set(['pulsefit:e-purchase', 'pulsefit:e-referral']);
    expect(activitiesMissingFromLedger(activities, present, rules).map((m) => m.eventId)).toEqual([
      'e-refund',
      'e-interaction',
    ]);
  });

  it('returns nothing once every expected key is present', () => {
    const present = new Set(expectedLedgerKeys(activities, rules));
    expect(activitiesMissingFromLedger(activities, present, rules)).toEqual([]);
  });

  it('tells partners apart: the same event id at another partner is not this entry', () => {
    const present = new Set(['inkwell:e-purchase']);
    expect(activitiesMissingFromLedger([published(purchase)], present, rules)).toEqual([purchase]);
  });

  it('skips an event without a stored message (nothing to republish)', () => {
    expect(activitiesMissingFromLedger([published(null, 'e-old')], new Set(), rules)).toEqual([]);
  });
});

describe('reconciliationWindow', () => {
  const timing = { lookbackMs: 10 * 60_000, settleMs: 60_000 };
  const now = new Date('2026-03-02T04:00:00Z');

  it('starts a brand never checked at the beginning and stops the settle time before now', () => {
    expect(reconciliationWindow({ now, watermark: null, since: null, timing })).toEqual({
      from: new Date(0),
      until: new Date('2026-03-02T03:59:00Z'),
    });
  });

  it('goes back the lookback from the watermark', () => {
    const watermark = new Date('2026-03-02T03:58:00Z');
    expect(reconciliationWindow({ now, watermark, since: null, timing })?.from).toEqual(
      new Date('2026-03-02T03:48:00Z'),
    );
  });

  it('starts at `since` when an operator names it, whatever the watermark', () => {
    const since = new Date('2026-02-01T00:00:00Z');
    const watermark = new Date('2026-03-02T03:58:00Z');
    expect(reconciliationWindow({ now, watermark, since, timing })?.from).toEqual(since);
  });

  it('is empty when nothing is old enough to check', () => {
    const since = new Date('2026-03-02T03:59:30Z');
    expect(reconciliationWindow({ now, watermark: null, since, timing })).toBeNull();
  });
});

describe('advanceWatermark', () => {
  it('moves forward and never back', () => {
    const earlier = new Date('2026-03-01T00:00:00Z');
    const later = new Date('2026-03-02T00:00:00Z');
    expect(advanceWatermark(null, earlier)).toBe(earlier);
    expect(advanceWatermark(earlier, later)).toBe(later);
    expect(advanceWatermark(later, earlier)).toBe(later);
  });
});
