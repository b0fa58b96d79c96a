import { monthsBetween } from '../../shared/domain/analytics-window.js';
import type { LedgerKind } from './earning-rules.js';

/** How many members were active at exactly `brands` partners. */
export interface BrandCountBucket {
  brands: number;
  members: number;
}

/**
 * Members by the month they first earned points (their cohort), and how many of them earned again each month
 * after: `retained[k]` members earned in the k-th month after the cohort month (`retained[0]` is the cohort).
 */
export interface RetentionCohort {
  cohort: string;
  size: number;
  retained: number[];
}

export interface PointsMonth {
  month: string;
  issued: number;
  reversed: number;
  redeemed: number;
  expired: number;
  adjusted: number;
}

export interface PointsAnalytics extends Omit<PointsMonth, 'month'> {
  /** Every point earned and not yet reversed, spent or expired at the window's end: the programme's liability. */
  outstanding: number;
  monthly: PointsMonth[];
}

/** Penetration for 1..partnerCount brands, with zeros where no member falls (members at no brand are not counted). */
export function penetrationBuckets(
  rows: readonly BrandCountBucket[],
  partnerCount: number,
): BrandCountBucket[] {
  const counts = new Map(rows.map((r) => [r.brands, r.members]));
  return Array.from({ length: partnerCount }, (_, i) => ({ brands: i + 1, members: counts.get(i + 1) ?? 0 }));
}

/**
 * Cohort rows (`members` of cohort `cohort` active in `month`) as one triangle row per cohort month of the
 * window, each as long as the months left in the window.
 */
export function retentionCohorts(
  rows: readonly { cohort: string; month: string; members: number }[],
  windowMonths: readonly string[],
): RetentionCohort[] {
  const last = windowMonths.at(-1);
  return windowMonths.map((cohort) => {
    const retained = new Array<number>(last ? monthsBetween(cohort, last) + 1 : 0).fill(0);
    for (const row of rows) {
      const k = monthsBetween(cohort, row.month);
      if (row.cohort === cohort && k >= 0 && k < retained.length) retained[k] += row.members;
    }
    return { cohort, size: retained[0] ?? 0, retained };
  });
}

const FIGURE_OF: Record<LedgerKind, keyof Omit<PointsMonth, 'month'>> = {
  earn: 'issued',
  reverse: 'reversed',
  redeem: 'redeemed',
  expire: 'expired',
  adjust: 'adjusted',
};

/**
 * Ledger sums by kind and month (`month: null` for entries before the window) as the window's figures. Ledger
 * points are signed (negative for reversals, spending and expiry); the figures are magnitudes, except
 * `adjusted`, which keeps its sign. `outstanding` is the signed sum of everything up to the window's end.
 */
export function pointsAnalytics(
  rows: readonly { kind: LedgerKind; month: string | null; points: number }[],
  windowMonths: readonly string[],
): PointsAnalytics {
  const months = new Map(
    windowMonths.map((month) => [
      month,
      { month, issued: 0, reversed: 0, redeemed: 0, expired: 0, adjusted: 0 } as PointsMonth,
    ]),
  );
  const total: PointsAnalytics = {
    issued: 0,
    reversed: 0,
    redeemed: 0,
    expired: 0,
    adjusted: 0,
    outstanding: 0,
    monthly: [...months.values()],
  };
  for (const row of rows) {
    total.outstanding += row.points;
    const figure = FIGURE_OF[row.kind];
    const month = row.month === null ? undefined : months.get(row.month);
    if (!figure || !month) continue;
    const value = figure === 'adjusted' ? row.points : Math.abs(row.points);
    month[figure] += value;
    total[figure] += value;
  }
  return total;
}
