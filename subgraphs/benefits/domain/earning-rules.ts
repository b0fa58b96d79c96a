import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { SEED_CHECKOUT_RULES, checkoutRulesSchema } from './checkout-terms.js';
import { SEED_EXPIRY_POLICY, expiryPolicySchema } from './expiry-policy.js';
import { multiplyByRatio } from './exact-ratio.js';

/** The points rate is a decimal with at most this many places (the seed's rate is 0.01 points per yuan). */
export const RATE_DECIMAL_PLACES = 4;
const RATE_SCALE = 10 ** RATE_DECIMAL_PLACES;

/** The rate in units of 1/RATE_SCALE point per yuan, or null when it has more decimal places than that. */
function scaledRate(pointsPerYuan: number): number | null {
  const scaled = Math.round(pointsPerYuan * RATE_SCALE);
  return Number.isSafeInteger(scaled) && Math.abs(scaled - pointsPerYuan * RATE_SCALE) < 1e-6 ? scaled : null;
}

const rulesSchema = z
  .object({
    $comment: z.string().optional(),
    /** Points per yuan spent, fractional allowed (0.01: one point per ¥100). */
    pointsPerYuan: z
      .number()
      .min(0)
      .refine((rate) => scaledRate(rate) !== null, {
        message: `must have at most ${RATE_DECIMAL_PLACES} decimal places`,
      }),
    interactionPoints: z.number().int().min(0),
    referralPoints: z.number().int().min(0),
    /** Purchase points stay pending this long (the return window) before they can be spent. */
    pendingDays: z.number().int().min(0),
    memberDays: z.array(
      z.object({ weekday: z.number().int().min(0).max(6), multiplier: z.number().int().min(1) }).strict(),
    ),
    /** When points expire, counted from when they become available (see expiry-policy.ts). */
    expiry: expiryPolicySchema,
    /** Paying with points at a partner's checkout, and the tier discounts there (see checkout-terms.ts). */
    checkout: checkoutRulesSchema,
    /** Redemptions: how long after redeeming a member may cancel and get the points and stock back. */
    redemption: z.object({ cancelWindowDays: z.number().int().min(0).max(365) }).strict(),
  })
  .strict();

export type EarningRules = z.infer<typeof rulesSchema>;

export const SEED_EARNING_RULES: EarningRules = {
  pointsPerYuan: 1,
  interactionPoints: 5,
  referralPoints: 50,
  pendingDays: 7,
  memberDays: [],
  expiry: SEED_EXPIRY_POLICY,
  checkout: SEED_CHECKOUT_RULES,
  redemption: { cancelWindowDays: 7 },
};

export function loadEarningRules(path: string): EarningRules {
  const parsed = rulesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid earning rules ${path}: key "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}

export type LedgerKind = 'earn' | 'reverse' | 'redeem' | 'expire' | 'adjust';

export interface PointsChange {
  kind: LedgerKind;
  /** Signed: positive for earnings, negative for reversals. */
  points: number;
  /** When the points can be spent (later than now while pending). */
  availableAt: Date;
}

const DAY_MS = 86_400_000;

function multiplierOn(at: Date, rules: EarningRules): number {
  return rules.memberDays.find((d) => d.weekday === at.getUTCDay())?.multiplier ?? 1;
}

/**
 * Points for an amount bought on a given day: amount × rate, rounded down to a whole point, times that day's
 * member-day multiple. The rate may be fractional (0.01 per yuan gives 10 points for ¥1,000 and 9 for
 * ¥999.99); the product is formed exactly, so no rate or amount loses a point to binary fractions.
 */
export function purchasePoints(amountMinor: number, boughtAt: Date, rules: EarningRules): number {
  const rate = scaledRate(rules.pointsPerYuan);
  if (rate === null) throw new RangeError(`pointsPerYuan ${rules.pointsPerYuan} has too many decimal places`);
  // amountMinor fen × (rate / RATE_SCALE) points per yuan ÷ 100 fen per yuan.
  const points = multiplyByRatio(Math.max(0, amountMinor), rate, 100 * RATE_SCALE, 'FLOOR');
  return points * multiplierOn(boughtAt, rules);
}

/**
 * The points an activity earns or takes back (seed rules: 1 per yuan, 5 per interaction, 50 per referral).
 * A refund takes back exactly what the refunded part earned: the points of the order's remaining amount
 * before it, less those after it, so any sequence of partial refunds ends at the points of what was kept.
 * Returns null for activity that earns nothing (browsing).
 */
export function pointsForActivity(message: MemberActivityMessage, rules: EarningRules): PointsChange | null {
  const at = new Date(message.occurredAt);
  switch (message.type) {
    case 'purchase':
      return {
        kind: 'earn',
        points: purchasePoints(message.amountMinor ?? 0, at, rules),
        availableAt: new Date(at.getTime() + rules.pendingDays * DAY_MS),
      };
    case 'refund': {
      const boughtAt = new Date(message.purchasedAt ?? message.occurredAt);
      const before = (message.orderAmountMinor ?? 0) - (message.refundedBeforeMinor ?? 0);
      const after = before - (message.amountMinor ?? 0);
      const points = purchasePoints(before, boughtAt, rules) - purchasePoints(after, boughtAt, rules);
      return { kind: 'reverse', points: -points, availableAt: at };
    }
    case 'interaction':
      return { kind: 'earn', points: rules.interactionPoints, availableAt: at };
    case 'referral':
      return { kind: 'earn', points: rules.referralPoints, availableAt: at };
    default:
      return null;
  }
}
