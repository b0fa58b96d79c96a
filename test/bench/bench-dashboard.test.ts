import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchScript } from './run-bench-script.js';

// `npm run bench` end to end with tiny numbers: it starts the store, the subgraphs and four front ends as
// processes, seeds, measures and prints its tables. The test checks the tables' rows and that every figure is
// a number of the right sign; it asserts no time.

const runBench = (args: string[]) =>
  runBenchScript('scripts/bench-dashboard.ts', args, (env) => {
    delete env.MONGODB_URI; // its own embedded store, as `npm run bench` runs on a fresh clone
  });

/** The printed tables: each a list of rows, a row its cells by column title. */
function tablesOf(stdout: string): Record<string, string>[][] {
  const tables: Record<string, string>[][] = [];
  let header: string[] | null = null;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('|')) {
      header = null;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (cells[0] === 'front end') {
      header = cells;
      tables.push([]);
    } else if (header && !cells[0].startsWith('-'))
      tables[tables.length - 1].push(Object.fromEntries(header.map((title, i) => [title, cells[i]])));
  }
  return tables;
}

const number = (cell: string): number => Number(cell.replace(/×$/, ''));

test('npm run bench -- --compiled prints every front end of every cell with positive figures', async () => {
  const profiles = mkdtempSync(join(tmpdir(), 'bench-profiles-'));
  const { code, stdout, stderr } = await runBench([
    '--members',
    '30',
    // Enough requests per batch that every row costs the processes at least one /proc clock tick (10 ms) in
    // all: with 6, a batch of three cached answers sometimes cost less and printed 0 CPU.
    '--requests',
    '16',
    '--rounds',
    '2',
    '--connections',
    '1,2',
    // Every service compiled and run with plain node, as production (the Dockerfile) runs it: this also
    // proves that `npm run build` compiles and that the compiled federation answers.
    '--compiled',
    '--cpu-prof',
    profiles,
  ]);
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain("answer M000001's dashboard alike");
  expect(stdout).toContain('services compiled, run with node');

  const tables = tablesOf(stdout);
  const labels = tables.map((rows) => rows.map((row) => row['front end']));
  const cold = ['product gateway', 'stock @apollo/gateway', 'direct floor'];
  const zipf = ['product + response cache', 'product gateway'];
  expect(labels).toEqual([cold, cold, zipf, zipf]);
  for (const row of tables.flat()) {
    for (const column of [
      'RPS',
      'errors',
      'p50 ms',
      'p99 ms',
      'CPU ms/req all',
      'RPS ×',
      'p50 ×',
      'all CPU ×',
    ])
      expect({ column, finite: Number.isFinite(number(row[column])) }).toEqual({ column, finite: true });
    for (const column of ['RPS', 'p50 ms', 'p99 ms', 'CPU ms/req all'])
      expect(number(row[column])).toBeGreaterThan(0);
    // Each process is read from /proc; a short batch may cost one of them less than a clock tick (0).
    for (const process of ['front end', 'subgraphs', 'store'])
      expect(number(row[`CPU ms/req ${process}`])).toBeGreaterThanOrEqual(0);
  }
  expect(stdout).toMatch(/response cache hit rate \d+\.\d% \(\d+ of \d+\)/);
  expect(stdout).toContain('Goals (issue 10):');
  expect(stdout).toMatch(
    /Resident before the rounds: subgraphs \d+ MB, store \d+ MB, .*product \d+ MB.*; \d+ MB in all/,
  );
  expect(stdout).toMatch(
    /The store's documents: [1-9]\d* MiB as BSON, \d+ MiB as stored; its JavaScript heap [1-9]\d* MiB/,
  );

  // --cpu-prof: V8 profiles of each service, in a folder named after it (one file per thread).
  const written = readdirSync(profiles).sort();
  const profilesOf = (name: string) =>
    readdirSync(join(profiles, name)).filter((file) => file.endsWith('.cpuprofile'));
  const gatewayNodes = profilesOf('gateway').map(
    (file) =>
      (JSON.parse(readFileSync(join(profiles, 'gateway', file), 'utf8')) as { nodes?: unknown[] }).nodes
        ?.length ?? 0,
  );
  const counts = Object.fromEntries(written.map((name) => [name, profilesOf(name).length]));
  rmSync(profiles, { recursive: true, force: true });
  expect(Math.max(0, ...gatewayNodes)).toBeGreaterThan(0);
  expect(written).toEqual(
    expect.arrayContaining(['floor', 'gateway', 'gw-cached', 'stock', 'store', 'subgraphs']),
  );
  for (const name of ['floor', 'gateway', 'gw-cached', 'stock', 'store', 'subgraphs'])
    expect({ name, profiles: counts[name] > 0 }).toEqual({ name, profiles: true });
}, 600_000);
