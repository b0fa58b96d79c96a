import { z } from 'zod';
import type { CalendarPeriod, ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalDays } from '../../shared/domain/programme-calendar.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import { TIER_CODES } from '../../shared/domain/tiers.js';
import { multiplyByRatio } from './exact-ratio.js';

const CALENDAR_PERIODS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const satisfies readonly CalendarPeriod[];
const localDay = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a programme-local date, YYYY-MM-DD');
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The `redemption` key of a benefit in schema/partners.json: how members redeem it. Every key is optional;
 * without `pointsCost` the benefit costs its `costMinor` converted at the checkout point value (seed:
 * 100 points = ¥1, so 1,500 fen = 1,500 points), and a tier listed at 0 in `pointsCostByTier` gets it free.
 */
export const redemptionSeedSchema = z
  .object({
    pointsCost: count.optional(),
    pointsCostByTier: z.partialRecord(z.enum(TIER_CODES), count).optional(),
    stock: z
      .object({
        total: count.optional(),
        perPeriod: z
          .object({ limit: count, period: z.enum(CALENDAR_PERIODS) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    perMemberLimit: z
      .object({ count: z.number().int().min(1), period: z.enum([...CALENDAR_PERIODS, 'LIFETIME']) })
      .strict()
      .optional(),
    /** First and last programme-local day the benefit can be redeemed (both inclusive). */
    validFrom: localDay.optional(),
    validUntil: localDay.optional(),
    /** The voucher can be used for this many local days, the day of redemption counted as the first. */
    voucherValidDays: z.number().int().min(1).max(3650).optional(),
    /** Partner that delivers the benefit and is reimbursed for the points (default: the catalogue partner). */
    honouredBy: z.string().optional(),
    /** Partner that bears the benefit's cost (default: the catalogue partner). */
    fundedBy: z.string().optional(),
  })
  .strict()
  .refine((r) => !r.validFrom || !r.validUntil || r.validFrom <= r.validUntil, {
    message: 'validFrom must not be after validUntil',
  });

export type RedemptionSeed = z.infer<typeof redemptionSeedSchema>;

export const DEFAULT_VOUCHER_VALID_DAYS = 30;

/** A catalogue benefit's redemption terms, resolved against the programme's calendar and point value. */
export interface RedemptionTerms {
  code: string;
  title: string;
  honouredBy: string;
  fundedBy: string;
  eligibleTiers: readonly TierCode[];
  /** Points per unit for tiers not listed in `pointsCostByTier`. */
  pointsCost: number;
  pointsCostByTier: Partial<Record<TierCode, number>>;
  /** Units that can ever be redeemed; null: unlimited. */
  stockTotal: number | null;
  stockPerPeriod: { limit: number; period: CalendarPeriod } | null;
  perMemberLimit: { count: number; period: CalendarPeriod | 'LIFETIME' } | null;
  /** Inclusive start of the redemption window. */
  validFrom: Date | null;
  /** Exclusive end of the redemption window (the instant after its last day). */
  validUntil: Date | null;
  voucherValidDays: number;
}

export interface CatalogueSeedBenefit {
  code: string;
  title: string;
  eligibleTiers: readonly TierCode[];
  costMinor: number;
  redemption?: RedemptionSeed;
}

function localDate(day: string): { year: number; month: number; day: number } {
  const [year, month, d] = day.split('-').map(Number);
  return { year, month, day: d };
}

export function resolveRedemptionTerms(
  benefit: CatalogueSeedBenefit,
  partner: string,
  pointsPerMinorUnit: number,
  calendar: ProgrammeCalendar,
): RedemptionTerms {
  const r = benefit.redemption ?? {};
  return {
    code: benefit.code,
    title: benefit.title,
    honouredBy: r.honouredBy ?? partner,
    fundedBy: r.fundedBy ?? partner,
    eligibleTiers: benefit.eligibleTiers,
    pointsCost: r.pointsCost ?? multiplyByRatio(benefit.costMinor, pointsPerMinorUnit, 1, 'FLOOR'),
    pointsCostByTier: r.pointsCostByTier ?? {},
    stockTotal: r.stock?.total ?? null,
    stockPerPeriod: r.stock?.perPeriod ?? null,
    perMemberLimit: r.perMemberLimit ?? null,
    validFrom: r.validFrom ? calendar.startOfDay(localDate(r.validFrom)) : null,
    validUntil: r.validUntil ? calendar.startOfDay(addLocalDays(localDate(r.validUntil), 1)) : null,
    voucherValidDays: r.voucherValidDays ?? DEFAULT_VOUCHER_VALID_DAYS,
  };
}

/** Points per unit for a tier: its own price when listed (0 = free for that tier), else the benefit's. */
export const pointsPerUnitFor = (terms: RedemptionTerms, tier: TierCode): number =>
  terms.pointsCostByTier[tier] ?? terms.pointsCost;
