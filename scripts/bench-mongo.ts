import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import type { EmbeddedMongo } from '../tools/embedded-mongo/index.js';

/**
 * `npm run bench:mongo [-- --in-process] [--documents 100000]`: bulk insert, indexed `$in` lookups, a
 * `$group` and account lookups through a partial index (scanned vs used) over 100k documents (or `--documents`, to see that lookup time does not grow with the collection). The embedded store runs in a child process (or in this one with --in-process) with
 * command timing on, so server-side time per command is read from `serverStatus.embeddedStore`;
 * with MONGODB_URI set that server is measured from the client only.
 */
function documentsOption(): number {
  const at = process.argv.indexOf('--documents');
  if (at < 0) return 100_000;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1_000) {
    process.stderr.write('--documents must be an integer of at least 1000\n');
    process.exit(2);
  }
  return value;
}

const DOCUMENTS = documentsOption();
const INSERT_BATCH = 1_000;
const LOOKUPS = 10_000;
const IDS_PER_LOOKUP = 100;
const BRANDS = ['north', 'south', 'east', 'west', 'central'];

interface Timing {
  count: number;
  totalMicros: number;
  maxMicros: number;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function ms(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function serverTimings(client: MongoClient): Promise<Record<string, Timing> | undefined> {
  const status = await client.db('admin').command({ serverStatus: 1 });
  return (status.embeddedStore as { commandTimings?: Record<string, Timing> } | undefined)?.commandTimings;
}

function serverDelta(
  before: Record<string, Timing> | undefined,
  after: Record<string, Timing> | undefined,
  name: string,
) {
  if (!before || !after || !after[name]) return undefined;
  const count = after[name].count - (before[name]?.count ?? 0);
  const micros = after[name].totalMicros - (before[name]?.totalMicros ?? 0);
  return { count, totalMs: micros / 1000, perCallMicros: count === 0 ? 0 : micros / count };
}

async function insertPhase(client: MongoClient, dbName: string): Promise<void> {
  const members = client.db(dbName).collection('members');
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < DOCUMENTS; offset += INSERT_BATCH) {
    const batch: Document[] = [];
    for (let i = offset; i < offset + INSERT_BATCH; i += 1) {
      batch.push({ memberId: `m${i}`, brand: BRANDS[i % BRANDS.length], points: i % 1000, tier: i % 3 });
    }
    await members.insertMany(batch, { ordered: false });
    if ((offset + INSERT_BATCH) % 20_000 === 0) log(`  inserted ${offset + INSERT_BATCH} / ${DOCUMENTS}`);
  }
  const elapsed = ms(process.hrtime.bigint() - started);
  log(
    `insertMany: ${DOCUMENTS} docs in ${elapsed.toFixed(0)} ms (${Math.round(DOCUMENTS / (elapsed / 1000))} docs/s, batches of ${INSERT_BATCH})`,
  );
  const indexStarted = process.hrtime.bigint();
  await members.createIndex({ memberId: 1 }, { unique: true });
  log(
    `createIndex memberId (unique) over ${DOCUMENTS} docs: ${ms(process.hrtime.bigint() - indexStarted).toFixed(0)} ms`,
  );
}

async function lookupPhase(client: MongoClient, dbName: string): Promise<void> {
  const members = client.db(dbName).collection('members');
  const latencies: number[] = [];
  const before = await serverTimings(client);
  const started = process.hrtime.bigint();
  let found = 0;
  for (let n = 0; n < LOOKUPS; n += 1) {
    const ids: string[] = [];
    for (let k = 0; k < IDS_PER_LOOKUP; k += 1) ids.push(`m${Math.floor(Math.random() * DOCUMENTS)}`);
    const t0 = process.hrtime.bigint();
    const docs = await members.find({ memberId: { $in: ids } }).toArray();
    latencies.push(ms(process.hrtime.bigint() - t0));
    found += docs.length;
    if ((n + 1) % 2_000 === 0) log(`  lookups ${n + 1} / ${LOOKUPS}`);
  }
  const total = ms(process.hrtime.bigint() - started);
  const after = await serverTimings(client);
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
  log(
    `$in lookups: ${LOOKUPS} x ${IDS_PER_LOOKUP} ids over ${DOCUMENTS} docs in ${total.toFixed(0)} ms (${found} docs returned)`,
  );
  log(
    `  client latency per lookup: mean ${mean.toFixed(3)} ms, p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms`,
  );
  const server = serverDelta(before, after, 'find');
  log(
    server
      ? `  server time per lookup (decode + plan + fetch + encode): ${server.perCallMicros.toFixed(1)} µs mean over ${server.count} finds`
      : '  server time: not available (not the embedded store)',
  );
  const explained = await client.db(dbName).command({
    explain: { find: 'members', filter: { memberId: { $in: ['m1', 'm2'] } } },
    verbosity: 'executionStats',
  });
  const plan = JSON.stringify(explained.queryPlanner?.winningPlan ?? {});
  log(`  plan: ${plan.includes('IXSCAN') ? 'IXSCAN' : plan.includes('COLLSCAN') ? 'COLLSCAN' : plan}`);
}

async function aggregatePhase(client: MongoClient, dbName: string): Promise<void> {
  const members = client.db(dbName).collection('members');
  const before = await serverTimings(client);
  const started = process.hrtime.bigint();
  const groups = await members
    .aggregate([
      { $group: { _id: '$brand', total: { $sum: '$points' }, members: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  const elapsed = ms(process.hrtime.bigint() - started);
  const after = await serverTimings(client);
  log(`$group over ${DOCUMENTS} docs: ${elapsed.toFixed(0)} ms client-side, ${groups.length} groups`);
  const server = serverDelta(before, after, 'aggregate');
  if (server) log(`  server time: ${server.totalMs.toFixed(1)} ms`);
}

const ACCOUNT_LOOKUPS = 300;
const MEMBERS_PER_ACCOUNT_LOOKUP = 20;

/**
 * Brand account lookups by member id (a batch of 20, as the brand loader sends) through a unique partial
 * index, with the filter the product had (`$type: 'string'`, which no lookup implies: the server scans)
 * and the one it has (`$gt: ''`, implied by every lookup of string ids: an index scan).
 */
async function partialIndexPhase(client: MongoClient, dbName: string): Promise<void> {
  for (const [label, filter] of [
    ["$type: 'string'", { memberId: { $type: 'string' } }],
    ["$gt: ''", { memberId: { $gt: '' } }],
  ] as const) {
    const accounts = client.db(dbName).collection(`accounts_${label.startsWith('$type') ? 'type' : 'gt'}`);
    for (let offset = 0; offset < DOCUMENTS; offset += INSERT_BATCH) {
      const batch: Document[] = [];
      for (let i = offset; i < offset + INSERT_BATCH; i += 1)
        batch.push({ _id: `B${i}` as never, memberId: i % 3 === 0 ? null : `m${i}`, displayName: 'x' });
      await accounts.insertMany(batch, { ordered: false });
    }
    await accounts.createIndex({ memberId: 1 }, { unique: true, partialFilterExpression: filter });
    const latencies: number[] = [];
    for (let n = 0; n < ACCOUNT_LOOKUPS; n += 1) {
      const ids: string[] = [];
      for (let k = 0; k < MEMBERS_PER_ACCOUNT_LOOKUP; k += 1)
        ids.push(`m${Math.floor(Math.random() * DOCUMENTS)}`);
      const t0 = process.hrtime.bigint();
      await accounts.find({ memberId: { $in: ids } }).toArray();
      latencies.push(ms(process.hrtime.bigint() - t0));
    }
    latencies.sort((a, b) => a - b);
    const explained = await client.db(dbName).command({
      explain: { find: accounts.collectionName, filter: { memberId: { $in: ['m1'] } } },
      verbosity: 'queryPlanner',
    });
    const plan = JSON.stringify(explained.queryPlanner?.winningPlan ?? {});
    log(
      `account lookups (${MEMBERS_PER_ACCOUNT_LOOKUP} member ids) over ${DOCUMENTS} accounts, partial filter ${label}: ` +
        `p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms, ` +
        `plan ${plan.includes('COLLSCAN') ? 'COLLSCAN' : plan.includes('IXSCAN') ? 'IXSCAN' : plan}`,
    );
  }
}

/** The embedded store in its own process, as `npm run mongo:embedded` runs it: no shared heap with the client. */
async function startServerProcess(): Promise<{ uri: string; stop(): Promise<void> }> {
  const cli = resolve(dirname(process.argv[1]), 'mongo-embedded.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--timings'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const uri = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => done(line));
    child.once('exit', (code) => fail(new Error(`server process exited with ${String(code)}`)));
  });
  return {
    uri,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startServer(
  inProcess: boolean,
): Promise<{ uri: string; stop(): Promise<void>; label: string }> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, stop: async () => undefined, label: 'MONGODB_URI' };
  if (inProcess) {
    const server: EmbeddedMongo = await startEmbeddedMongo({ recordCommandTimings: true });
    return { ...server, label: `embedded store in this process at ${server.uri}` };
  }
  const server = await startServerProcess();
  return { ...server, label: `embedded store in a child process at ${server.uri}` };
}

async function main(): Promise<void> {
  const server = await startServer(process.argv.includes('--in-process'));
  log(`benchmark against ${server.label}`);
  const client = await MongoClient.connect(server.uri);
  const dbName = `bench_${Date.now().toString(36)}`;
  try {
    await insertPhase(client, dbName);
    await lookupPhase(client, dbName);
    await aggregatePhase(client, dbName);
    await partialIndexPhase(client, dbName);
  } finally {
    await client.db(dbName).dropDatabase();
    await client.close();
    await server.stop();
  }
  log('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exit(1);
});
