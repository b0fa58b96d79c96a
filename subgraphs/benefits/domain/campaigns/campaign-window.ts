import type { LocalDate, ProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { addLocalDays } from '../../../shared/domain/programme-calendar.js';
import type { Campaign, CampaignWindow, Recurrence } from './campaign.js';

const daysInMonth = (d: LocalDate): number => new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
const weekdayOf = (d: LocalDate): number => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

/** Whether a local day is one the recurrence names. */
export function recurrenceIncludes(recurrence: Recurrence, day: LocalDate): boolean {
  if ('dayOfMonth' in recurrence) return day.day === recurrence.dayOfMonth;
  if (weekdayOf(day) !== recurrence.weekday) return false;
  const week = recurrence.weekOfMonth;
  if (week == null) return true;
  if (week === -1) return day.day + 7 > daysInMonth(day);
  return Math.ceil(day.day / 7) === week;
}

/** Whether an instant falls in the window: within its bounds and, if it recurs, on one of its local days. */
export function windowIncludes(window: CampaignWindow, at: Date, calendar: ProgrammeCalendar): boolean {
  const t = at.getTime();
  if (t < window.startsAt.getTime() || t >= window.endsAt.getTime()) return false;
  return window.recurrence === null || recurrenceIncludes(window.recurrence, calendar.localDate(at));
}

/**
 * Whether a campaign acts on an event that occurred at `at`: in its window, not in a pause, not after it was
 * ended. Decided by when the event occurred, never by when it is processed, so a late or replayed event is
 * treated as it would have been on time.
 */
export function campaignRunsAt(
  campaign: Pick<Campaign, 'window' | 'pauses' | 'endedAt'>,
  at: Date,
  calendar: ProgrammeCalendar,
): boolean {
  const t = at.getTime();
  if (campaign.endedAt && t >= campaign.endedAt.getTime()) return false;
  if (campaign.pauses.some((p) => t >= p.from.getTime() && (p.to === null || t < p.to.getTime())))
    return false;
  return windowIncludes(campaign.window, at, calendar);
}

/** The end of the run that contains `at` (the end of the local day for a recurring window), or null. */
export function currentRunEnd(window: CampaignWindow, at: Date, calendar: ProgrammeCalendar): Date | null {
  if (!windowIncludes(window, at, calendar)) return null;
  if (window.recurrence === null) return window.endsAt;
  const nextDay = calendar.startOfDay(addLocalDays(calendar.localDate(at), 1));
  return nextDay < window.endsAt ? nextDay : window.endsAt;
}

/** The start of the next run after `at` within the window (searching at most ~13 months ahead), or null. */
export function nextRunStart(window: CampaignWindow, at: Date, calendar: ProgrammeCalendar): Date | null {
  if (at < window.startsAt) {
    if (window.recurrence === null || windowIncludes(window, window.startsAt, calendar))
      return window.startsAt;
    at = window.startsAt;
  }
  if (window.recurrence === null) return null;
  let day = addLocalDays(calendar.localDate(at), 1);
  for (let i = 0; i < 400; i++, day = addLocalDays(day, 1)) {
    const start = calendar.startOfDay(day);
    if (start >= window.endsAt) return null;
    if (recurrenceIncludes(window.recurrence, day)) return start;
  }
  return null;
}
