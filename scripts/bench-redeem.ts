/**
 * npm run bench:redeem [-- --calls 10000 --members 100 --concurrency 200 --scarce-stock 50]
 * Concurrent redemptions and checkout payments across the members, each call sent twice at once with the
 * same idempotency key, some for a benefit that runs out and some for more points than the member has,
 * against the real stores (MONGODB_URI, else the embedded store in this process). Prints redemptions/s,
 * latency percentiles and the invariants; exits 1 if any invariant is broken.
 */
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { runRedeemLoad } from '../tools/redeem-load/redeem-load.js';
import { positiveInteger, readCliOptions } from './cli-options.js';

const usage = 'npm run bench:redeem -- [--calls N] [--members N] [--concurrency N] [--scarce-stock N]';
const raw = readCliOptions(
  {
    calls: { type: 'string' },
    members: { type: 'string' },
    concurrency: { type: 'string' },
    'scarce-stock': { type: 'string' },
  },
  usage,
);
const calls = positiveInteger(raw.calls as string | undefined, 'calls', 10_000);
const members = positiveInteger(raw.members as string | undefined, 'members', 100);
const concurrency = positiveInteger(raw.concurrency as string | undefined, 'concurrency', 200);
const scarceStock = positiveInteger(raw['scarce-stock'] as string | undefined, 'scarce-stock', 50);

const embedded = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ port: 0 });
const uri = process.env.MONGODB_URI ?? embedded!.uri;
const connection = await mongoose
  .createConnection(uri, { dbName: `bench_redeem_${process.pid}` })
  .asPromise();
try {
  console.log(
    `${calls} calls (each sent twice at once) across ${members} members, ${concurrency} requests in flight, ` +
      `scarce benefit stock ${scarceStock}, store: ${embedded ? 'embedded' : 'MONGODB_URI'}`,
  );
  const report = await runRedeemLoad({ connection, calls, members, concurrency, scarceStock });
  const seconds = report.elapsedMs / 1000;
  console.log(`elapsed            ${seconds.toFixed(1)} s for ${report.requests} requests`);
  console.log(`requests/s         ${(report.requests / seconds).toFixed(0)}`);
  console.log(
    `redemptions/s      ${(report.applied.redemptions / seconds).toFixed(0)} ` +
      `(${report.applied.redemptions} confirmed; payments ${report.applied.payments})`,
  );
  console.log(
    `latency            p50 ${report.latencyMs.p50.toFixed(1)} ms, p99 ${report.latencyMs.p99.toFixed(1)} ms, ` +
      `max ${report.latencyMs.max.toFixed(1)} ms`,
  );
  console.log(
    `outcomes           ${Object.entries(report.outcomes)
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  console.log('invariants (each must be 0):');
  for (const [name, value] of Object.entries(report.invariants)) console.log(`  ${name.padEnd(30)} ${value}`);
  process.exitCode = Object.values(report.invariants).every((v) => v === 0) ? 0 : 1;
} finally {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await embedded?.stop();
}
