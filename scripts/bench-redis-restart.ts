/**
 * npm run bench:redis-restart -- [--events 4000] [--batch 500] [--members 200]
 * The review's scenario: a burst of partner events through the signed ingest endpoints, then Redis restarted
 * without persistence (a redis-server of the script's own, `redis-server` on the PATH) while the points
 * consumer is still working through the burst. Prints the events lost (applied at a brand, marked published,
 * never credited) once everything has settled, then runs the reconciliation sweep and prints the events
 * credited after it, and how many were credited twice (must be 0). The whole federation runs in this process
 * on free ports, on the embedded store or MONGODB_URI.
 */
import { randomBytes } from 'node:crypto';
import { expectedLedgerKeys } from '../subgraphs/benefits/domain/ledger-reconciliation.js';
import { loadEarningRules } from '../subgraphs/benefits/domain/earning-rules.js';
import { MAX_EVENTS_PER_REQUEST } from '../subgraphs/brand/ingest/ingest-route.js';
import type { EventDocument } from '../subgraphs/brand/data/brand-models.js';
import { schemaPath } from '../subgraphs/shared/config/paths.js';
import type { PartnerEvent } from '../subgraphs/shared/events/partner-event.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import {
  benchRunName,
  benchSetting,
  postPartnerEvents,
  startBenchFederation,
  startOwnRedisServer,
} from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const usage = 'npm run bench:redis-restart -- [--events 4000] [--batch 500] [--members 200]';
const { counts } = readCountOptions({ events: 4_000, batch: 500, members: 200 }, usage);
const { events: eventCount, batch: batchSize, members } = counts;
if (batchSize > MAX_EVENTS_PER_REQUEST) {
  console.error(`--batch must be at most ${MAX_EVENTS_PER_REQUEST}.\nUsage: ${usage}`);
  process.exit(2);
}

const { env, registry } = benchSetting();
const rules = loadEarningRules(schemaPath('earning-rules.json'));
const server = await startOwnRedisServer();
console.log(`Seeding ${members} members; redis-server on port ${server.port} (no persistence)`);
const workerErrors: unknown[] = [];
const { dbs, redis, federation, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('benchrestart'),
  members,
  seed: 42,
  progress: true,
  redisUrl: server.url,
  onCacheError: () => undefined,
  federation: {
    // The script runs the sweep itself, once the loss has been counted.
    reconciliation: { intervalMs: 0, lookbackMs: 600_000, settleMs: 0 },
    onWorkerError: (error) => workerErrors.push(error),
  },
});

const ledger = dbs.benefits.connection.collection<{ _id: string; partner: string; sourceEventId: string }>(
  'points_ledger',
);
const sentIds = new Map<string, string[]>(registry.partners.map((p) => [p.key, []]));

/** Linked accounts per partner: purchases (3 in 4) and interactions, spread over them round-robin. */
async function burstEvents(): Promise<Map<string, PartnerEvent[]>> {
  const byPartner = new Map<string, PartnerEvent[]>();
  const accounts = new Map<string, string[]>();
  for (const partner of registry.partners) {
    const linked = await dbs.brands
      .get(partner.key)!
      .connection.collection<{ _id: string }>('accounts')
      .find({ memberId: { $type: 'string' } }, { projection: { _id: 1 } })
      .limit(50)
      .toArray();
    accounts.set(
      partner.key,
      linked.map((a) => a._id),
    );
    byPartner.set(partner.key, []);
  }
  const day = 86_400_000;
  for (let i = 0; i < eventCount; i += 1) {
    const partner = registry.partners[i % registry.partners.length];
    const ids = accounts.get(partner.key)!;
    const brandMemberId = ids[Math.floor(i / registry.partners.length) % ids.length];
    const eventId = `bench-${randomBytes(6).toString('hex')}`;
    const occurredAt = new Date(Date.now() - 10 * day).toISOString();
    byPartner.get(partner.key)!.push(
      i % 4 === 3
        ? { eventId, type: 'interaction', brandMemberId, occurredAt, kind: 'review' }
        : {
            eventId,
            type: 'purchase',
            brandMemberId,
            occurredAt,
            orderId: `order-${eventId}`,
            amountMinor: 1_000 + ((i * 7_919) % 50_000),
            currency: 'CNY',
            category: Object.keys(partner.categoryMap)[i % Object.keys(partner.categoryMap).length],
          },
    );
  }
  return byPartner;
}

async function send(partner: string, events: PartnerEvent[]): Promise<number> {
  const body = JSON.stringify(events);
  const { ok, status, answer } = await postPartnerEvents(env, federation, partner, body, 'application/json');
  if (!ok || !answer.summary) throw new Error(`${partner} refused a batch (${status})`);
  sentIds.get(partner)!.push(...events.map((e) => e.eventId));
  return answer.summary.accepted;
}

/** The ledger keys the burst must leave, and how many of them the ledger holds (and how many twice). */
async function credited(): Promise<{ expected: number; present: number; twice: number }> {
  let expected = 0;
  let present = 0;
  let twice = 0;
  for (const [partner, ids] of sentIds) {
    const events = await dbs.brands
      .get(partner)!
      .connection.collection<EventDocument>('events')
      .find({ _id: { $in: ids } }, { projection: { message: 1, publishedAt: 1 } })
      .toArray();
    const keys = expectedLedgerKeys(
      events.map((e) => ({ eventId: e._id, publishedAt: e.publishedAt!, message: e.message ?? null })),
      rules,
    );
    expected += keys.length;
    present += await ledger.countDocuments({ _id: { $in: keys } });
    const perEvent = await ledger
      .aggregate<{ _id: string; n: number }>([
        { $match: { partner, sourceEventId: { $in: ids } } },
        { $group: { _id: '$sourceEventId', n: { $sum: 1 } } },
        { $match: { n: { $gt: 1 } } },
      ])
      .toArray();
    twice += perEvent.length;
  }
  return { expected, present, twice };
}

try {
  console.log('Waiting for the seeded events to go through the stream…');
  await waitForEventBacklog(dbs);
  const byPartner = await burstEvents();
  const bar = new ProgressBar(`sending ${eventCount} events`, eventCount);
  let accepted = 0;
  const started = Date.now();
  // Each partner sends its share in batches, the partners at the same time.
  await Promise.all(
    [...byPartner].map(async ([partner, events]) => {
      for (let i = 0; i < events.length; i += batchSize) {
        const answered = await send(partner, events.slice(i, i + batchSize));
        accepted += answered;
        bar.update(accepted);
      }
    }),
  );
  const burstMs = Date.now() - started;
  const backlog = await redis.activityStream.groupStatus('benefits-points').catch(() => null);
  console.log(
    `Burst accepted in ${(burstMs / 1000).toFixed(1)} s; points consumer behind by ${backlog?.lag ?? '?'} entries, ${backlog?.pending ?? '?'} pending. Restarting Redis without persistence…`,
  );
  await server.stop();
  await server.start();
  console.log('Redis back, empty. Waiting for the relay and the consumer to settle…');
  await waitForEventBacklog(dbs, 3_000);
  const before = await credited();

  const sweepStarted = Date.now();
  const report = await federation.benefits.reconciler!.run();
  const sweepMs = Date.now() - sweepStarted;
  await waitForEventBacklog(dbs, 3_000);
  const after = await credited();

  console.log(
    `\n${eventCount} events sent, ${accepted} accepted; expected to earn or reverse points: ${before.expected}`,
  );
  console.log(`  before the sweep: credited ${before.present}, lost ${before.expected - before.present}`);
  console.log(`  sweep (${sweepMs} ms):`);
  for (const b of report.brands)
    console.log(
      `    ${b.partner.padEnd(10)} scanned ${String(b.scanned).padStart(6)}, missing ${String(b.missing).padStart(5)}, republished ${String(b.republished).padStart(5)}`,
    );
  console.log(
    `  after the sweep:  credited ${after.present}, lost ${after.expected - after.present}, credited twice ${after.twice}`,
  );
  if (after.present !== after.expected || after.twice > 0) process.exitCode = 1;
} finally {
  await stop();
  await server.stop();
}
