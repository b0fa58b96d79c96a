import { z } from 'zod';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalDays, addLocalMonths, formatMonthKey } from '../../shared/domain/programme-calendar.js';

/**
 * When points expire, counted from when they become available, on the programme's calendar. The seed rule
 * (issue 9): at the end of the month 12 months after the points become available, so points that become
 * available on 26 June 2024 are valid through 30 June 2025 (Shanghai time). Expiry is exclusive: the
 * instant returned is the first one at which the points are gone.
 */
const warnWithinDays = z.number().int().min(1).max(366);

export const expiryPolicySchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('END_OF_MONTH_AFTER_MONTHS'),
      months: z.number().int().min(1).max(120),
      warnWithinDays,
    })
    .strict(),
  z
    .object({
      rule: z.literal('END_OF_DAY_AFTER_DAYS'),
      days: z.number().int().min(1).max(3650),
      warnWithinDays,
    })
    .strict(),
  z.object({ rule: z.literal('NEVER'), warnWithinDays }).strict(),
]);

export type ExpiryPolicy = z.infer<typeof expiryPolicySchema>;

/** `expiry` in schema/earning-rules.json (seed). `warnWithinDays` is what the wallet calls "expiring soon". */
export const SEED_EXPIRY_POLICY: ExpiryPolicy = {
  rule: 'END_OF_MONTH_AFTER_MONTHS',
  months: 12,
  warnWithinDays: 30,
};

/** The first instant at which points that become available at `availableAt` have expired; null: never. */
export function expiresAtFor(
  availableAt: Date,
  policy: ExpiryPolicy,
  calendar: ProgrammeCalendar,
): Date | null {
  const local = calendar.localDate(availableAt);
  switch (policy.rule) {
    case 'END_OF_MONTH_AFTER_MONTHS':
      return calendar.monthBounds(formatMonthKey(addLocalMonths(local, policy.months))).end;
    case 'END_OF_DAY_AFTER_DAYS':
      return calendar.startOfDay(addLocalDays(local, policy.days + 1));
    case 'NEVER':
      return null;
  }
}

/** The policy bound to a calendar, in the form the wallet operations take. */
export type ExpiryRule = (availableAt: Date) => Date | null;

export const expiryRule =
  (policy: ExpiryPolicy, calendar: ProgrammeCalendar): ExpiryRule =>
  (availableAt) =>
    expiresAtFor(availableAt, policy, calendar);
