/**
 * npm run bench:backlog -- [--members 2000]
 * Times how fast the event pipeline credits a seeded population's backlog: every seeded event waits in its
 * brand's outbox, so starting the services after the seed sends them all through relay → stream → points
 * consumer → ledger at once (as a deployment catching up after an outage does). Prints the ledger entries
 * written per second while the backlog drains. The whole federation runs in this process on free ports;
 * REDIS_URL / MONGODB_URI select real servers.
 */
import { UNPUBLISHED_EVENTS } from '../subgraphs/brand/data/brand-models.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { benchRunName, benchSetting, startBenchFederation } from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions({ members: 2_000 }, 'npm run bench:backlog -- [--members 2000]');
const { members } = counts;
const QUIET_MS = 1_500;

const { env, registry } = benchSetting();
console.log(`Seeding ${members} members…`);
const { dbs, seedMs, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('backlog'),
  members,
  seed: 42,
  progress: true,
});
try {
  let unpublished = 0;
  for (const db of dbs.brands.values())
    unpublished += await db.connection.collection('events').countDocuments(UNPUBLISHED_EVENTS);
  console.log(`\nSeeded in ${(seedMs / 1000).toFixed(0)} s; ${unpublished} events wait in the outboxes.`);
  const ledger = dbs.benefits.connection.collection('points_ledger');
  const started = Date.now();
  const progress = setInterval(() => {
    void ledger.estimatedDocumentCount().then((count) => {
      const seconds = (Date.now() - started) / 1000;
      console.log(`  ${count} ledger entries after ${seconds.toFixed(0)} s`);
    });
  }, 10_000);
  try {
    await waitForEventBacklog(dbs, QUIET_MS, 3_600_000);
  } finally {
    clearInterval(progress);
  }
  // The wait ends once the ledger has not grown for QUIET_MS: that tail is not crediting time.
  const seconds = (Date.now() - started - QUIET_MS) / 1000;
  const entries = await ledger.estimatedDocumentCount();
  console.log(
    `${entries} ledger entries credited from ${unpublished} events in ${seconds.toFixed(1)} s: ${Math.round(entries / seconds)} entries/s, ${Math.round(unpublished / seconds)} events/s`,
  );
} finally {
  await stop();
}
