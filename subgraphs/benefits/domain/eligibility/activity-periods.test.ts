import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { countedActivity, periodStartDays, sumActivityPeriods } from './activity-periods.js';

const shanghai = createProgrammeCalendar('Asia/Shanghai');

describe('activity periods on the programme calendar', () => {
  it('start the day, the week (Monday) and the month in Shanghai, not in UTC', () => {
    // 2026-03-01 is a Sunday in Shanghai at 01:00 (17:00 UTC on Saturday 28 February).
    expect(periodStartDays(new Date('2026-02-28T17:00:00Z'), shanghai)).toEqual({
      DAY: '2026-03-01',
      WEEK: '2026-02-23',
      MONTH: '2026-03-01',
    });
  });

  it('sum each day into the periods it falls in', () => {
    const now = new Date('2026-03-04T04:00:00Z'); // Wednesday 4 March, noon in Shanghai
    const totals = sumActivityPeriods(
      [
        { day: '2026-02-27', counts: { mindspark: { login: 1 } } }, // last month, and before this week
        { day: '2026-03-02', counts: { mindspark: { login: 2 }, pulsefit: { interaction: 3 } } },
        { day: '2026-03-04', counts: { mindspark: { login: 1, purchase: 1 } } },
        { day: '2026-03-01', counts: { pulsefit: { browse: 4 } } }, // this month, last week
      ],
      now,
      shanghai,
    );
    expect(totals.DAY).toEqual({ mindspark: { login: 1, purchase: 1 } });
    expect(totals.WEEK).toEqual({ mindspark: { login: 3, purchase: 1 }, pulsefit: { interaction: 3 } });
    expect(totals.MONTH).toEqual({
      mindspark: { login: 3, purchase: 1 },
      pulsefit: { interaction: 3, browse: 4 },
    });
  });

  it('count purchases, interactions, browse sessions and logins, not refunds or referrals', () => {
    expect(
      ['purchase', 'interaction', 'browse', 'login', 'refund', 'referral'].map((t) =>
        countedActivity(t as never),
      ),
    ).toEqual(['purchase', 'interaction', 'browse', 'login', null, null]);
  });
});
