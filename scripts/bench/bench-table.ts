/** The figures `npm run bench` prints: one table per cell (scenario × connections), one row per front end. */
import { quantile } from '../../tools/local-federation/query-latency.js';
import type { FrontEndTally } from './dashboard-load.js';

/** The processes a row's CPU is broken into, in print order; `front end` is the process answering the client. */
export const CPU_COLUMNS = ['front end', 'subgraphs', 'store', 'redis'] as const;

export interface RowFigures {
  rps: number;
  /** Answers with errors among the requests. */
  errors: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per request by process; null when the process could not be read. */
  cpu: Record<(typeof CPU_COLUMNS)[number], number | null>;
  /** Every readable process together. */
  cpuTotal: number;
}

export function rowFigures(tally: FrontEndTally): RowFigures {
  const n = tally.latencies.length;
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const cpu = Object.fromEntries(
    CPU_COLUMNS.map((name) => [name, name in tally.cpuMs ? tally.cpuMs[name] / n : null]),
  ) as RowFigures['cpu'];
  return {
    rps: (n / tally.wallMs) * 1000,
    errors: tally.errors,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    cpu,
    cpuTotal: Object.values(cpu).reduce<number>((sum, ms) => sum + (ms ?? 0), 0),
  };
}

const fixed = (value: number | null, digits = 2) => (value === null ? '–' : value.toFixed(digits));
const ratio = (value: number | null, base: number | null) =>
  value === null || base === null || base === 0 ? '–' : `${(value / base).toFixed(2)}×`;

export const TABLE_HEADER = [
  'front end',
  'RPS',
  'errors',
  'p50 ms',
  'p99 ms',
  ...CPU_COLUMNS.map((name) => `CPU ms/req ${name}`),
  'CPU ms/req all',
  'RPS ×',
  'p50 ×',
  'front-end CPU ×',
  'all CPU ×',
];

/**
 * A Markdown table of the rows, ratios against the row labelled `base` (the stock gateway for the cold
 * dashboard, the uncached product gateway for the Zipf-repeated one).
 */
export function formatTable(rows: readonly { label: string; figures: RowFigures }[], base: string): string {
  const reference = rows.find((row) => row.label === base)?.figures;
  if (!reference) throw new Error(`no row labelled ${base}`);
  const lines = rows.map(({ label, figures: f }) => [
    label,
    fixed(f.rps, 1),
    String(f.errors),
    fixed(f.p50),
    fixed(f.p99),
    ...CPU_COLUMNS.map((name) => fixed(f.cpu[name])),
    fixed(f.cpuTotal),
    ratio(f.rps, reference.rps),
    ratio(f.p50, reference.p50),
    ratio(f.cpu['front end'], reference.cpu['front end']),
    ratio(f.cpuTotal, reference.cpuTotal),
  ]);
  const widths = TABLE_HEADER.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i].length)),
  );
  const row = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    row(TABLE_HEADER),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(row),
    `(ratios against ${base})`,
  ].join('\n');
}
