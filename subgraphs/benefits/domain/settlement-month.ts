import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalMonths, formatMonthKey, parseMonthKey } from '../../shared/domain/programme-calendar.js';
import type { WalletEntry } from './wallet-entry.js';

/**
 * Settlement months are programme-local calendar months, and a closed month is immutable: its statements
 * were sent and paid. The rule: an entry is booked in the month it is recorded in (programme time zone);
 * when that month is already closed (a late event, a sweep after the close), it is booked in the first
 * open month after it. The booking is decided once, when the entry is written, and stored on the entry.
 * Months are closed for the whole programme at once, so every partner's statement of a month agrees.
 */
export function settlementMonthFor(
  recordedAt: Date,
  closedMonths: ReadonlySet<string>,
  calendar: ProgrammeCalendar,
): string {
  let month = calendar.monthKey(recordedAt);
  while (closedMonths.has(month)) month = formatMonthKey(addLocalMonths(parseMonthKey(month), 1));
  return month;
}

/** The month an entry counts in: the one booked at write time, else the month it occurred in. */
export const bookedMonth = (entry: WalletEntry, calendar: ProgrammeCalendar): string =>
  entry.settlementMonth ?? calendar.monthKey(entry.occurredAt);

/** Months are compared as `YYYY-MM` strings, which sort in calendar order. */
export const monthIsAfter = (month: string, other: string): boolean => month > other;
