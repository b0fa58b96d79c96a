import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { schemaPath } from '../../shared/config/paths.js';
import type { EarningRules } from './earning-rules.js';
import { SEED_EARNING_RULES, loadEarningRules, pointsForActivity, purchasePoints } from './earning-rules.js';

const DAY_MS = 86_400_000;
/** 2024-06-26 is a Wednesday (UTC weekday 3), 2024-06-27 a Thursday (4). */
const WEDNESDAY = '2024-06-26T10:00:00.000Z';
const THURSDAY = '2024-06-27T10:00:00.000Z';
const WEDNESDAY_DOUBLE: EarningRules = { ...SEED_EARNING_RULES, memberDays: [{ weekday: 3, multiplier: 2 }] };

const activity = (fields: Partial<MemberActivityMessage>): MemberActivityMessage => ({
  partner: 'pulsefit',
  eventId: 'e-1',
  type: 'purchase',
  brandMemberId: 'PU00000001',
  memberId: 'M000001',
  occurredAt: THURSDAY,
  ...fields,
});

const refundOf = (
  order: { amountMinor: number; purchasedAt: string },
  amountMinor: number,
  refundedBeforeMinor: number,
  occurredAt = THURSDAY,
): MemberActivityMessage =>
  activity({
    type: 'refund',
    eventId: `refund-${refundedBeforeMinor}-${amountMinor}`,
    occurredAt,
    amountMinor,
    orderId: 'o-1',
    orderAmountMinor: order.amountMinor,
    refundedBeforeMinor,
    purchasedAt: order.purchasedAt,
  });

describe('purchasePoints', () => {
  it('gives 1 point per whole yuan, rounding the fen down', () => {
    expect(purchasePoints(15_050, new Date(THURSDAY), SEED_EARNING_RULES)).toBe(150);
    expect(purchasePoints(100, new Date(THURSDAY), SEED_EARNING_RULES)).toBe(1);
    expect(purchasePoints(99, new Date(THURSDAY), SEED_EARNING_RULES)).toBe(0);
    expect(purchasePoints(0, new Date(THURSDAY), SEED_EARNING_RULES)).toBe(0);
  });

  it('never gives negative points for a negative amount', () => {
    expect(purchasePoints(-500, new Date(THURSDAY), SEED_EARNING_RULES)).toBe(0);
  });

  it('multiplies by the member-day multiple of the UTC weekday of the purchase', () => {
    expect(purchasePoints(15_050, new Date(WEDNESDAY), WEDNESDAY_DOUBLE)).toBe(300);
    expect(purchasePoints(15_050, new Date(THURSDAY), WEDNESDAY_DOUBLE)).toBe(150);
    // 23:30 on Wednesday at UTC-2 is already Thursday in UTC: no multiple.
    expect(purchasePoints(15_050, new Date('2024-06-26T23:30:00-02:00'), WEDNESDAY_DOUBLE)).toBe(150);
  });
});

describe('purchasePoints at a fractional rate', () => {
  // The seed's worked example (docs/scoring-worked-example.md): ¥1,000 at 0.01 points per yuan is 10 points.
  const SEED_RATE: EarningRules = { ...SEED_EARNING_RULES, pointsPerYuan: 0.01 };

  it('gives the seed’s 10 points for ¥1,000 at 0.01 per yuan, rounding down to whole points', () => {
    expect(purchasePoints(100_000, new Date(THURSDAY), SEED_RATE)).toBe(10);
    expect(purchasePoints(99_999, new Date(THURSDAY), SEED_RATE)).toBe(9);
    expect(purchasePoints(10_000, new Date(THURSDAY), SEED_RATE)).toBe(1);
    expect(purchasePoints(9_999, new Date(THURSDAY), SEED_RATE)).toBe(0);
  });

  it('forms the product exactly where binary fractions would lose a point', () => {
    // In floating point 10000 × 0.57 / 100 is 56.99999999999999, which a plain Math.floor makes 56.
    const rules = (pointsPerYuan: number): EarningRules => ({ ...SEED_EARNING_RULES, pointsPerYuan });
    expect(purchasePoints(10_000, new Date(THURSDAY), rules(0.57))).toBe(57);
    expect(purchasePoints(10_000, new Date(THURSDAY), rules(0.07))).toBe(7);
    expect(purchasePoints(15_050, new Date(THURSDAY), rules(1.5))).toBe(225);
    expect(purchasePoints(Number.MAX_SAFE_INTEGER, new Date(THURSDAY), rules(0.0001))).toBe(
      Math.floor(Number.MAX_SAFE_INTEGER / 1_000_000),
    );
  });

  it('applies the member-day multiple to the whole points, and a refund reverses what the refunded part earned', () => {
    const doubled: EarningRules = { ...WEDNESDAY_DOUBLE, pointsPerYuan: 0.01 };
    expect(purchasePoints(100_000, new Date(WEDNESDAY), doubled)).toBe(20);
    const order = { amountMinor: 100_000, purchasedAt: WEDNESDAY };
    // ¥300 back of ¥1,000: the ¥700 kept earn 7 × 2, so 20 − 14 = 6 are reversed.
    expect(pointsForActivity(refundOf(order, 30_000, 0), doubled)?.points).toBe(-6);
  });
});

describe('pointsForActivity', () => {
  it('earns 150 points for a purchase of 15050 fen, pending for 7 days after it occurred', () => {
    expect(pointsForActivity(activity({ amountMinor: 15_050 }), SEED_EARNING_RULES)).toEqual({
      kind: 'earn',
      points: 150,
      availableAt: new Date(Date.parse(THURSDAY) + 7 * DAY_MS),
    });
  });

  it('earns 5 points per interaction and 50 per referral, spendable at once', () => {
    expect(pointsForActivity(activity({ type: 'interaction' }), SEED_EARNING_RULES)).toEqual({
      kind: 'earn',
      points: 5,
      availableAt: new Date(THURSDAY),
    });
    expect(pointsForActivity(activity({ type: 'referral' }), SEED_EARNING_RULES)).toEqual({
      kind: 'earn',
      points: 50,
      availableAt: new Date(THURSDAY),
    });
  });

  it('earns nothing for browsing', () => {
    expect(pointsForActivity(activity({ type: 'browse' }), SEED_EARNING_RULES)).toBeNull();
  });

  it('reverses the points of a full refund, effective when the refund occurred', () => {
    const order = { amountMinor: 15_050, purchasedAt: WEDNESDAY };
    const refund = refundOf(order, 15_050, 0, '2024-06-29T08:00:00.000Z');
    expect(pointsForActivity(refund, SEED_EARNING_RULES)).toEqual({
      kind: 'reverse',
      points: -150,
      availableAt: new Date('2024-06-29T08:00:00.000Z'),
    });
  });

  it('reverses 50 then 100 for refunds of 5025 and 10025 of a 15050 order: the 0 yuan kept keep 0 points', () => {
    const order = { amountMinor: 15_050, purchasedAt: WEDNESDAY };
    const first = pointsForActivity(refundOf(order, 5_025, 0), SEED_EARNING_RULES)!;
    const second = pointsForActivity(refundOf(order, 10_025, 5_025), SEED_EARNING_RULES)!;
    // 150.50 yuan → 150 points; 100.25 kept → 100 points (50 reversed); 0 kept → 0 points (100 reversed).
    expect(first.points).toBe(-50);
    expect(second.points).toBe(-100);
    expect(150 + first.points + second.points).toBe(0);
  });

  it('reverses nothing for a refund that leaves the whole yuan earned untouched', () => {
    const order = { amountMinor: 15_050, purchasedAt: WEDNESDAY };
    // 150.50 → 150.00 yuan: still 150 whole yuan.
    expect(pointsForActivity(refundOf(order, 50, 0), SEED_EARNING_RULES)!.points).toBeCloseTo(0, 12);
    // 150.00 → 149.99 yuan: one whole yuan fewer.
    expect(pointsForActivity(refundOf(order, 1, 50), SEED_EARNING_RULES)!.points).toBe(-1);
  });

  it('ends any sequence of partial refunds at the points of what was kept', () => {
    const order = { amountMinor: 98_765, purchasedAt: WEDNESDAY };
    const refunds = [1, 99, 12_345, 100, 7, 50_000, 313];
    let refunded = 0;
    let points = purchasePoints(order.amountMinor, new Date(WEDNESDAY), SEED_EARNING_RULES);
    for (const amount of refunds) {
      points += pointsForActivity(refundOf(order, amount, refunded), SEED_EARNING_RULES)!.points;
      refunded += amount;
      expect(points).toBe(Math.floor((order.amountMinor - refunded) / 100));
    }
    // 98765 - 62865 = 35900 fen kept: 359 points.
    expect(points).toBe(359);
  });

  it('doubles a purchase on a member day, and its refund (on another day) reverses the doubled points', () => {
    const purchase = activity({ type: 'purchase', occurredAt: WEDNESDAY, amountMinor: 15_050 });
    expect(pointsForActivity(purchase, WEDNESDAY_DOUBLE)!.points).toBe(300);
    const order = { amountMinor: 15_050, purchasedAt: WEDNESDAY };
    expect(pointsForActivity(refundOf(order, 15_050, 0, THURSDAY), WEDNESDAY_DOUBLE)!.points).toBe(-300);
    // Partial: 150.50 → 100.25 yuan kept is 100 × 2 points kept, so 100 reversed.
    expect(pointsForActivity(refundOf(order, 5_025, 0, THURSDAY), WEDNESDAY_DOUBLE)!.points).toBe(-100);
  });

  it('reverses single points for a refund made on a member day of a purchase made on another day', () => {
    const order = { amountMinor: 15_050, purchasedAt: THURSDAY };
    expect(pointsForActivity(refundOf(order, 15_050, 0, WEDNESDAY), WEDNESDAY_DOUBLE)!.points).toBe(-150);
  });
});

describe('loadEarningRules', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'earning-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('reads the committed seed rules: 1 per yuan, 5 per interaction, 50 per referral, 7 pending days', () => {
    const { $comment: _comment, ...rules } = loadEarningRules(schemaPath('earning-rules.json'));
    expect(rules).toEqual(SEED_EARNING_RULES);
  });

  it('accepts a fractional points rate, such as the seed’s 0.01 per yuan', () => {
    const path = write('seed-rate.json', { ...SEED_EARNING_RULES, pointsPerYuan: 0.01 });
    const rules = loadEarningRules(path);
    expect(rules.pointsPerYuan).toBe(0.01);
    expect(purchasePoints(100_000, new Date(THURSDAY), rules)).toBe(10);
  });

  it('accepts member days', () => {
    const path = write('member-days.json', {
      ...SEED_EARNING_RULES,
      memberDays: [{ weekday: 3, multiplier: 2 }],
    });
    expect(loadEarningRules(path).memberDays).toEqual([{ weekday: 3, multiplier: 2 }]);
  });

  it('names the bad key of an invalid file', () => {
    const negative = write('negative.json', { ...SEED_EARNING_RULES, referralPoints: -1 });
    expect(() => loadEarningRules(negative)).toThrow(
      /Invalid earning rules .*negative\.json: key "referralPoints"/,
    );
    const weekday = write('weekday.json', {
      ...SEED_EARNING_RULES,
      memberDays: [{ weekday: 7, multiplier: 2 }],
    });
    expect(() => loadEarningRules(weekday)).toThrow(/key "memberDays\.0\.weekday"/);
    const window = write('window.json', { ...SEED_EARNING_RULES, redemption: { cancelWindowDays: -1 } });
    expect(() => loadEarningRules(window)).toThrow(/key "redemption\.cancelWindowDays"/);
    const tooFine = write('too-fine.json', { ...SEED_EARNING_RULES, pointsPerYuan: 0.00001 });
    expect(() => loadEarningRules(tooFine)).toThrow(
      /key "pointsPerYuan": must have at most 4 decimal places/,
    );
    const unknown = write('unknown.json', { ...SEED_EARNING_RULES, pointsPerEuro: 1 });
    expect(() => loadEarningRules(unknown)).toThrow(/Invalid earning rules/);
  });
});
