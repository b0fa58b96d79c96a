/**
 * npm run bench:cache -- [--requests 200] [--members 500]
 * Profile read latency through the gateway with the profile cache on a Redis of the script's own
 * (`redis-server` on the PATH): Redis up with the profile cached; Redis up with the entry deleted before each
 * request (the uncached cost); Redis stopped; Redis frozen (SIGSTOP: connected, answering nothing); Redis
 * back. A cache that fails open makes the outage rows cost what an uncached read costs. The cache runs with its production
 * timeout; the whole federation runs in this process on free ports, on the embedded store or MONGODB_URI.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { profileCacheKey } from '../subgraphs/profile/data/profile-cache.js';
import { CACHE_TIMEOUT_MS } from '../subgraphs/shared/cache/create-key-value-cache.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { timeGraphQLQuery, summariseLatencies } from '../tools/local-federation/query-latency.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import {
  benchRunName,
  benchSetting,
  startBenchFederation,
  startOwnRedisServer,
} from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const PROFILE = `{ me { id profile { compositeScore tier { code } affinities { category share } explanation } } }`;

const { counts } = readCountOptions(
  { requests: 200, members: 500 },
  'npm run bench:cache -- [--requests 200] [--members 500]',
);
const { requests, members } = counts;

const { env, registry } = benchSetting();
const server = await startOwnRedisServer();
console.log(
  `Seeding ${members} members; redis-server on port ${server.port}; cache timeout ${CACHE_TIMEOUT_MS} ms`,
);
const cacheErrors: Error[] = [];
const { dbs, redis, federation, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('benchcache'),
  members,
  seed: 42,
  progress: true,
  redisUrl: server.url,
  onCacheError: (error) => cacheErrors.push(error),
  // One member sends every request: this measures the dashboard, not the rate limit.
  federation: {
    gatewaySettings: { ...env.gateway, rateLimits: { ...env.gateway.rateLimits, enabled: false } },
  },
});
const token = await signDevToken({ role: 'member', memberId: DEMO_MEMBER_ID }, env.auth.jwtSecret!);
const cacheKey = profileCacheKey(DEMO_MEMBER_ID);

const readProfile = (): Promise<number> => timeGraphQLQuery(federation.gatewayUrl, token, PROFILE);

interface Phase {
  label: string;
  timings: number[];
  cacheErrors: number;
  /** Of which waited out the timeout: the rest failed without waiting. */
  timeouts: number;
}
const phases: Phase[] = [];

/** `requests` sequential profile reads; `before` runs ahead of each one, outside the timing. */
async function measure(label: string, before: () => Promise<unknown> = async () => undefined): Promise<void> {
  const errorsBefore = cacheErrors.length;
  const bar = new ProgressBar(label, requests);
  const timings: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    await before();
    timings.push(await readProfile());
    bar.update(i + 1);
  }
  const errors = cacheErrors.slice(errorsBefore);
  const timeouts = errors.filter((e) => e.message.endsWith('Command timed out')).length;
  phases.push({ label, timings, cacheErrors: errors.length, timeouts });
}

/** Waits until a cache write sticks: the cache's connection is (back) up. */
async function cacheAnswers(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    await redis.cache.set('probe', 'yes', { ttl: 10 });
    if ((await redis.cache.get('probe')) === 'yes') return;
    await sleep(50);
  }
  throw new Error('the cache did not come back within 10 s');
}

/** Waits until the cache has seen the connection go (a probe reports a failure). */
async function cacheSeesRedisGone(): Promise<void> {
  for (;;) {
    const seen = cacheErrors.length;
    await redis.cache.get('probe');
    if (cacheErrors.length > seen) return;
    await sleep(20);
  }
}

try {
  console.log('Waiting for the seeded events to go through the stream…');
  await waitForEventBacklog(dbs);
  // Warm-up: query plans, connections, compiled code, the cache entry.
  for (let i = 0; i < 50; i += 1) await readProfile();

  await measure('Redis up, profile cached');
  await measure('Redis up, entry deleted before each read', () => redis.cache.delete(cacheKey));

  await server.stop();
  await cacheSeesRedisGone();
  await measure('Redis stopped');

  await server.start();
  await cacheAnswers();
  await readProfile();
  server.freeze();
  await measure('Redis frozen (connected, not answering)');
  server.resume();
  await cacheAnswers();
  await readProfile();
  await measure('Redis up again, profile cached');

  console.log(
    `\nProfile query, ${requests} sequential requests per row through the gateway (${members} members):`,
  );
  for (const { label, timings, cacheErrors: errors, timeouts } of phases)
    console.log(
      `  ${label.padEnd(42)} ${summariseLatencies(timings)}   cache errors ${errors} (${timeouts} timed out)`,
    );
} finally {
  await stop();
  await server.stop();
}
