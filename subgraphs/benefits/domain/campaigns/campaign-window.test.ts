import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { CampaignWindow } from './campaign.js';
import {
  campaignRunsAt,
  currentRunEnd,
  nextRunStart,
  recurrenceIncludes,
  windowIncludes,
} from './campaign-window.js';

const shanghai = createProgrammeCalendar('Asia/Shanghai');
const window = (recurrence: CampaignWindow['recurrence']): CampaignWindow => ({
  startsAt: new Date('2026-01-01T00:00:00+08:00'),
  endsAt: new Date('2027-01-01T00:00:00+08:00'),
  recurrence,
});

describe('campaign windows in the programme time zone', () => {
  it('"the 18th of every month" is the whole 18th in Shanghai, not in UTC', () => {
    const the18th = window({ dayOfMonth: 18 });
    expect(windowIncludes(the18th, new Date('2026-03-17T16:00:00Z'), shanghai)).toBe(true); // 18th 00:00 +08
    expect(windowIncludes(the18th, new Date('2026-03-17T15:59:59.999Z'), shanghai)).toBe(false); // 17th 23:59 +08
    expect(windowIncludes(the18th, new Date('2026-03-18T15:59:59.999Z'), shanghai)).toBe(true); // 18th 23:59 +08
    expect(windowIncludes(the18th, new Date('2026-03-18T16:00:00Z'), shanghai)).toBe(false); // 19th 00:00 +08
  });

  it('"the first Friday" and "the last Friday" of the month', () => {
    // March 2026: Fridays are the 6th, 13th, 20th and 27th.
    const first = { weekday: 5, weekOfMonth: 1 };
    const last = { weekday: 5, weekOfMonth: -1 };
    const day = (d: number) => ({ year: 2026, month: 3, day: d });
    expect([6, 13, 20, 27].map((d) => recurrenceIncludes(first, day(d)))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([6, 13, 20, 27].map((d) => recurrenceIncludes(last, day(d)))).toEqual([false, false, false, true]);
    expect(recurrenceIncludes({ weekday: 5 }, day(20))).toBe(true);
    expect(recurrenceIncludes({ weekday: 5 }, day(21))).toBe(false);
    // The 31st exists in some months only: months without it have no member day.
    expect(recurrenceIncludes({ dayOfMonth: 31 }, { year: 2026, month: 4, day: 30 })).toBe(false);
  });

  it('a one-off window runs from its start (inclusive) to its end (exclusive)', () => {
    const once = window(null);
    expect(windowIncludes(once, once.startsAt, shanghai)).toBe(true);
    expect(windowIncludes(once, once.endsAt, shanghai)).toBe(false);
    expect(windowIncludes(once, new Date(once.startsAt.getTime() - 1), shanghai)).toBe(false);
  });

  it('pauses and ending are decided by when the event occurred', () => {
    const campaign = {
      window: window(null),
      pauses: [{ from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-05-02T00:00:00Z') }],
      endedAt: new Date('2026-06-01T00:00:00Z'),
    };
    expect(campaignRunsAt(campaign, new Date('2026-04-30T23:59:59Z'), shanghai)).toBe(true);
    expect(campaignRunsAt(campaign, new Date('2026-05-01T12:00:00Z'), shanghai)).toBe(false);
    expect(campaignRunsAt(campaign, new Date('2026-05-02T00:00:00Z'), shanghai)).toBe(true);
    expect(campaignRunsAt(campaign, new Date('2026-06-01T00:00:00Z'), shanghai)).toBe(false);
    const stillPaused = {
      ...campaign,
      pauses: [{ from: new Date('2026-05-01T00:00:00Z'), to: null }],
      endedAt: null,
    };
    expect(campaignRunsAt(stillPaused, new Date('2026-09-01T00:00:00Z'), shanghai)).toBe(false);
  });

  it('knows when the current run ends and the next one starts', () => {
    const the18th = window({ dayOfMonth: 18 });
    const noon18th = new Date('2026-03-18T04:00:00Z');
    expect(currentRunEnd(the18th, noon18th, shanghai)).toEqual(new Date('2026-03-18T16:00:00Z'));
    expect(currentRunEnd(the18th, new Date('2026-03-19T04:00:00Z'), shanghai)).toBeNull();
    expect(nextRunStart(the18th, noon18th, shanghai)).toEqual(new Date('2026-04-17T16:00:00Z'));
    expect(nextRunStart(the18th, new Date('2026-12-20T00:00:00Z'), shanghai)).toBeNull();
  });
});
