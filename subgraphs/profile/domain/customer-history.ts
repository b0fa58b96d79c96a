/**
 * A member's purchase history in the form BG/NBD and Gamma-Gamma read (Fader, Hardie & Lee 2005): the
 * first purchase starts the clock, `frequency` counts the repeat purchases after it, `recency` is the time
 * from the first to the last purchase, `T` the time from the first purchase to now, and `monetaryValue` the
 * mean value of the repeat purchases (minor units; 0 without repeat purchases). Times are in one time unit,
 * the model's (weeks or days).
 */
export interface CustomerHistory {
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
}

export interface Transaction {
  at: Date;
  amountMinor: number;
}

export interface SummariseOptions {
  now: Date;
  /** Length of the model's time unit in days: 7 for weeks, 1 for days. */
  timeUnitDays: number;
  /**
   * Purchases on the same calendar day count as one (split baskets are one visit, as in the reference
   * implementation's `summary_data_from_transaction_data`). Days are taken in the programme's time zone;
   * Asia/Shanghai is UTC+8 all year, so a fixed offset is exact.
   */
  timeZoneOffsetMinutes?: number;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MINUTES = 480;

/** Turns a member's purchases into the (frequency, recency, T, monetary value) the models read; null without any. */
export function summariseTransactions(
  transactions: readonly Transaction[],
  options: SummariseOptions,
): CustomerHistory | null {
  const offsetMs = (options.timeZoneOffsetMinutes ?? SHANGHAI_OFFSET_MINUTES) * 60_000;
  const dayOf = (at: Date): number => Math.floor((at.getTime() + offsetMs) / DAY_MS);
  const byDay = new Map<number, number>();
  for (const t of transactions) {
    if (t.at.getTime() > options.now.getTime()) continue;
    byDay.set(dayOf(t.at), (byDay.get(dayOf(t.at)) ?? 0) + t.amountMinor);
  }
  if (byDay.size === 0) return null;
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  const repeatValues = days.slice(1).map((d) => byDay.get(d)!);
  return {
    frequency: repeatValues.length,
    recency: (last - first) / options.timeUnitDays,
    T: (dayOf(options.now) - first) / options.timeUnitDays,
    monetaryValue: repeatValues.length ? repeatValues.reduce((a, b) => a + b, 0) / repeatValues.length : 0,
  };
}

/** Why a history cannot be fitted, or null when it can. */
export function describeInvalidHistory(h: { frequency: number; recency: number; T: number }): string | null {
  if (!Number.isInteger(h.frequency) || h.frequency < 0) return 'frequency must be a whole number ≥ 0';
  if (!(h.T > 0) || !Number.isFinite(h.T)) return 'T must be a number > 0';
  if (!(h.recency >= 0) || !Number.isFinite(h.recency)) return 'recency must be a number ≥ 0';
  if (h.recency > h.T) return 'recency must not exceed T';
  if (h.frequency === 0 && h.recency !== 0) return 'recency must be 0 when frequency is 0';
  return null;
}
