/**
 * npm run bench:ingest -- [--events 20000] [--batch 500] [--members 200] [--rate EVENTS_PER_SECOND] [--in-process] [--compiled] [--cpu-prof DIR]
 * Measures the event backbone end to end: signed HTTP ingest at the brand subgraphs → outbox → relay →
 * Redis stream → points consumer → ledger. Prints events per second from the first request to the last
 * credited point, and the lag of each event from its request to its ledger entry (p50, p99). The events go
 * round the seeded members' linked accounts: with few members each wallet takes many of them. Without
 * --rate the senders saturate the pipeline, so the lag includes queueing; --rate offers a steady load.
 * By default the services run as `npm start` runs them, in processes of their own (the store, the subgraphs,
 * Redis; scripts/bench/bench-processes.ts), and the CPU each used is printed; --in-process runs the whole
 * federation in this process instead. With --compiled the service processes run the JavaScript `npm run build`
 * compiles (built first) with plain node, as production runs them. With --cpu-prof DIR each service process writes a V8 CPU profile there
 * into a folder of its own there (store/, subgraphs/) when it stops. REDIS_URL / MONGODB_URI select real servers.
 */
import type { MeasuredProcess } from './bench/bench-processes.js';
import { startBenchProcesses } from './bench/bench-processes.js';
import { processCpuMs, processCpuReadable } from '../tools/local-federation/process-cpu.js';
import { quantile } from '../tools/local-federation/query-latency.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { buildForProduction } from '../tools/local-federation/production-build.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import {
  benchRunName,
  benchSetting,
  postPartnerEvents,
  startBenchFederation,
} from './bench/start-bench-federation.js';
import { resolve } from 'node:path';
import { positiveInteger, readCountOptions } from './cli-options.js';

const { counts, flags } = readCountOptions(
  { events: 20_000, batch: 500, members: 200 },
  'npm run bench:ingest -- [--events 20000] [--batch 500] [--members 200] [--rate EVENTS_PER_SECOND] [--in-process] [--compiled] [--cpu-prof DIR]',
  {
    rate: { type: 'string' },
    'in-process': { type: 'boolean' },
    compiled: { type: 'boolean' },
    'cpu-prof': { type: 'string' },
  },
);
const { events: total, batch: batchSize, members: MEMBERS } = counts;
// Unset: every sender pushes as fast as it is answered (throughput); set: a steady offered load (lag).
const rate = flags.rate === undefined ? null : positiveInteger(flags.rate as string, 'rate', 1);
const inProcess = flags['in-process'] === true;
const cpuProfileDir = flags['cpu-prof'] === undefined ? undefined : resolve(String(flags['cpu-prof']));
if ((cpuProfileDir || flags.compiled) && inProcess)
  throw new Error('--cpu-prof and --compiled apply to the service processes; drop --in-process');
const compiledDir = flags.compiled ? buildForProduction((line) => console.log(line)) : undefined;

const { env, registry } = benchSetting();
const run = benchRunName('bench');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(
  `Seeding ${MEMBERS} members; services: ${inProcess ? 'all in this process' : `processes of their own, as npm start runs them, ${compiledDir ? 'compiled, run with node' : 'through tsx'}`}; ` +
    `Redis: ${env.redisUrl ? 'REDIS_URL' : inProcess ? 'in-process' : 'a redis-server of its own'}; MongoDB: ${env.mongodbUri ? 'MONGODB_URI' : 'embedded'}`,
);
const { dbs, subgraphUrls, processes, stop } = inProcess
  ? await startBenchFederation({ env, registry, run, members: MEMBERS, seed: 7 }).then((started) => ({
      ...started,
      subgraphUrls: started.federation.subgraphUrls,
      processes: [{ name: 'this process', pid: process.pid }] as MeasuredProcess[],
    }))
  : await startBenchProcesses({
      env,
      registry,
      run,
      members: MEMBERS,
      frontEnds: [],
      cpuProfileDir,
      compiledDir,
      log: (line) => console.log(line),
    }).then((started) => ({ ...started, processes: started.backends }));
const ledger = dbs.benefits.connection.collection('points_ledger');
const cpuOf = () =>
  new Map(processes.map(({ name, pid }) => [name, pid === null ? null : processCpuMs(pid)] as const));
try {
  // Let the seeded backlog drain first, so the figures are for the new events alone.
  await waitForEventBacklog(dbs);

  // Linked accounts of each brand: every purchase and interaction of theirs earns points.
  const accounts = new Map<string, string[]>();
  for (const partner of registry.partners) {
    const rows = await dbs.brands
      .get(partner.key)!
      .connection.collection('accounts')
      .find({ memberId: { $type: 'string' } }, { projection: { _id: 1 } })
      .toArray();
    accounts.set(
      partner.key,
      rows.map((r) => String(r._id)),
    );
  }
  const now = Date.now();
  const batches: { partner: string; body: string; ids: string[] }[] = [];
  const perPartner = Math.ceil(total / registry.partners.length);
  for (const partner of registry.partners) {
    const ids = accounts.get(partner.key)!;
    const category = Object.keys(partner.categoryMap)[0];
    for (let i = 0; i < perPartner; i += batchSize) {
      const events = [];
      for (let j = i; j < Math.min(perPartner, i + batchSize); j++) {
        const eventId = `${run}-${partner.key}-${j}`;
        const common = {
          eventId,
          brandMemberId: ids[j % ids.length],
          occurredAt: new Date(now - 10 * 86_400_000).toISOString(),
        };
        events.push(
          j % 2 === 0
            ? {
                ...common,
                type: 'purchase',
                orderId: `${eventId}-o`,
                amountMinor: 1000 + (j % 50) * 100,
                currency: 'CNY',
                category,
              }
            : { ...common, type: 'interaction', kind: 'like', category },
        );
      }
      batches.push({
        partner: partner.key,
        body: events.map((e) => JSON.stringify(e)).join('\n'),
        ids: events.map((e) => e.eventId),
      });
    }
  }
  const ledgerBefore = await ledger.estimatedDocumentCount();
  const sentAt = new Map<string, number>();
  const bar = new ProgressBar('ingest', batches.length);
  let sent = 0;
  const cpuBefore = cpuOf();
  const started = Date.now();
  // One sender per brand, as partners push independently.
  await Promise.all(
    registry.partners.map(async (partner) => {
      for (const batch of batches.filter((b) => b.partner === partner.key)) {
        const t = Date.now();
        for (const id of batch.ids) sentAt.set(`${partner.key}:${id}`, t);
        const { answer } = await postPartnerEvents(
          env,
          { subgraphUrls },
          partner.key,
          batch.body,
          'application/x-ndjson',
        );
        if (answer.summary?.accepted !== batch.ids.length)
          throw new Error(`batch not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
        bar.update(++sent);
        if (rate) {
          const due = t + (batch.ids.length / (rate / registry.partners.length)) * 1000;
          await sleep(Math.max(0, due - Date.now()));
        }
      }
    }),
  );
  const ingested = Date.now();
  const expected = sentAt.size;
  const filter = { sourceEventId: { $regex: `^${run}-` } };
  let credited = 0;
  for (let waited = 0; credited < expected && waited < 300_000; waited += 200) {
    await sleep(200);
    // The exact count reads every entry: only once the ledger has grown by enough (the figures come from
    // the entries' own times, so how soon the wait notices does not change them).
    if ((await ledger.estimatedDocumentCount()) - ledgerBefore >= expected)
      credited = await ledger.countDocuments(filter);
  }
  const cpuAfter = cpuOf();
  const entries = await ledger.find(filter, { projection: { _id: 1, recordedAt: 1 } }).toArray();
  const lags = entries
    .map((e) => (e.recordedAt as Date).getTime() - sentAt.get(String(e._id))!)
    .sort((a, b) => a - b);
  const last = Math.max(...entries.map((e) => (e.recordedAt as Date).getTime()));
  const pct = (q: number) => quantile(lags, q);
  console.log(
    `${expected} events (purchases and interactions) over ${registry.partners.length} brands, batches of ${batchSize}, ${rate ? `offered at ${rate} events/s` : 'as fast as answered'}:`,
  );
  console.log(
    `  ingest accepted them in ${((ingested - started) / 1000).toFixed(1)} s (${Math.round(expected / ((ingested - started) / 1000))} events/s)`,
  );
  console.log(
    `  all ${credited}/${expected} credited ${((last - started) / 1000).toFixed(1)} s after the first request: ${Math.round(expected / ((last - started) / 1000))} events/s end to end`,
  );
  console.log(
    `  lag from request to ledger entry: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${lags[lags.length - 1]} ms`,
  );
  if (processCpuReadable()) {
    const used = [...cpuAfter].map(([name, after]) => {
      const before = cpuBefore.get(name);
      return after === null || before === null || before === undefined
        ? `${name} not measured`
        : `${name} ${((after - before) / 1000).toFixed(1)} s (${((after - before) / expected).toFixed(2)} ms per event)`;
    });
    console.log(`  CPU used until the last was credited: ${used.join(', ')}`);
  }
} finally {
  await stop();
}
if (cpuProfileDir)
  console.log(`CPU profiles of each service in ${cpuProfileDir} (open them in Chrome DevTools).`);
