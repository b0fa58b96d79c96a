/**
 * The load of `npm run bench`: a list of requests sent to one front end over N connections (N requests in
 * flight at all times), with the CPU each measured process used meanwhile, read from /proc around the batch.
 */
import { processCpuMs } from '../../tools/local-federation/process-cpu.js';
import type { MeasuredProcess } from './bench-processes.js';

/** What the batches sent to one front end in one cell added up to. */
export interface FrontEndTally {
  latencies: number[];
  /** Answers with errors (a subgraph fetch timed out on a loaded machine, say): timed all the same. */
  errors: number;
  /** The first such answer, to show. */
  firstError?: string;
  wallMs: number;
  /** CPU milliseconds by process name ('front end', 'subgraphs', 'store', 'redis'); absent when unreadable. */
  cpuMs: Record<string, number>;
}

export const emptyTally = (): FrontEndTally => ({ latencies: [], errors: 0, wallMs: 0, cpuMs: {} });

/** POSTs the query with the member's token; the milliseconds to the parsed answer, and its errors if any. */
async function timedQuery(
  url: string,
  token: string,
  query: string,
): Promise<{ ms: number; errors?: unknown }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, errors: body.errors };
}

const cpuOf = (processes: readonly MeasuredProcess[]): Map<string, number> => {
  const readings = new Map<string, number>();
  for (const { name, pid } of processes) {
    const ms = pid === null ? null : processCpuMs(pid);
    if (ms !== null) readings.set(name, ms);
  }
  return readings;
};

/**
 * Sends `query` once per token to `url`, `connections` at a time, and adds the latencies, the wall time and
 * each process's CPU time to `tally`. `processes` are named as they should appear in the tally.
 */
export async function sendBatch(
  url: string,
  query: string,
  tokens: readonly string[],
  connections: number,
  processes: readonly MeasuredProcess[],
  tally: FrontEndTally,
): Promise<void> {
  const before = cpuOf(processes);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < tokens.length) {
      const { ms, errors } = await timedQuery(url, tokens[next++], query);
      tally.latencies.push(ms);
      if (errors) {
        tally.errors++;
        tally.firstError ??= JSON.stringify(errors).slice(0, 300);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(connections, tokens.length) }, worker));
  tally.wallMs += performance.now() - started;
  for (const [name, after] of cpuOf(processes)) {
    const start = before.get(name);
    if (start !== undefined) tally.cpuMs[name] = (tally.cpuMs[name] ?? 0) + after - start;
  }
}

/** A count of the product gateway's /metrics (`name{outcome="hit"} N`), 0 when absent. */
export async function readCounter(
  metricsUrl: string,
  token: string,
  name: string,
  labels: string,
): Promise<number> {
  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** CPU milliseconds per second each process used over `windowMs` of no load from the bench. */
export async function idleCpuRates(
  processes: readonly MeasuredProcess[],
  windowMs: number,
): Promise<Map<string, number>> {
  const before = cpuOf(processes);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const rates = new Map<string, number>();
  for (const [name, after] of cpuOf(processes)) {
    const start = before.get(name);
    if (start !== undefined) rates.set(name, ((after - start) * 1000) / windowMs);
  }
  return rates;
}

/**
 * Waits until the processes behind the front ends are idle (together under `quietMsPerSecond` of CPU per
 * second, a tenth of a core, over two windows of a second in a row, or `timeoutMs` passed): a seed leaves
 * background work (events credited, caches advanced) whose CPU would otherwise count as the first rounds'.
 * Idle services are never at 0 (timers, stream polls, the collector): some 30–40 ms/s together here. Resolves with the last
 * window's rates, which the figures then still include.
 */
export async function waitUntilIdle(
  processes: readonly MeasuredProcess[],
  quietMsPerSecond = 100,
  timeoutMs = 180_000,
): Promise<Map<string, number>> {
  const started = Date.now();
  let quietWindows = 0;
  for (;;) {
    const rates = await idleCpuRates(processes, 1_000);
    const total = [...rates.values()].reduce((sum, rate) => sum + rate, 0);
    quietWindows = total < quietMsPerSecond ? quietWindows + 1 : 0;
    if (quietWindows >= 2 || Date.now() - started > timeoutMs) return rates;
  }
}
