import fc from 'fast-check';
import {
  PROGRAMME_TIME_ZONE,
  addLocalDays,
  addLocalMonths,
  createProgrammeCalendar,
  formatLocalDate,
  isKnownTimeZone,
  parseMonthKey,
} from './programme-calendar.js';

const HOUR_MS = 3_600_000;
const shanghai = createProgrammeCalendar();
const newYork = createProgrammeCalendar('America/New_York');

describe('programme calendar in Asia/Shanghai (the seed zone)', () => {
  it('is the default zone', () => {
    expect(shanghai.timeZone).toBe(PROGRAMME_TIME_ZONE);
    expect(PROGRAMME_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it('reads the offset from the zone database: 8 hours ahead of UTC in winter and summer', () => {
    expect(shanghai.offsetMs(new Date('2025-01-15T12:00:00Z'))).toBe(8 * HOUR_MS);
    expect(shanghai.offsetMs(new Date('2025-07-15T12:00:00Z'))).toBe(8 * HOUR_MS);
  });

  it('puts 17:00 UTC on 30 June into 1 July, the next local day and month', () => {
    const at = new Date('2025-06-30T17:00:00.250Z');
    expect(shanghai.localDateTime(at)).toEqual({
      year: 2025,
      month: 7,
      day: 1,
      hour: 1,
      minute: 0,
      second: 0,
      millisecond: 250,
    });
    expect(shanghai.dayKey(at)).toBe('2025-07-01');
    expect(shanghai.monthKey(at)).toBe('2025-07');
    expect(shanghai.monthKey(new Date('2025-06-30T15:59:59.999Z'))).toBe('2025-06');
  });

  it('turns local midnight into the UTC instant 8 hours earlier', () => {
    expect(shanghai.startOfDay({ year: 2025, month: 7, day: 1 }).toISOString()).toBe(
      '2025-06-30T16:00:00.000Z',
    );
    expect(shanghai.instantOf({ year: 2024, month: 2, day: 29, hour: 23, minute: 59 }).toISOString()).toBe(
      '2024-02-29T15:59:00.000Z',
    );
  });

  it('bounds a month with local midnights, the end exclusive', () => {
    expect(shanghai.monthBounds('2025-12')).toEqual({
      start: new Date('2025-11-30T16:00:00.000Z'),
      end: new Date('2025-12-31T16:00:00.000Z'),
    });
    expect(shanghai.monthBounds('2024-02').end).toEqual(new Date('2024-02-29T16:00:00.000Z'));
  });

  it('names the local weekday: 23:30 UTC on a Sunday is Monday in Shanghai', () => {
    expect(shanghai.weekday(new Date('2025-07-13T23:30:00Z'))).toBe(1);
    expect(shanghai.weekday(new Date('2025-07-13T10:00:00Z'))).toBe(0);
  });

  it('keys periods and finds where the next one starts', () => {
    const at = new Date('2025-07-16T20:00:00Z'); // Thursday 17 July, 04:00 local
    expect(shanghai.periodKey(at, 'DAY')).toBe('D2025-07-17');
    expect(shanghai.periodKey(at, 'WEEK')).toBe('W2025-07-14');
    expect(shanghai.periodKey(at, 'MONTH')).toBe('M2025-07');
    expect(shanghai.periodKey(at, 'YEAR')).toBe('Y2025');
    expect(shanghai.nextPeriodStart(at, 'DAY')).toEqual(new Date('2025-07-17T16:00:00Z'));
    expect(shanghai.nextPeriodStart(at, 'WEEK')).toEqual(new Date('2025-07-20T16:00:00Z'));
    expect(shanghai.nextPeriodStart(at, 'MONTH')).toEqual(new Date('2025-07-31T16:00:00Z'));
    expect(shanghai.nextPeriodStart(at, 'YEAR')).toEqual(new Date('2025-12-31T16:00:00Z'));
  });

  it('keys a Sunday into the week of the Monday before it', () => {
    expect(shanghai.periodKey(new Date('2025-07-20T10:00:00Z'), 'WEEK')).toBe('W2025-07-14');
    expect(shanghai.periodKey(new Date('2025-07-20T16:00:00Z'), 'WEEK')).toBe('W2025-07-21');
  });
});

describe('programme calendar in a zone with daylight saving time (reuse for other programmes)', () => {
  it('follows the offset change', () => {
    expect(newYork.offsetMs(new Date('2025-01-15T12:00:00Z'))).toBe(-5 * HOUR_MS);
    expect(newYork.offsetMs(new Date('2025-07-15T12:00:00Z'))).toBe(-4 * HOUR_MS);
  });

  it('moves a wall time skipped in spring forward by the gap', () => {
    // 2025-03-09 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT.
    expect(newYork.instantOf({ year: 2025, month: 3, day: 9, hour: 2, minute: 30 }).toISOString()).toBe(
      '2025-03-09T07:30:00.000Z',
    );
  });

  it('takes the earlier of a wall time repeated in autumn', () => {
    // 2025-11-02 01:30 happens twice: first at EDT (05:30Z), then at EST (06:30Z).
    expect(newYork.instantOf({ year: 2025, month: 11, day: 2, hour: 1, minute: 30 }).toISOString()).toBe(
      '2025-11-02T05:30:00.000Z',
    );
  });

  it('bounds a month across the change with the right offset at each end', () => {
    expect(newYork.monthBounds('2025-03')).toEqual({
      start: new Date('2025-03-01T05:00:00.000Z'),
      end: new Date('2025-04-01T04:00:00.000Z'),
    });
  });

  it('finds the next day across the spring change (a 23-hour day)', () => {
    const at = new Date('2025-03-09T12:00:00Z');
    expect(
      newYork.nextPeriodStart(at, 'DAY').getTime() - newYork.startOfDay(newYork.localDate(at)).getTime(),
    ).toBe(23 * HOUR_MS);
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month and leap-year ends', () => {
    expect(addLocalDays({ year: 2024, month: 2, day: 28 }, 1)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(addLocalDays({ year: 2025, month: 12, day: 31 }, 1)).toEqual({ year: 2026, month: 1, day: 1 });
    expect(addLocalDays({ year: 2025, month: 3, day: 1 }, -1)).toEqual({ year: 2025, month: 2, day: 28 });
  });

  it('adds months across year ends, backwards too', () => {
    expect(addLocalMonths({ year: 2024, month: 6 }, 12)).toEqual({ year: 2025, month: 6 });
    expect(addLocalMonths({ year: 2024, month: 12 }, 1)).toEqual({ year: 2025, month: 1 });
    expect(addLocalMonths({ year: 2025, month: 1 }, -1)).toEqual({ year: 2024, month: 12 });
  });

  it('parses month keys and names a bad one', () => {
    expect(parseMonthKey('2025-07')).toEqual({ year: 2025, month: 7 });
    expect(() => parseMonthKey('2025-13')).toThrow('use YYYY-MM');
    expect(() => parseMonthKey('2025-7')).toThrow('use YYYY-MM');
  });

  it('formats local dates with padding', () => {
    expect(formatLocalDate({ year: 2025, month: 7, day: 1 })).toBe('2025-07-01');
  });

  it('knows IANA zones and not made-up ones', () => {
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true);
    expect(isKnownTimeZone('China/Beijing')).toBe(false);
  });

  it('rejects an unknown zone with a message naming it', () => {
    expect(() => createProgrammeCalendar('Mars/Olympus')).toThrow('Unknown time zone "Mars/Olympus"');
  });

  it('rejects an invalid date', () => {
    expect(() => shanghai.localDate(new Date('nope'))).toThrow('Invalid date');
  });
});

describe('programme calendar round trips (fast-check, seeded)', () => {
  const instants = fc.integer({
    min: Date.parse('1990-01-01T00:00:00Z'),
    max: Date.parse('2100-01-01T00:00:00Z'),
  });

  it('maps every instant to its local time and back in Shanghai', () => {
    fc.assert(
      fc.property(instants, (t) => {
        const at = new Date(t);
        expect(shanghai.instantOf(shanghai.localDateTime(at)).getTime()).toBe(t);
      }),
      { seed: 20_250_701, numRuns: 500 },
    );
  });

  it('gives back the same local time in New York, the earlier instant when it occurs twice', () => {
    fc.assert(
      fc.property(instants, (t) => {
        const local = newYork.localDateTime(new Date(t));
        const back = newYork.instantOf(local);
        expect(newYork.localDateTime(back)).toEqual(local);
        expect(back.getTime()).toBeLessThanOrEqual(t);
        expect(t - back.getTime()).toBeLessThanOrEqual(HOUR_MS);
      }),
      { seed: 20_250_701, numRuns: 500 },
    );
  });

  it('puts every instant inside the bounds of its own month', () => {
    fc.assert(
      fc.property(instants, (t) => {
        const { start, end } = shanghai.monthBounds(shanghai.monthKey(new Date(t)));
        expect(start.getTime()).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(end.getTime());
      }),
      { seed: 20_250_701, numRuns: 300 },
    );
  });
});

describe('local times from cached offsets', () => {
  /** The local wall time straight from `Intl`, as the zone database states it. */
  const fromZoneDatabase = (timeZone: string, t: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(t));
    const field = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return {
      year: field('year'),
      month: field('month'),
      day: field('day'),
      hour: field('hour'),
      minute: field('minute'),
      second: field('second'),
      millisecond: ((t % 1000) + 1000) % 1000,
    };
  };
  // Whole-hour and half-hour daylight saving, a 45-minute offset, and offsets in seconds before 1901 (LMT).
  const zones = [
    'Asia/Shanghai',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Europe/London',
  ];

  it('agree with the zone database at any instant since 1850, in zones with odd offsets and changes', () => {
    for (const timeZone of zones) {
      const calendar = createProgrammeCalendar(timeZone);
      fc.assert(
        fc.property(
          fc.integer({ min: Date.parse('1850-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
          (t) => {
            expect(calendar.localDateTime(new Date(t))).toEqual(fromZoneDatabase(timeZone, t));
          },
        ),
        { seed: 20_261_202, numRuns: 400 },
      );
    }
  });

  it('agree with the zone database on both sides of every offset change in a year', () => {
    for (const timeZone of zones) {
      const calendar = createProgrammeCalendar(timeZone);
      const start = Date.parse('2026-01-01T00:00:00Z');
      let changes = 0;
      for (let t = start; t < start + 366 * 24 * HOUR_MS; t += 15 * 60_000) {
        if (calendar.offsetMs(new Date(t)) === calendar.offsetMs(new Date(t + 15 * 60_000))) continue;
        changes += 1;
        // Find the change to the millisecond, then look at either side of it.
        let [low, high] = [t, t + 15 * 60_000];
        const before = fromZoneDatabase(timeZone, low);
        while (high - low > 1) {
          const mid = Math.floor((low + high) / 2);
          const local = fromZoneDatabase(timeZone, mid);
          const offset =
            Date.UTC(
              local.year,
              local.month - 1,
              local.day,
              local.hour,
              local.minute,
              local.second,
              local.millisecond,
            ) - mid;
          const offsetBefore =
            Date.UTC(
              before.year,
              before.month - 1,
              before.day,
              before.hour,
              before.minute,
              before.second,
              before.millisecond,
            ) - t;
          if (offset === offsetBefore) low = mid;
          else high = mid;
        }
        for (const at of [low - 1, low, high, high + 1]) {
          expect(calendar.localDateTime(new Date(at))).toEqual(fromZoneDatabase(timeZone, at));
        }
      }
      expect(changes).toBe(timeZone === 'Asia/Shanghai' || timeZone === 'Asia/Kathmandu' ? 0 : 2);
    }
  });
});
