/**
 * npm run bench -- [--requests 200] [--members 2000]
 * Times the member dashboard query through the gateway: the whole federation in this process on free ports,
 * the embedded store (or MONGODB_URI) seeded into databases of its own, requests sent one after another.
 * Two parts: one member asking again and again with the response cache off (the cost of a dashboard), then
 * members drawn by Zipf's law (s = 1.1, the repeated reads of mobile apps) against two gateways over the same
 * subgraphs, one without and one with the member response cache, in alternating rounds.
 */
import { readFileSync } from 'node:fs';
import { createGateway, startGateway } from '../gateway/server.js';
import { supergraphPath } from '../subgraphs/shared/config/paths.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { timeGraphQLQuery, summariseLatencies } from '../tools/local-federation/query-latency.js';
import { waitForEventBacklog } from '../tools/local-federation/wait-for-event-backlog.js';
import { zipfSampler } from '../tools/local-federation/zipf-sampler.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { benchRunName, benchSetting, startBenchFederation } from './bench/start-bench-federation.js';
import { readCountOptions } from './cli-options.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } } benefits { items { benefit { id title } reason } } } }`;
const ZIPF_EXPONENT = 1.1;
const ROUNDS = 4;

const { counts } = readCountOptions(
  { requests: 200, members: 2000 },
  'npm run bench -- [--requests 200] [--members 2000]',
);
const { requests, members } = counts;

const { env, registry } = benchSetting();
// Members send every request: this measures the dashboard, not the rate limit.
const settings = { ...env.gateway, rateLimits: { ...env.gateway.rateLimits, enabled: false } };
console.log(`Seeding ${members} members…`);
const { dbs, federation, redis, stop } = await startBenchFederation({
  env,
  registry,
  run: benchRunName('bench'),
  members,
  seed: 42,
  progress: true,
  federation: {
    gatewaySettings: { ...settings, caches: { ...settings.caches, responseCacheTtlSeconds: 0 } },
  },
});
// The same subgraphs behind a second gateway whose member response cache is on (generations in the bench's Redis).
const cachedGateway = await startGateway(
  createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: federation.subgraphUrls,
    auth: env.auth,
    brandSubgraphs: registry.partners.map((p) => p.key),
    settings: { ...settings, caches: { ...settings.caches, responseCacheTtlSeconds: 60 } },
    memberResponseGenerations: redis.cache,
  }),
  { port: 0 },
);
const tokenOf = new Map<string, string>();
const memberToken = async (memberId: string): Promise<string> => {
  let token = tokenOf.get(memberId);
  if (!token)
    tokenOf.set(memberId, (token = await signDevToken({ role: 'member', memberId }, env.auth.jwtSecret!)));
  return token;
};

try {
  // The seeded events flow to the points ledger in the background; measure once they have.
  console.log('Waiting for the seeded events to be credited…');
  await waitForEventBacklog(dbs);
  const demo = await memberToken(DEMO_MEMBER_ID);
  const send = () => timeGraphQLQuery(federation.gatewayUrl, demo, DASHBOARD);
  for (let i = 0; i < 10; i++) await send(); // warm-up: query plan cache, connections
  const bar = new ProgressBar('dashboard', requests);
  const timings: number[] = [];
  for (let i = 0; i < requests; i++) {
    timings.push(await send());
    bar.update(i + 1);
  }
  console.log(
    `Dashboard query, ${requests} sequential requests through the gateway (${members} members seeded):`,
  );
  console.log(`  ${summariseLatencies(timings)}`);

  // Zipf: the same sequence of members for both gateways, in alternating rounds so that both see the same load.
  const draw = zipfSampler(members, ZIPF_EXPONENT, 7);
  const sequence = Array.from({ length: requests }, () => `M${String(draw()).padStart(6, '0')}`);
  const tokens = await Promise.all(sequence.map(memberToken));
  const gateways = { uncached: federation.gatewayUrl, cached: cachedGateway.url };
  const results = { uncached: [] as number[], cached: [] as number[] };
  const wall = { uncached: 0, cached: 0 };
  const perRound = Math.ceil(requests / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['uncached', 'cached'] as const) {
      const started = performance.now();
      for (let i = round * perRound; i < Math.min(requests, (round + 1) * perRound); i++)
        results[name].push(await timeGraphQLQuery(gateways[name], tokens[i], DASHBOARD));
      wall[name] += performance.now() - started;
    }
  }
  const distinct = new Set(sequence).size;
  console.log(
    `\nZipf-repeated dashboard (s = ${ZIPF_EXPONENT} over ${members} members, ${requests} requests, ${distinct} distinct members, ${ROUNDS} alternating rounds):`,
  );
  for (const name of ['uncached', 'cached'] as const) {
    const rps = (results[name].length / wall[name]) * 1000;
    console.log(`  ${name.padEnd(9)} ${rps.toFixed(1)} requests/s   ${summariseLatencies(results[name])}`);
  }
  const ratio = (results.cached.length / wall.cached) * (wall.uncached / results.uncached.length);
  console.log(`  cached / uncached throughput: ${ratio.toFixed(2)}×`);
} finally {
  await cachedGateway.close();
  await stop();
}
