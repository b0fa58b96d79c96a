import { z } from 'zod';
import { JOINT_CATEGORIES } from '../../../shared/domain/joint-categories.js';
import { RuleValidationError, parseEligibilityRule } from '../eligibility/eligibility-rule.js';
import type { CampaignTerms } from './campaign.js';

/** A window longer than this is a standing rule, not a campaign: put it in the earning rules. */
export const MAX_WINDOW_DAYS = 731;
const DAY_MS = 86_400_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const instant = z.string().transform((text, ctx) => {
  const date = new Date(text);
  if (!ISO_INSTANT.test(text) || !Number.isFinite(date.getTime())) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO-8601 instant with a zone, e.g. 2026-12-18T00:00:00+08:00',
    });
    return z.NEVER;
  }
  return date;
});

const points = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const recurrence = z
  .object({
    dayOfMonth: z.number().int().min(1).max(31).nullish(),
    weekday: z.number().int().min(0).max(6).nullish(),
    weekOfMonth: z.union([z.number().int().min(1).max(5), z.literal(-1)]).nullish(),
  })
  .strict()
  .refine((r) => (r.dayOfMonth != null) !== (r.weekday != null), {
    message:
      'give either dayOfMonth (e.g. 18) or weekday (0 = Sunday … 6 = Saturday, with weekOfMonth 1-5 or -1 for the last)',
  })
  .refine((r) => r.weekOfMonth == null || r.weekday != null, {
    message: 'weekOfMonth needs a weekday',
    path: ['weekOfMonth'],
  });

/** The campaign input of the graph, checked field by field; `partner` and references are checked by the caller. */
export const campaignInputSchema = z
  .object({
    name: z.string().trim().min(3).max(120),
    partner: z.string().nullish(),
    startsAt: instant,
    endsAt: instant,
    recurrence: recurrence.nullish(),
    audienceRule: z.string().nullish(),
    activities: z.array(z.enum(['PURCHASE', 'INTERACTION'])).min(1),
    partners: z.array(z.string()).nullish(),
    categories: z.array(z.enum(JOINT_CATEGORIES)).nullish(),
    pointsMultiplier: z.number().min(1).max(10).multipleOf(0.01).nullish(),
    bonusPoints: points.max(1_000_000).nullish(),
    unlocksBenefit: z.string().nullish(),
    discountPercent: z.number().int().min(1).max(90).nullish(),
    budgetPoints: points.nullish(),
    perMemberBudgetPoints: points.nullish(),
    priority: z.number().int().min(-1000).max(1000).nullish(),
    stacking: z.enum(['EXCLUSIVE', 'STACKABLE']).nullish(),
    maxCombinedMultiplier: z.number().min(1).max(10).nullish(),
    controlShare: z.number().min(0).max(0.5).nullish(),
  })
  .strict()
  .refine((i) => i.endsAt > i.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((i) => i.endsAt.getTime() - i.startsAt.getTime() <= MAX_WINDOW_DAYS * DAY_MS, {
    message: `a campaign runs at most ${MAX_WINDOW_DAYS} days`,
    path: ['endsAt'],
  })
  .refine(
    (i) =>
      (i.pointsMultiplier ?? 1) > 1 ||
      i.bonusPoints != null ||
      i.unlocksBenefit != null ||
      i.discountPercent != null,
    {
      message:
        'a campaign needs an action: pointsMultiplier above 1, bonusPoints, unlocksBenefit or discountPercent',
      path: ['pointsMultiplier'],
    },
  );

export type CampaignInput = z.input<typeof campaignInputSchema>;

export class CampaignInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks a campaign input and turns it into the terms of a campaign; throws `CampaignInputError` naming the field. */
export function campaignTermsFromInput(input: unknown): CampaignTerms {
  const parsed = campaignInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'input';
    throw new CampaignInputError(field, `input.${field}: ${issue.message}`);
  }
  const i = parsed.data;
  let audience = null;
  if (i.audienceRule != null && i.audienceRule.trim() !== '') {
    try {
      audience = parseEligibilityRule(i.audienceRule, i.name);
    } catch (error) {
      if (error instanceof RuleValidationError) {
        throw new CampaignInputError('audienceRule', `input.audienceRule: ${error.message}`);
      }
      throw error;
    }
  }
  const r = i.recurrence;
  return {
    name: i.name,
    partner: i.partner ?? null,
    window: {
      startsAt: i.startsAt,
      endsAt: i.endsAt,
      recurrence: r
        ? r.dayOfMonth != null
          ? { dayOfMonth: r.dayOfMonth }
          : { weekday: r.weekday!, weekOfMonth: r.weekOfMonth ?? null }
        : null,
    },
    audience,
    scope: {
      activities: [...new Set(i.activities)],
      partners: i.partners ?? [],
      categories: i.categories ?? [],
    },
    actions: {
      pointsMultiplier: i.pointsMultiplier ?? null,
      bonusPoints: i.bonusPoints ?? null,
      unlocksBenefit: i.unlocksBenefit ?? null,
      discountPercent: i.discountPercent ?? null,
    },
    budget: { totalPoints: i.budgetPoints ?? null, perMemberPoints: i.perMemberBudgetPoints ?? null },
    priority: i.priority ?? 0,
    stacking: i.stacking ?? 'STACKABLE',
    maxCombinedMultiplier: i.maxCombinedMultiplier ?? null,
    controlShare: i.controlShare ?? 0,
  };
}
