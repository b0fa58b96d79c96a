/**
 * npm run bench -- [--members 2000] [--requests 300] [--rounds 4] [--connections 1,8] [--compiled] [--cpu-prof DIR]
 *
 * The mobile dashboard (operations/mobile-dashboard.graphql) side by side through three front ends over the
 * same subgraphs, each process on its own (scripts/bench/bench-processes.ts): the product gateway, a stock
 * `@apollo/gateway` with defaults, and the direct floor (the plan's subgraph calls and nothing else). For each
 * number of connections (requests in flight) it runs two cells:
 *  - cold: each request a member not asked before in the run (while members last), the response cache off;
 *    product, stock and floor in interleaved rounds;
 *  - Zipf-repeated: members drawn by Zipf's law (s = 1.1: the repeated reads of mobile apps), the same draws
 *    through the product gateway with its member response cache on and with it off, in interleaved rounds,
 *    after the cached gateway answered three times as many draws, so that the cache is measured in its
 *    steady state (hit rate printed).
 * Each cell prints requests/s, p50/p99 and CPU milliseconds per request of each process (the front end, the
 * subgraphs, the store, Redis) read from /proc around every batch, and ratios. Nothing here asserts a time.
 * With --compiled, every process runs the JavaScript `npm run build` compiles (built first), with plain node,
 * as production runs it; without, through tsx, as `npm start` runs it. With --cpu-prof DIR, each service
 * writes V8 CPU profiles of its whole run (the seed's and the crediting's work included) into a folder of its
 * own there when it stops.
 */
import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { projectRoot } from '../subgraphs/shared/config/paths.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { processCpuReadable, processResidentBytes } from '../tools/local-federation/process-cpu.js';
import { buildForProduction } from '../tools/local-federation/production-build.js';
import { restrictTo } from '../tools/local-federation/query-plan-replay.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { zipfSampler } from '../tools/local-federation/zipf-sampler.js';
import type { FrontEnd, MeasuredProcess } from './bench/bench-processes.js';
import { startBenchProcesses } from './bench/bench-processes.js';
import type { RowFigures } from './bench/bench-table.js';
import { formatTable, rowFigures } from './bench/bench-table.js';
import type { FrontEndTally } from './bench/dashboard-load.js';
import { emptyTally, readCounter, sendBatch, waitUntilIdle } from './bench/dashboard-load.js';
import { benchRunName } from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const USAGE =
  'npm run bench -- [--members 2000] [--requests 300] [--rounds 4] [--connections 1,8] [--compiled] [--cpu-prof DIR]\n' +
  '  --members      members seeded (and asked for)\n' +
  '  --requests     measured requests per front end in each cell, split over the rounds\n' +
  '  --rounds       interleaved rounds per cell\n' +
  '  --connections  comma-separated numbers of requests kept in flight\n' +
  '  --compiled     run every service compiled (npm run build, then plain node), as production does\n' +
  '  --cpu-prof      write V8 CPU profiles of every service into DIR, a folder each (store/, gateway/…)';
const ZIPF_EXPONENT = 1.1;
/** Requests each front end answers before any is measured (members the cold cells then do not ask again). */
const WARM_UP_REQUESTS = 50;
/** The Zipf cells' warm-up, in multiples of the measured requests. */
const ZIPF_WARM_UP = 3;
/** How long the front ends may take to agree on the demo member's dashboard (see `checkSameAnswers`). */
const CHECK_SAME_FOR_MS = 60_000;
const LABELS: Record<FrontEnd, string> = {
  product: 'product gateway',
  'product-cached': 'product + response cache',
  stock: 'stock @apollo/gateway',
  floor: 'direct floor',
};
const memberId = (rank: number) => `M${String(rank).padStart(6, '0')}`;

const { counts, flags } = readCountOptions({ members: 2000, requests: 300, rounds: 4 }, USAGE, {
  connections: { type: 'string' },
  compiled: { type: 'boolean' },
  'cpu-prof': { type: 'string' },
});
const { members, requests, rounds } = counts;
const connectionCounts = String(flags.connections ?? '1,8')
  .split(',')
  .map(Number);
if (connectionCounts.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`--connections must be positive integers separated by commas\n\nUsage: ${USAGE}`);
  process.exit(2);
}

const env = { ...readEnvironment(), logLevel: 'warn' as const };
const registry = loadPartnerRegistry(partnerRegistryPath());
const DASHBOARD = readFileSync(resolve(projectRoot(), 'operations/mobile-dashboard.graphql'), 'utf8');
const run = benchRunName('bench');
console.log(`Starting the store, seeding ${members} members, then the subgraphs and the front ends…`);
const cpuProfileDir = flags['cpu-prof'] === undefined ? undefined : resolve(String(flags['cpu-prof']));
const compiledDir = flags.compiled ? buildForProduction((line) => console.log(line)) : undefined;
const bench = await startBenchProcesses({
  env,
  registry,
  run,
  members,
  compiledDir,
  cpuProfileDir,
  log: (line) => console.log(line),
});
const tokenOf = new Map<string, string>();
const tokensFor = async (ids: readonly string[]): Promise<string[]> => {
  const tokens: string[] = [];
  for (const id of ids) {
    let token = tokenOf.get(id);
    if (!token) {
      token = await signDevToken({ role: 'member', memberId: id }, env.auth.jwtSecret!, {
        issuer: env.auth.issuer,
        audience: env.auth.audience,
      });
      tokenOf.set(id, token);
    }
    tokens.push(token);
  }
  return tokens;
};

/** The cold cells take the next members in order, so that none is asked twice while they last. */
const coldOrder = Array.from({ length: members }, (_, i) => memberId(i + 1));
let coldCursor = 0;
let coldWrapped = false;
const nextColdMembers = (n: number): string[] =>
  Array.from({ length: n }, () => {
    if (coldCursor === coldOrder.length) {
      coldCursor = 0;
      coldWrapped = true;
    }
    return coldOrder[coldCursor++];
  });

interface Cell {
  title: string;
  base: FrontEnd;
  rows: { label: string; figures: RowFigures }[];
  note?: string;
  errors: string[];
}
const cells: Cell[] = [];
let idleNote = '';
let idleMsPerSecond = 0;
/** The warnings the services logged during the last cell. */
let warningsOfCell = '';
const perRound = Math.max(1, Math.ceil(requests / rounds));

const measuredProcesses = (frontEnd: FrontEnd) => [
  { name: 'front end', pid: bench.frontEnds[frontEnd].pid },
  ...bench.backends,
];

/**
 * Rounds of one cell: in each, every front end gets its batch, the order rotating by round so none is always
 * first. `batchFor(frontEnd, round)` names the members of a batch.
 */
async function runCell(
  frontEnds: readonly FrontEnd[],
  connections: number,
  batchFor: (frontEnd: FrontEnd, round: number) => string[],
): Promise<Map<FrontEnd, FrontEndTally>> {
  const tallies = new Map(frontEnds.map((name) => [name, emptyTally()]));
  const warnedBefore = bench.warnings();
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < frontEnds.length; k++) {
      const name = frontEnds[(round + k) % frontEnds.length];
      const tokens = await tokensFor(batchFor(name, round));
      await sendBatch(
        bench.urls[name],
        DASHBOARD,
        tokens,
        connections,
        measuredProcesses(name),
        tallies.get(name)!,
      );
    }
  }
  const logged = Object.entries(bench.warnings())
    .map(([name, count]) => [name, count - (warnedBefore[name] ?? 0)] as const)
    .filter(([, count]) => count > 0);
  warningsOfCell = logged.length
    ? `warnings logged meanwhile: ${logged.map(([name, count]) => `${name} ${count}`).join(', ')} (stderr says which)`
    : '';
  return tallies;
}

const rowsOf = (tallies: Map<FrontEnd, FrontEndTally>) =>
  [...tallies].map(([name, tally]) => ({ label: LABELS[name], figures: rowFigures(tally) }));

/** A line per front end that answered with errors (timed all the same), naming the first. */
const errorLines = (tallies: Map<FrontEnd, FrontEndTally>): string[] =>
  [...tallies]
    .filter(([, tally]) => tally.errors > 0)
    .map(
      ([name, tally]) =>
        `${LABELS[name]}: ${tally.errors} answers with errors, the first ${tally.firstError}`,
    );

const cacheCount = (outcome: 'hit' | 'miss') =>
  readCounter(
    bench.urls['product-cached'].replace(/\/graphql$/, '/metrics'),
    bench.metricsToken,
    'gateway_response_cache_total',
    `outcome="${outcome}"`,
  );

try {
  if (!processCpuReadable()) console.log('No /proc here: CPU per process is not shown.');
  const cold: FrontEnd[] = ['product', 'stock', 'floor'];
  console.log('Waiting for the background work to settle…');
  const idle = await waitUntilIdle(bench.backends);
  idleMsPerSecond = [...idle.values()].reduce((sum, rate) => sum + rate, 0);
  idleNote = `Idle before the rounds: ${[...idle].map(([name, rate]) => `${name} ${rate.toFixed(0)} ms/s`).join(', ')} of CPU (background work, counted in the figures)`;
  idleNote += `\nResident before the rounds: ${residentNote([...bench.backends, ...Object.values<MeasuredProcess>(bench.frontEnds)])}`;
  idleNote += await storeMemoryNote(bench.dbs.profile.connection);
  // Warm-up: every front end plans the dashboard, opens its connections and compiles its hot paths.
  for (const name of [...cold, 'product-cached' as const]) {
    const tokens = await tokensFor(nextColdMembers(WARM_UP_REQUESTS));
    await sendBatch(bench.urls[name], DASHBOARD, tokens, 4, [], emptyTally());
  }
  await checkSameAnswers(cold);
  for (const connections of connectionCounts) {
    const s = connections === 1 ? '' : 's';
    console.log(`Cold dashboard, ${connections} connection${s}…`);
    const tallies = await runCell(cold, connections, () => nextColdMembers(perRound));
    cells.push({
      title: `Cold dashboard: a member not asked before per request, response cache off; ${connections} connection${s}, ${rounds} rounds × ${perRound} requests per front end`,
      base: 'stock',
      rows: rowsOf(tallies),
      errors: [...errorLines(tallies), warningsOfCell].filter(Boolean),
    });
  }
  if (coldWrapped) console.log(`(more cold requests than ${members} members: some members were asked twice)`);

  const zipf: FrontEnd[] = ['product-cached', 'product'];
  for (const [index, connections] of connectionCounts.entries()) {
    const s = connections === 1 ? '' : 's';
    console.log(`Zipf-repeated dashboard, ${connections} connection${s}: warm-up, then rounds…`);
    const draw = zipfSampler(members, ZIPF_EXPONENT, 7 + index);
    const warmUp = Array.from({ length: ZIPF_WARM_UP * perRound * rounds }, () => memberId(draw()));
    const measured = Array.from({ length: rounds }, () =>
      Array.from({ length: perRound }, () => memberId(draw())),
    );
    // The cache's steady state is the case: the cached gateway is warmed (the subgraphs with it, for both).
    await sendBatch(bench.urls['product-cached'], DASHBOARD, await tokensFor(warmUp), 8, [], emptyTally());
    const [hits, misses] = [await cacheCount('hit'), await cacheCount('miss')];
    const tallies = await runCell(zipf, connections, (_, round) => measured[round]);
    const hitCount = (await cacheCount('hit')) - hits;
    const lookups = hitCount + (await cacheCount('miss')) - misses;
    const seen = new Set(warmUp);
    let repeats = 0;
    for (const id of measured.flat()) {
      if (seen.has(id)) repeats++;
      seen.add(id);
    }
    cells.push({
      title: `Zipf-repeated dashboard: s = ${ZIPF_EXPONENT} over ${members} members, after a warm-up of ${warmUp.length} draws; ${connections} connection${s}, ${rounds} rounds × ${perRound} requests per front end`,
      base: 'product',
      rows: rowsOf(tallies),
      errors: [...errorLines(tallies), warningsOfCell].filter(Boolean),
      note: `response cache hit rate ${((hitCount / Math.max(1, lookups)) * 100).toFixed(1)}% (${hitCount} of ${lookups}); ${((repeats / (rounds * perRound)) * 100).toFixed(1)}% of the measured draws repeat a member drawn before`,
    });
  }

  console.log(
    `\nMobile dashboard, ${members} members, ${requests} requests per front end and cell (CPU from /proc: every thread of each process; services ${compiledDir ? 'compiled, run with node' : 'through tsx'})`,
  );
  console.log(idleNote);
  for (const cell of cells) {
    console.log(`\n${cell.title}`);
    console.log(formatTable(cell.rows, LABELS[cell.base]));
    if (cell.note) console.log(cell.note);
    for (const line of cell.errors) console.log(line);
  }
  printGoals();
} finally {
  await bench.stop();
  if (cpuProfileDir)
    console.log(`\nCPU profiles of each service in ${cpuProfileDir} (open them in Chrome DevTools).`);
}

/**
 * The comparison means something only if every front end answers the same dashboard: the demo member's, from
 * each, compared with the product gateway's (the floor's tree cut down to the answer's keys). Work the seed
 * left may still move a figure between two answers (a late event credited), so a disagreement is asked again,
 * all front ends afresh, for up to `CHECK_SAME_FOR_MS`; one that lasts ends the run with the paths that differ.
 */
async function checkSameAnswers(frontEnds: readonly FrontEnd[]): Promise<void> {
  const [token] = await tokensFor([DEMO_MEMBER_ID]);
  const answerOf = async (name: FrontEnd) => {
    const response = await fetch(bench.urls[name], {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const reference = await answerOf('product');
    const disagreements: string[] = [];
    if (reference.errors || !reference.data)
      disagreements.push(`the product gateway answered errors: ${JSON.stringify(reference.errors)}`);
    else
      for (const name of frontEnds.filter((n) => n !== 'product')) {
        const answer = await answerOf(name);
        if (answer.errors)
          disagreements.push(`${LABELS[name]} answered errors: ${JSON.stringify(answer.errors)}`);
        const paths = differingPaths(restrictTo(answer.data, reference.data), reference.data);
        if (paths.length > 0)
          disagreements.push(
            `${LABELS[name]} differs from the product gateway at ${paths.slice(0, 8).join('; ')}`,
          );
      }
    if (disagreements.length === 0) {
      const retried = attempt > 1 ? ` (after ${attempt} attempts)` : '';
      console.log(`The ${frontEnds.length} front ends answer ${DEMO_MEMBER_ID}'s dashboard alike${retried}.`);
      return;
    }
    if (Date.now() - started > CHECK_SAME_FOR_MS)
      throw new Error(
        `the front ends do not answer ${DEMO_MEMBER_ID}'s dashboard alike after ${attempt} attempts: ${disagreements.join(' | ')}`,
      );
    console.log(`Front ends disagree (attempt ${attempt}), asking again: ${disagreements.join(' | ')}`);
    await new Promise((done) => setTimeout(done, 2_000));
  }
}

/** Each process's resident memory (redis-server's too), and their sum: what the data takes once loaded. */
function residentNote(processes: readonly MeasuredProcess[]): string {
  const read = processes.flatMap(({ name, pid }) => {
    const bytes = pid === null ? null : processResidentBytes(pid);
    return bytes === null ? [] : [{ name, mb: bytes / 2 ** 20 }];
  });
  const total = read.reduce((sum, { mb }) => sum + mb, 0);
  return `${read.map(({ name, mb }) => `${name} ${mb.toFixed(0)} MB`).join(', ')}; ${total.toFixed(0)} MB in all`;
}

/**
 * What the embedded store says its documents and heap take (`serverStatus().embeddedStore.memoryMiB`); empty
 * for a real MongoDB, which has no such section.
 */
async function storeMemoryNote(connection: Connection): Promise<string> {
  const status = await connection.db!.admin().command({ serverStatus: 1 });
  const memory = (status.embeddedStore as { memoryMiB?: Record<string, number> } | undefined)?.memoryMiB;
  if (!memory) return '';
  return `\nThe store's documents: ${memory.documentsBson} MiB as BSON, ${memory.documentsStored} MiB as stored; its JavaScript heap ${memory.heapUsed} MiB`;
}

/** Where two JSON values differ: each path with both values, e.g. `me.wallet.balance: 120 ≠ 140`. */
function differingPaths(actual: unknown, expected: unknown, path = 'data'): string[] {
  if (isDeepStrictEqual(actual, expected)) return [];
  const bothObjects =
    actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object';
  if (!bothObjects || Array.isArray(actual) !== Array.isArray(expected))
    return [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
  return [...keys].flatMap((key) => differingPaths(a[key], e[key], `${path}.${key}`));
}

function printGoals(): void {
  const coldCells = cells.filter((cell) => cell.base === 'stock');
  const zipfCells = cells.filter((cell) => cell.base === 'product');
  const row = (cell: Cell, label: string) => cell.rows.find((r) => r.label === label)!.figures;
  console.log('\nGoals (issue 10):');
  for (const [i, cell] of coldCells.entries()) {
    const product = row(cell, LABELS.product);
    const stock = row(cell, LABELS.stock);
    const c = connectionCounts[i];
    console.log(
      `  ${c} conn.: dashboard CPU per request, all processes ${product.cpuTotal.toFixed(2)} ms (goal ≤ 8; ` +
        `of which the idle background ≈ ${(idleMsPerSecond / product.rps).toFixed(2)} ms); ` +
        `p50 ${product.p50.toFixed(2)} ms${c === 1 ? ' (goal ≤ 10 at one connection)' : ''}; ` +
        `gateway CPU ${((product.cpu['front end'] ?? NaN) / (stock.cpu['front end'] ?? NaN)).toFixed(2)}× stock's (goal ≤ 0.7)`,
    );
  }
  for (const [i, cell] of zipfCells.entries()) {
    const cached = row(cell, LABELS['product-cached']);
    const uncached = row(cell, LABELS.product);
    console.log(
      `  ${connectionCounts[i]} conn.: Zipf-repeated throughput with the cache ${(cached.rps / uncached.rps).toFixed(2)}× without (goal ≥ 3); ${cell.note}`,
    );
  }
}
