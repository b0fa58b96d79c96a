import type { ProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { addLocalDays, formatLocalDate } from '../../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../../shared/events/member-activity-message.js';
import type { ActivityPeriod, ActivityType } from './eligibility-rule.js';
import { ACTIVITY_TYPES } from './eligibility-rule.js';
import type { PartnerActivityCounts } from './member-facts.js';

/** One member's activity on one day of the programme calendar, per partner and type. */
export interface ActivityDay {
  /** `YYYY-MM-DD` in the programme's time zone. */
  day: string;
  counts: PartnerActivityCounts;
}

/** The activity type an event counts as for rules; null for events that rules do not count (refunds, referrals). */
export function countedActivity(type: MemberActivityMessage['type']): ActivityType | null {
  return (ACTIVITY_TYPES as readonly string[]).includes(type) ? (type as ActivityType) : null;
}

/** First local day of the current day, ISO week (Monday) and month: the days each period sums. */
export function periodStartDays(now: Date, calendar: ProgrammeCalendar): Record<ActivityPeriod, string> {
  const today = calendar.localDate(now);
  const monday = addLocalDays(today, -((calendar.weekday(now) + 6) % 7));
  return {
    DAY: formatLocalDate(today),
    WEEK: formatLocalDate(monday),
    MONTH: formatLocalDate({ ...today, day: 1 }),
  };
}

/** The earliest day any period needs (the week can start in the previous month). */
export const earliestPeriodDay = (starts: Record<ActivityPeriod, string>): string =>
  starts.WEEK < starts.MONTH ? starts.WEEK : starts.MONTH;

/** Sums day records into the current day, week and month. Days after `now` (clock skew) count in all three. */
export function sumActivityPeriods(
  days: readonly ActivityDay[],
  now: Date,
  calendar: ProgrammeCalendar,
): Record<ActivityPeriod, PartnerActivityCounts> {
  const starts = periodStartDays(now, calendar);
  const totals: Record<ActivityPeriod, PartnerActivityCounts> = { DAY: {}, WEEK: {}, MONTH: {} };
  for (const { day, counts } of days) {
    for (const period of ['DAY', 'WEEK', 'MONTH'] as const) {
      if (day < starts[period]) continue;
      for (const [partner, byType] of Object.entries(counts)) {
        const into = (totals[period][partner] ??= {});
        for (const [type, n] of Object.entries(byType) as [ActivityType, number][]) {
          into[type] = (into[type] ?? 0) + n;
        }
      }
    }
  }
  return totals;
}
