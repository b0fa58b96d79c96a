/** The programme's time zone (docs/architecture.md §5): calendar rules such as quarters are taken there. */
export const PROGRAMME_TIME_ZONE = 'Asia/Shanghai';

export interface EvaluationPeriod {
  /** Readable key: "2026-Q1" for quarters, "2026-H2" for halves, "2026-03" for months, "2026" for years. */
  key: string;
  /** Consecutive periods have consecutive indexes, across years. */
  index: number;
}

const PREFIX: Record<number, string> = { 3: 'Q', 6: 'H' };

/** The calendar period (of `periodMonths` months, starting in January) that `at` falls in, in the time zone. */
export function evaluationPeriod(
  at: Date,
  periodMonths = 3,
  timeZone = PROGRAMME_TIME_ZONE,
): EvaluationPeriod {
  if (![1, 2, 3, 4, 6, 12].includes(periodMonths)) {
    throw new RangeError(`periodMonths must divide the year (1, 2, 3, 4, 6 or 12); got ${periodMonths}`);
  }
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const perYear = 12 / periodMonths;
  const n = Math.floor((month - 1) / periodMonths) + 1;
  const key =
    periodMonths === 12
      ? String(year)
      : periodMonths === 1
        ? `${year}-${String(month).padStart(2, '0')}`
        : `${year}-${PREFIX[periodMonths] ?? 'P'}${n}`;
  return { key, index: year * perYear + n - 1 };
}
