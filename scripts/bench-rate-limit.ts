/**
 * npm run bench:rate-limit -- [--checks 20000] [--keys 1000] [--concurrency 32]
 * What one rate-limit check costs: in-process buckets; Redis buckets (the Lua script, one round trip) when
 * REDIS_URL is set, one at a time and `concurrency` at a time; and Redis refusing connections (the fail-open
 * path). Keys go under a prefix of their own, deleted at the end.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { createRateLimiter } from '../subgraphs/shared/rate-limit/create-rate-limiter.js';
import type { RateLimiter } from '../subgraphs/shared/rate-limit/rate-limiter.js';
import { deleteRedisKeys } from '../tools/local-federation/delete-redis-keys.js';
import { quantile } from '../tools/local-federation/query-latency.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { readCountOptions } from './cli-options.js';

const usage = 'npm run bench:rate-limit -- [--checks 20000] [--keys 1000] [--concurrency 32]';
const { counts } = readCountOptions({ checks: 20_000, keys: 1_000, concurrency: 32 }, usage);
const { checks, keys, concurrency } = counts;
const redisUrl = readEnvironment().redisUrl;
const keyPrefix = `bench:rate-limit:${Date.now().toString(36)}:`;
// Large enough that every check is allowed: the cost measured is the check, the same either way.
const limit = { burst: 1_000_000, perSecond: 1_000_000 };

interface Row {
  backend: string;
  perCheckUs: number;
  p50Us: number;
  p99Us: number;
  fallbacks: number;
}

async function measure(label: string, limiter: RateLimiter, inFlight: number, errors: Error[]): Promise<Row> {
  // A loop of checks answered at once never yields to I/O, so Redis would never get to connect: warm up with
  // pauses until a check goes through without falling back (Redis refusing never does; that is its row).
  for (let attempt = 0; attempt < 50; attempt += 1) {
    errors.length = 0;
    await limiter.take('warm', limit);
    if (errors.length === 0) break;
    await sleep(20);
  }
  for (let i = 0; i < Math.min(200, checks); i += 1) await limiter.take(`warm:${i % keys}`, limit);
  errors.length = 0;
  const bar = new ProgressBar(label, checks);
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < checks) {
      const i = next++;
      const t0 = performance.now();
      await limiter.take(`key:${i % keys}`, limit);
      durations.push(performance.now() - t0);
      if (i % 500 === 0) bar.update(i);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  bar.update(checks);
  const total = performance.now() - started;
  durations.sort((a, b) => a - b);
  return {
    backend: label,
    perCheckUs: (total * 1000) / checks,
    p50Us: quantile(durations, 0.5) * 1000,
    p99Us: quantile(durations, 0.99) * 1000,
    fallbacks: errors.length,
  };
}

const rows: Row[] = [];
const errors: Error[] = [];
const open = (url: string | undefined) =>
  createRateLimiter({ url, keyPrefix, name: 'bench', onError: (error) => errors.push(error) });

const memory = open(undefined);
rows.push(await measure('in-process', memory, 1, errors));
await memory.close();
if (redisUrl) {
  const redis = open(redisUrl);
  rows.push(await measure('Redis, 1 at a time', redis, 1, errors));
  rows.push(await measure(`Redis, ${concurrency} at a time`, redis, concurrency, errors));
  await redis.close();
  await deleteRedisKeys(redisUrl, keyPrefix);
} else {
  console.log('REDIS_URL is not set: the Redis rows are skipped.');
}
const down = open('redis://127.0.0.1:1');
rows.push(await measure('Redis refusing (fails open)', down, 1, errors));
await down.close();

console.log(`\n${checks} checks over ${keys} keys, every one allowed:\n`);
console.log('| backend | µs per check (wall / checks) | p50 µs | p99 µs | decided in-process |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| ${row.backend} | ${row.perCheckUs.toFixed(1)} | ${row.p50Us.toFixed(1)} | ${row.p99Us.toFixed(1)} | ${row.fallbacks} |`,
  );
}
