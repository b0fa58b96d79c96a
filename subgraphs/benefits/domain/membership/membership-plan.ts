import { z } from 'zod';

/**
 * The `membershipPlans` key of schema/partners.json: paid plans of the joint programme. One fee unlocks
 * benefits and earning multipliers across partners; the fee depends on the member's composite score (a lower
 * price from a score threshold). Validated at start-up with the registry (partner-registry.ts), whose messages
 * name the plan and the key.
 */
export const PLAN_PERIODS = ['MONTH', 'YEAR'] as const;
/** The longest grace a plan may give (analytics read periods that far back). */
export const MAX_GRACE_DAYS = 60;
/** The longest cooling-off window (settlement reads fees paid that long before a month, for its refunds). */
export const MAX_COOLING_OFF_DAYS = 60;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];

const priceBandSchema = z
  .object({
    /** The band applies from this composite score (0–100) up to the next band's. */
    minScore: z.number().min(0).max(100),
    priceMinor: z.number().int().positive().max(1_000_000_000),
  })
  .strict();

const planEarningSchema = z
  .object({
    /** Points × this factor on purchases (the extra part stacks with campaigns, under the same cap). */
    pointsMultiplier: z.number().min(1).max(10),
    /** Partners whose purchases it multiplies; empty: every partner. */
    partners: z.array(z.string()).default([]),
    /** Its place among campaigns when they stack (higher first; see campaign-stacking.ts). */
    priority: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

/**
 * How a plan's fees are split between partners in settlement: equally among the partners named (all the
 * programme's when none are), or by fixed weights per partner.
 */
const revenueShareSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('EQUAL'), partners: z.array(z.string()).default([]) }).strict(),
  z
    .object({
      rule: z.literal('WEIGHTS'),
      weights: z
        .record(z.string(), z.number().int().positive())
        .refine((w) => Object.keys(w).length > 0, { message: 'must name at least one partner' }),
    })
    .strict(),
]);
export type RevenueShareRule = z.infer<typeof revenueShareSchema>;

export const membershipPlanSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be lowercase letters, digits or dashes'),
    name: z.string().min(2).max(60),
    period: z.enum(PLAN_PERIODS),
    currency: z.literal('CNY'),
    /** Price per period by composite-score band, from score 0 upwards; higher scores pay less or the same. */
    priceBands: z
      .array(priceBandSchema)
      .min(1)
      .refine((bands) => bands[0]?.minScore === 0, { message: 'the first band must start at minScore 0' })
      .refine((bands) => bands.every((b, i) => i === 0 || b.minScore > bands[i - 1].minScore), {
        message: 'bands must be in increasing minScore order',
      }),
    /** A first period free of this many days (a subscription event paying 0); 0: no trial. */
    trialDays: z.number().int().min(0).max(90).default(0),
    /** After a period ends unrenewed, its benefits stay this many days. */
    graceDays: z.number().int().min(0).max(MAX_GRACE_DAYS).default(7),
    /** A refund within this many days of a payment ends the plan and takes back what the period granted. */
    coolingOffDays: z.number().int().min(0).max(MAX_COOLING_OFF_DAYS).default(14),
    /** The partner whose checkout sells it (the only one whose subscription events count). */
    soldBy: z.string(),
    /** Benefit codes (any partner's) its members are offered whatever their tier. */
    benefits: z.array(z.string()).default([]),
    earning: planEarningSchema.nullable().default(null),
    revenueShare: revenueShareSchema.default({ rule: 'EQUAL', partners: [] }),
  })
  .strict();

export type MembershipPlan = z.infer<typeof membershipPlanSchema>;

/** The problems a plan list has beyond its shape: ids, partners and benefit codes the registry does not know. */
export function planReferenceProblems(
  plans: readonly MembershipPlan[],
  partners: ReadonlySet<string>,
  benefitCodes: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const plan of plans) {
    const where = `membership plan "${plan.id}"`;
    if (seen.has(plan.id)) problems.push(`${where} is listed twice`);
    seen.add(plan.id);
    if (!partners.has(plan.soldBy))
      problems.push(`${where}, key "soldBy": "${plan.soldBy}" is not a partner`);
    for (const code of plan.benefits) {
      if (!benefitCodes.has(code)) problems.push(`${where}, key "benefits": ${code} is not a benefit code`);
    }
    const sharing =
      plan.revenueShare.rule === 'EQUAL'
        ? plan.revenueShare.partners
        : Object.keys(plan.revenueShare.weights);
    for (const partner of sharing) {
      if (!partners.has(partner)) {
        problems.push(`${where}, key "revenueShare": "${partner}" is not a partner`);
      }
    }
    for (const partner of plan.earning?.partners ?? []) {
      if (!partners.has(partner)) {
        problems.push(`${where}, key "earning.partners": "${partner}" is not a partner`);
      }
    }
  }
  return problems;
}

export interface PlanPrice {
  priceMinor: number;
  /** Why this price: the member's score against the bands. */
  reason: string;
}

const yuan = (minor: number): string => `CNY ${(minor / 100).toFixed(2)}`;
const per = (period: PlanPeriod): string => (period === 'YEAR' ? 'a year' : 'a month');

/**
 * A member's price for a plan: the band with the highest `minScore` the score reaches. Without a score (the
 * graph has not computed the member's profile yet) the first band's. The reason names the score and the band.
 */
export function planPriceFor(plan: MembershipPlan, compositeScore: number | null): PlanPrice {
  const bands = plan.priceBands;
  if (compositeScore === null) {
    return {
      priceMinor: bands[0].priceMinor,
      reason: `${plan.name} costs ${yuan(bands[0].priceMinor)} ${per(plan.period)}: your composite score is not known yet, so the standard price applies.`,
    };
  }
  let index = 0;
  bands.forEach((band, i) => {
    if (compositeScore >= band.minScore) index = i;
  });
  const band = bands[index];
  const score = Math.round(compositeScore * 10) / 10;
  const next = bands[index + 1];
  const from =
    index > 0 ? `your composite score ${score} reaches ${band.minScore}` : `your composite score is ${score}`;
  const better = next ? `; from a score of ${next.minScore} it is ${yuan(next.priceMinor)}` : '';
  return {
    priceMinor: band.priceMinor,
    reason: `${plan.name} costs ${yuan(band.priceMinor)} ${per(plan.period)}: ${from}${better}.`,
  };
}
