/**
 * The load of `npm run bench`: a list of requests sent to one front end over N connections (N requests in
 * flight at all times), with the CPU each measured process used meanwhile, read from /proc around the batch.
 */
import { processCpuMs } from '../../tools/local-federation/process-cpu.js';
import { timeGraphQLQuery } from '../../tools/local-federation/query-latency.js';
import type { MeasuredProcess } from './bench-processes.js';

/** What the batches sent to one front end in one cell added up to. */
export interface FrontEndTally {
  latencies: number[];
  wallMs: number;
  /** CPU milliseconds by process name ('front end', 'subgraphs', 'store', 'redis'); absent when unreadable. */
  cpuMs: Record<string, number>;
}

export const emptyTally = (): FrontEndTally => ({ latencies: [], wallMs: 0, cpuMs: {} });

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
      const token = tokens[next++];
      tally.latencies.push(await timeGraphQLQuery(url, token, query));
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
