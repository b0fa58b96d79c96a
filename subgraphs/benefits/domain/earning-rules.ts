import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { SEED_CHECKOUT_RULES, checkoutRulesSchema } from './checkout-terms.js';
import { SEED_EXPIRY_POLICY, expiryPolicySchema } from './expiry-policy.js';

const rulesSchema = z
  .object({
    $comment: z.string().optional(),
    pointsPerYuan: z.number().int().min(0),
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

/** Points for an amount bought on a given day: whole yuan × rate (floor), times that day's member-day multiple. */
export function purchasePoints(amountMinor: number, boughtAt: Date, rules: EarningRules): number {
  return Math.floor((Math.max(0, amountMinor) * rules.pointsPerYuan) / 100) * multiplierOn(boughtAt, rules);
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
