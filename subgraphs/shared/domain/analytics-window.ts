import { badInput } from '../errors.js';

/**
 * The period an operator's analytics query covers: `from` inclusive, `to` exclusive, both instants (UTC
 * ISO-8601). Months in the figures are calendar months in the programme's time zone.
 */
export interface AnalyticsWindow {
  from: Date;
  to: Date;
}

/** The longest window one query may cover: three years of monthly series. */
export const MAX_ANALYTICS_MONTHS = 36;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: unknown, argument: 'from' | 'to'): Date {
  const date = typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw badInput(`\`${argument}\` must be an ISO-8601 instant such as 2026-01-01T00:00:00Z.`, argument);
  }
  return date;
}

/** Reads and checks a window from GraphQL arguments (or an entity key): an order and a bounded span. */
export function analyticsWindow(from: unknown, to: unknown): AnalyticsWindow {
  const window = { from: instant(from, 'from'), to: instant(to, 'to') };
  if (window.from >= window.to) throw badInput('`from` must be before `to`.', 'from');
  const months =
    (window.to.getUTCFullYear() - window.from.getUTCFullYear()) * 12 +
    (window.to.getUTCMonth() - window.from.getUTCMonth());
  if (months > MAX_ANALYTICS_MONTHS) {
    throw badInput(`The window spans more than ${MAX_ANALYTICS_MONTHS} months; query a shorter one.`, 'to');
  }
  return window;
}

/** The entity key every subgraph resolves `ProgrammeAnalytics` by: the window, as ISO strings. */
export const windowKey = (w: AnalyticsWindow): { from: string; to: string } => ({
  from: w.from.toISOString(),
  to: w.to.toISOString(),
});

/**
 * The `ProgrammeAnalytics` resolvers every subgraph shares: the entity read from its key into a checked
 * window, and the key's fields given back from the window.
 */
export const programmeAnalyticsKeyResolvers = {
  __resolveReference: (key: { from: unknown; to: unknown }): AnalyticsWindow =>
    analyticsWindow(key.from, key.to),
  from: (w: AnalyticsWindow) => windowKey(w).from,
  to: (w: AnalyticsWindow) => windowKey(w).to,
};

/** `YYYY-MM` month keys from the month holding `from` to the month holding the last instant before `to`. */
export function monthKeysOf(window: AnalyticsWindow, monthKeyOf: (at: Date) => string): string[] {
  const first = monthKeyOf(window.from);
  const last = monthKeyOf(new Date(window.to.getTime() - 1));
  const keys: string[] = [];
  let [year, month] = first.split('-').map(Number);
  for (let key = first; key <= last;) {
    keys.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  }
  return keys;
}

/** Whole months from one `YYYY-MM` key to another (0 for the same month). */
export function monthsBetween(fromKey: string, toKey: string): number {
  const [fy, fm] = fromKey.split('-').map(Number);
  const [ty, tm] = toKey.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}
