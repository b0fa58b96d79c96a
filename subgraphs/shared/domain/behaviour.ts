import type { JointCategory } from './joint-categories.js';

/** One partner's rolled-up behaviour of one member over the rolling window (the `BrandBehaviour` type). */
export interface BrandBehaviour {
  partner: string;
  windowDays: number;
  purchaseCount: number;
  spendMinor: number;
  browseCount: number;
  browseSeconds: number;
  interactionCount: number;
  referralCount: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  categories: CategoryActivity[];
}

export interface CategoryActivity {
  category: JointCategory;
  spendMinor: number;
  purchaseCount: number;
  browseSeconds: number;
  interactionCount: number;
  /** Spend weighted by recency (see `recencyWeight`), so recent purchases count more. */
  decayedSpend: number;
  decayedBrowseSeconds: number;
}

/** Totals for one day, overall and per joint category: the unit a brand stores and sums over the window. */
export interface DailyActivity {
  purchaseCount?: number;
  spendMinor?: number;
  browseCount?: number;
  browseSeconds?: number;
  interactionCount?: number;
  referralCount?: number;
  /** Sign-ins that day; stored for activity rules, not (yet) part of the summary. */
  loginCount?: number;
  categories?: Partial<Record<JointCategory, CategoryDay>>;
}

export interface CategoryDay {
  spendMinor?: number;
  purchaseCount?: number;
  browseSeconds?: number;
  interactionCount?: number;
}

export const BEHAVIOUR_WINDOW_DAYS = 365;

/** A category in which the member did nothing in the window: where its totals start. */
export const emptyCategoryActivity = (category: JointCategory): CategoryActivity => ({
  category,
  spendMinor: 0,
  purchaseCount: 0,
  browseSeconds: 0,
  interactionCount: 0,
  decayedSpend: 0,
  decayedBrowseSeconds: 0,
});

/** A brand's summary of a member who did nothing in the window: the start of every summary. */
export function emptyBehaviour(partner: string, windowDays = BEHAVIOUR_WINDOW_DAYS): BrandBehaviour {
  return {
    partner,
    windowDays,
    purchaseCount: 0,
    spendMinor: 0,
    browseCount: 0,
    browseSeconds: 0,
    interactionCount: 0,
    referralCount: 0,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
    categories: [],
  };
}
/** Half-life of the recency weighting: a purchase 90 days old counts half as much as one today. */
export const AFFINITY_HALF_LIFE_DAYS = 90;
const DAY_MS = 86_400_000;

export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Exponential time decay: weight 1 today, 0.5 after one half-life. */
export function recencyWeight(ageDays: number, halfLifeDays = AFFINITY_HALF_LIFE_DAYS): number {
  return Math.pow(0.5, Math.max(0, ageDays) / halfLifeDays);
}

/**
 * Rolls day buckets up into the behaviour summary over the `windowDays` before `now` (inclusive of today).
 * Days outside the window are ignored, so the summary rolls forward even when no new event arrives.
 */
export function summariseBehaviour(
  partner: string,
  days: Record<string, DailyActivity>,
  now: Date,
  bounds: { firstPurchaseAt?: Date | null; windowDays?: number } = {},
): BrandBehaviour {
  const windowDays = bounds.windowDays ?? BEHAVIOUR_WINDOW_DAYS;
  const today = Date.parse(dayKey(now));
  const summary: BrandBehaviour = {
    ...emptyBehaviour(partner, windowDays),
    firstPurchaseAt: bounds.firstPurchaseAt ? bounds.firstPurchaseAt.toISOString() : null,
  };
  const categories = new Map<JointCategory, CategoryActivity>();
  let lastPurchaseDay: string | null = null;
  for (const [key, day] of Object.entries(days)) {
    const ageDays = Math.round((today - Date.parse(key)) / DAY_MS);
    if (!(ageDays >= 0 && ageDays < windowDays)) continue;
    const weight = recencyWeight(ageDays);
    summary.purchaseCount += day.purchaseCount ?? 0;
    summary.spendMinor += day.spendMinor ?? 0;
    summary.browseCount += day.browseCount ?? 0;
    summary.browseSeconds += day.browseSeconds ?? 0;
    summary.interactionCount += day.interactionCount ?? 0;
    summary.referralCount += day.referralCount ?? 0;
    if ((day.purchaseCount ?? 0) > 0 && (lastPurchaseDay === null || key > lastPurchaseDay))
      lastPurchaseDay = key;
    for (const [category, activity] of Object.entries(day.categories ?? {}) as [
      JointCategory,
      CategoryDay,
    ][]) {
      const entry = categories.get(category) ?? emptyCategoryActivity(category);
      entry.spendMinor += activity.spendMinor ?? 0;
      entry.purchaseCount += activity.purchaseCount ?? 0;
      entry.browseSeconds += activity.browseSeconds ?? 0;
      entry.interactionCount += activity.interactionCount ?? 0;
      entry.decayedSpend += (activity.spendMinor ?? 0) * weight;
      entry.decayedBrowseSeconds += (activity.browseSeconds ?? 0) * weight;
      categories.set(category, entry);
    }
  }
  summary.lastPurchaseAt = lastPurchaseDay ? new Date(lastPurchaseDay).toISOString() : null;
  summary.categories = [...categories.values()].sort((a, b) => a.category.localeCompare(b.category));
  return summary;
}
