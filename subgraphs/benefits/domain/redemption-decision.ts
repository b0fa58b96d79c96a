import type { CalendarPeriod, ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalDays } from '../../shared/domain/programme-calendar.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS, TIER_CODES } from '../../shared/domain/tiers.js';
import { multiplyByRatio, requireSafeInteger } from './exact-ratio.js';
import type { LotAllocation, PointsLot } from './points-lot.js';
import { availablePoints, spendableLots, takeFromLots } from './points-lot.js';
import { insufficientPointsMessage } from './points-shortfall.js';
import type { Outcome } from './refusal.js';
import { accept, refuse } from './refusal.js';
import type { RedemptionTerms } from './redemption-terms.js';
import { pointsPerUnitFor } from './redemption-terms.js';

/** A member's earlier redemption, as the limit check counts it. Reserved ones count: they may still complete. */
export interface PastRedemption {
  benefitCode: string;
  quantity: number;
  redeemedAt: Date;
  status: 'RESERVED' | 'CONFIRMED' | 'CANCELLED';
}

/** Units of the benefit already taken (reserved or confirmed): in all, and per period key. */
export interface StockUsage {
  total: number;
  byPeriod: Readonly<Record<string, number>>;
}

export interface RedemptionRequest {
  terms: RedemptionTerms;
  tier: TierCode;
  lots: readonly PointsLot[];
  pastRedemptions: readonly PastRedemption[];
  stockUsage: StockUsage;
  quantity: number;
  now: Date;
}

export interface RedemptionPlan {
  benefitCode: string;
  quantity: number;
  pointsPerUnit: number;
  points: number;
  /** Points to take, oldest lots first (empty when the benefit is free for the tier). */
  allocations: LotAllocation[];
  /** Stock to reserve: the units, and the counters (with their limits) the reservation must fit under. */
  stock: {
    quantity: number;
    totalLimit: number | null;
    periodKey: string | null;
    periodLimit: number | null;
  };
  /** The member's counter the redemption adds to, when the benefit limits redemptions per member. */
  memberLimit: { periodKey: string; limit: number } | null;
  voucherExpiresAt: Date;
  honouredBy: string;
  fundedBy: string;
}

const PERIOD_WORDS: Record<CalendarPeriod, string> = {
  DAY: 'today',
  WEEK: 'this week',
  MONTH: 'this month',
  YEAR: 'this year',
};
const PERIOD_UNIT: Record<CalendarPeriod, string> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
  YEAR: 'year',
};

const tierName = (code: TierCode): string => DEFAULT_TIER_BANDS.find((b) => b.code === code)?.name ?? code;
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

/** `LIFETIME` limits have one counter; the others one per calendar period. */
export function memberLimitPeriodKey(
  period: CalendarPeriod | 'LIFETIME',
  now: Date,
  calendar: ProgrammeCalendar,
): string {
  return period === 'LIFETIME' ? 'LIFETIME' : calendar.periodKey(now, period);
}

function eligibilityRefusal(r: RedemptionRequest, calendar: ProgrammeCalendar): string | null {
  const { terms, tier, now } = r;
  if (!terms.eligibleTiers.includes(tier)) {
    const tiers = TIER_CODES.filter((t) => terms.eligibleTiers.includes(t)).reverse();
    const lowest = tiers[0];
    return `${terms.title} is for ${tiers.map(tierName).join(' and ')} members and you are ${tierName(tier)}; reach ${tierName(lowest)} to redeem it.`;
  }
  if (terms.validFrom && now.getTime() < terms.validFrom.getTime()) {
    return `${terms.title} can be redeemed from ${calendar.dayKey(terms.validFrom)}.`;
  }
  if (terms.validUntil && now.getTime() >= terms.validUntil.getTime()) {
    return `${terms.title} could be redeemed until ${calendar.dayKey(new Date(terms.validUntil.getTime() - 1))} and is no longer offered.`;
  }
  return null;
}

function memberLimitRefusal(r: RedemptionRequest, calendar: ProgrammeCalendar): string | null {
  const limit = r.terms.perMemberLimit;
  if (!limit) return null;
  const key = memberLimitPeriodKey(limit.period, r.now, calendar);
  const used = r.pastRedemptions
    .filter((p) => p.benefitCode === r.terms.code && p.status !== 'CANCELLED')
    .filter((p) => memberLimitPeriodKey(limit.period, p.redeemedAt, calendar) === key)
    .reduce((sum, p) => sum + p.quantity, 0);
  if (used + r.quantity <= limit.count) return null;
  const left = Math.max(0, limit.count - used);
  const rule =
    limit.period === 'LIFETIME'
      ? `at most ${times(limit.count)} in all`
      : `at most ${times(limit.count)} a ${PERIOD_UNIT[limit.period]}`;
  if (left > 0) return `You can redeem ${r.terms.title} ${rule}; ask for ${left} or fewer.`;
  const again =
    limit.period === 'LIFETIME'
      ? ''
      : ` You can redeem it again from ${calendar.dayKey(calendar.nextPeriodStart(r.now, limit.period))}.`;
  return `You can redeem ${r.terms.title} ${rule} and have reached that.${again}`;
}

function stockRefusal(r: RedemptionRequest, calendar: ProgrammeCalendar): string | null {
  const { terms, stockUsage, quantity, now } = r;
  if (terms.stockTotal !== null && stockUsage.total + quantity > terms.stockTotal) {
    const left = Math.max(0, terms.stockTotal - stockUsage.total);
    return left > 0
      ? `Only ${left} of ${terms.title} ${left === 1 ? 'is' : 'are'} left; ask for ${left} or fewer.`
      : `${terms.title} is sold out.`;
  }
  const per = terms.stockPerPeriod;
  if (per) {
    const used = stockUsage.byPeriod[calendar.periodKey(now, per.period)] ?? 0;
    if (used + quantity > per.limit) {
      const left = Math.max(0, per.limit - used);
      const next = calendar.dayKey(calendar.nextPeriodStart(now, per.period));
      return left > 0
        ? `Only ${left} of ${terms.title} ${left === 1 ? 'is' : 'are'} left ${PERIOD_WORDS[per.period]}; ask for ${left} or fewer, or wait for new stock on ${next}.`
        : `${terms.title} is out of stock ${PERIOD_WORDS[per.period]}; new stock arrives on ${next}.`;
    }
  }
  return null;
}

/**
 * Whether a member may redeem a benefit now, and if so exactly what to write: the points to take from
 * which lots, the stock to reserve, the member counter to add to and when the voucher expires. The checks
 * run in the order a member can act on them: eligibility (tier, window), their own limit, the stock, and
 * last their points, so nobody is told to earn points for something they could not have anyway.
 */
export function decideRedemption(r: RedemptionRequest, calendar: ProgrammeCalendar): Outcome<RedemptionPlan> {
  requireSafeInteger('quantity', r.quantity, 1);
  const { terms, now } = r;
  const notEligible = eligibilityRefusal(r, calendar);
  if (notEligible) return refuse('NOT_ELIGIBLE', notEligible);
  const limitReached = memberLimitRefusal(r, calendar);
  if (limitReached) return refuse('LIMIT_REACHED', limitReached);
  const outOfStock = stockRefusal(r, calendar);
  if (outOfStock) return refuse('OUT_OF_STOCK', outOfStock);

  const pointsPerUnit = pointsPerUnitFor(terms, r.tier);
  const points = multiplyByRatio(pointsPerUnit, r.quantity, 1, 'FLOOR');
  if (points > 0 && availablePoints(r.lots, now) < points) {
    const message = insufficientPointsMessage(r.lots, now, points, calendar, `${terms.title} costs`);
    return refuse('INSUFFICIENT_POINTS', message);
  }
  const { allocations } = takeFromLots(spendableLots(r.lots, now), points);
  return accept({
    benefitCode: terms.code,
    quantity: r.quantity,
    pointsPerUnit,
    points,
    allocations,
    stock: {
      quantity: r.quantity,
      totalLimit: terms.stockTotal,
      periodKey: terms.stockPerPeriod ? calendar.periodKey(now, terms.stockPerPeriod.period) : null,
      periodLimit: terms.stockPerPeriod?.limit ?? null,
    },
    memberLimit: terms.perMemberLimit
      ? {
          periodKey: memberLimitPeriodKey(terms.perMemberLimit.period, now, calendar),
          limit: terms.perMemberLimit.count,
        }
      : null,
    voucherExpiresAt: calendar.startOfDay(addLocalDays(calendar.localDate(now), terms.voucherValidDays)),
    honouredBy: terms.honouredBy,
    fundedBy: terms.fundedBy,
  });
}
