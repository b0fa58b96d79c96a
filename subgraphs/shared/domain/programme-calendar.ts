/**
 * Calendar rules of the programme (expiry dates, settlement months, redemption periods, campaign windows) are
 * stated in the programme's time zone, not in UTC: "the end of June" means the end of June in Shanghai.
 * The offsets come from the IANA database through `Intl`, so the same code is right for a zone with
 * daylight saving time; no offset is written down here.
 */

/**
 * The seed programme's zone (docs/architecture.md §5), stated in the registry as `programmeTimeZone`.
 * Asia/Shanghai keeps one offset all year, but nothing relies on it.
 */
export const PROGRAMME_TIME_ZONE = 'Asia/Shanghai';

/** A day on the programme's calendar; `month` is 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Periods that limits and stock are counted in. Weeks start on Monday (ISO 8601). */
export type CalendarPeriod = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

export interface ProgrammeCalendar {
  readonly timeZone: string;
  /** Local time minus UTC at that instant, in milliseconds (e.g. 8 h in Shanghai). */
  offsetMs(at: Date): number;
  localDateTime(at: Date): LocalDateTime;
  localDate(at: Date): LocalDate;
  /** 0 = Sunday … 6 = Saturday, on the local calendar. */
  weekday(at: Date): number;
  /**
   * The instant a local wall time names. A time that occurs twice (clocks going back) gives the earlier
   * instant; a time skipped by clocks going forward is moved forward by the gap (as Temporal's "compatible").
   */
  instantOf(local: LocalDate & Partial<LocalDateTime>): Date;
  startOfDay(date: LocalDate): Date;
  /** `YYYY-MM-DD` of the local day. */
  dayKey(at: Date): string;
  /** `YYYY-MM` of the local month (settlement months). */
  monthKey(at: Date): string;
  /** First instant of the month and first instant of the next one (the end is exclusive). */
  monthBounds(monthKey: string): { start: Date; end: Date };
  /** Key of the period containing `at`, e.g. `D2025-07-14`, `W2025-07-14` (its Monday), `M2025-07`, `Y2025`. */
  periodKey(at: Date, period: CalendarPeriod): string;
  /** First instant of the next period after the one containing `at`. */
  nextPeriodStart(at: Date, period: CalendarPeriod): Date;
}

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
/** Instants this far from 1970 and their local times are within the range of `Date` in every zone. */
const SAFE_INSTANT_MS = 8.64e15 - 2 * DAY_MS;
const MAX_CACHED_QUARTERS = 100_000;
const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const formatLocalDate = (d: LocalDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** Day arithmetic on the calendar alone (no zone involved): 31 January + 1 = 1 February. */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Month arithmetic: the month `months` after (or before) the given one. */
export function addLocalMonths(
  ym: { year: number; month: number },
  months: number,
): { year: number; month: number } {
  const index = ym.year * 12 + (ym.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function parseMonthKey(monthKey: string): { year: number; month: number } {
  const match = MONTH_KEY.exec(monthKey);
  if (!match) throw new RangeError(`"${monthKey}" is not a month; use YYYY-MM, e.g. 2025-07`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export const formatMonthKey = (ym: { year: number; month: number }): string =>
  `${pad(ym.year, 4)}-${pad(ym.month)}`;

/** Whether `Intl` knows the zone (an IANA name such as Asia/Shanghai), for validating configuration. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function createProgrammeCalendar(timeZone: string = PROGRAMME_TIME_ZONE): ProgrammeCalendar {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}"; use an IANA name such as Asia/Shanghai`);
  }

  /** The local wall time read from the zone database (`Intl`), the slow and sure way. */
  const zoneDateTime = (at: Date): LocalDateTime => {
    const t = at.getTime();
    if (!Number.isFinite(t)) throw new RangeError('Invalid date');
    const fields: Record<string, string> = {};
    for (const part of format.formatToParts(at)) fields[part.type] = part.value;
    const yearOfEra = Number(fields.year);
    return {
      year: fields.era === 'BC' ? 1 - yearOfEra : yearOfEra,
      month: Number(fields.month),
      day: Number(fields.day),
      hour: Number(fields.hour),
      minute: Number(fields.minute),
      second: Number(fields.second),
      // Zone offsets are whole seconds, so the local millisecond is the UTC one.
      millisecond: ((t % 1000) + 1000) % 1000,
    };
  };

  /**
   * The offset of each quarter hour of UTC time that has one offset throughout (null when it changes inside),
   * read from the zone database once: the offset is the same at the quarter's first and last millisecond, and
   * no zone has changed its offset twice within a quarter of an hour. Bounded: cleared when full.
   */
  const quarterOffsets = new Map<number, number | null>();
  const quarterOffset = (t: number): number | null => {
    const quarter = Math.floor(t / QUARTER_HOUR_MS);
    let offset = quarterOffsets.get(quarter);
    if (offset === undefined) {
      const first = quarter * QUARTER_HOUR_MS;
      const last = first + QUARTER_HOUR_MS - 1;
      const a = Math.abs(first) < SAFE_INSTANT_MS ? wallClockMs(zoneDateTime(new Date(first))) - first : NaN;
      const b = Math.abs(last) < SAFE_INSTANT_MS ? wallClockMs(zoneDateTime(new Date(last))) - last : NaN;
      offset = a === b ? a : null;
      if (quarterOffsets.size >= MAX_CACHED_QUARTERS) quarterOffsets.clear();
      quarterOffsets.set(quarter, offset);
    }
    return offset;
  };

  const localDateTime = (at: Date): LocalDateTime => {
    const t = at.getTime();
    if (!Number.isFinite(t)) throw new RangeError('Invalid date');
    const offset = quarterOffset(t);
    if (offset === null) return zoneDateTime(at);
    const wall = new Date(t + offset);
    return {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      millisecond: wall.getUTCMilliseconds(),
    };
  };

  const wallClockMs = (l: LocalDateTime): number => {
    const date = new Date(0);
    date.setUTCFullYear(l.year, l.month - 1, l.day);
    date.setUTCHours(l.hour, l.minute, l.second, l.millisecond);
    return date.getTime();
  };

  const offsetMs = (at: Date): number => wallClockMs(localDateTime(at)) - at.getTime();

  const instantOf = (local: LocalDate & Partial<LocalDateTime>): Date => {
    const wall = wallClockMs({ hour: 0, minute: 0, second: 0, millisecond: 0, ...local });
    // Real zones change offset at most once in two days: the offsets a day either side are the candidates.
    const before = offsetMs(new Date(wall - DAY_MS));
    const after = offsetMs(new Date(wall + DAY_MS));
    const valid = [...new Set([before, after])]
      .map((offset) => wall - offset)
      .filter((t) => wall - offsetMs(new Date(t)) === t);
    return new Date(valid.length > 0 ? Math.min(...valid) : wall - before);
  };

  const localDate = (at: Date): LocalDate => {
    const { year, month, day } = localDateTime(at);
    return { year, month, day };
  };
  const startOfDay = (date: LocalDate): Date => instantOf(date);
  const startOfMonth = (ym: { year: number; month: number }): Date => instantOf({ ...ym, day: 1 });
  const weekday = (at: Date): number => {
    const d = localDate(at);
    return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  };
  const mondayOf = (at: Date): LocalDate => addLocalDays(localDate(at), -((weekday(at) + 6) % 7));

  return {
    timeZone,
    offsetMs,
    localDateTime,
    localDate,
    weekday,
    instantOf,
    startOfDay,
    dayKey: (at) => formatLocalDate(localDate(at)),
    monthKey: (at) => formatMonthKey(localDate(at)),
    monthBounds: (monthKey) => {
      const ym = parseMonthKey(monthKey);
      return { start: startOfMonth(ym), end: startOfMonth(addLocalMonths(ym, 1)) };
    },
    periodKey: (at, period) => {
      const d = localDate(at);
      switch (period) {
        case 'DAY':
          return `D${formatLocalDate(d)}`;
        case 'WEEK':
          return `W${formatLocalDate(mondayOf(at))}`;
        case 'MONTH':
          return `M${formatMonthKey(d)}`;
        case 'YEAR':
          return `Y${pad(d.year, 4)}`;
      }
    },
    nextPeriodStart: (at, period) => {
      const d = localDate(at);
      switch (period) {
        case 'DAY':
          return startOfDay(addLocalDays(d, 1));
        case 'WEEK':
          return startOfDay(addLocalDays(mondayOf(at), 7));
        case 'MONTH':
          return startOfMonth(addLocalMonths(d, 1));
        case 'YEAR':
          return startOfMonth({ year: d.year + 1, month: 1 });
      }
    },
  };
}
