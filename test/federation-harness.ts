import type { Principal } from '../subgraphs/shared/auth/principal.js';
import type {
  AuthSettings,
  GatewaySettings,
  ReconciliationSettings,
} from '../subgraphs/shared/config/environment.js';
import {
  DEFAULT_GATEWAY_SETTINGS,
  DEFAULT_RECONCILIATION_SETTINGS,
} from '../subgraphs/shared/config/environment.js';
import type { PartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath, schemaPath } from '../subgraphs/shared/config/paths.js';
import type { EarningRules } from '../subgraphs/benefits/domain/earning-rules.js';
import { loadEarningRules } from '../subgraphs/benefits/domain/earning-rules.js';
import { signEventBody } from '../subgraphs/brand/ingest/event-signature.js';
import type { IngestRateLimit } from '../subgraphs/brand/ingest/ingest-route.js';
import type { KeyValueCache } from '../subgraphs/shared/cache/key-value-cache.js';
import type { ActivityStream } from '../subgraphs/shared/streams/activity-stream.js';
import type { PopulationModel } from '../subgraphs/shared/domain/population-model.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { openScratchRedis } from '../tools/local-federation/scratch-redis.js';
import {
  RedisServerProcess,
  freePort,
  redisServerInstalled,
} from '../tools/local-federation/redis-server-process.js';
import type {
  FederationDatabases,
  FederationStores,
} from '../tools/local-federation/federation-databases.js';
import { federationStores, openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import type { LocalFederation } from '../tools/local-federation/start-local-federation.js';
import { startLocalFederation } from '../tools/local-federation/start-local-federation.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { seedDemoData } from '../tools/seed/seed-demo-data.js';
import { trainPopulationModel } from '../tools/seed/train-population-model.js';
import { testKeyPrefix } from './test-key-prefix.js';
import { computedBeforeAll } from './computed-before-all.js';
import type { NotificationChannel } from '../subgraphs/shared/notifications/notification-channel.js';
import type { TrainingSummary } from '../subgraphs/profile/training/train-intelligence.js';
import { trainIntelligence } from '../subgraphs/profile/training/train-intelligence.js';
import { IntelligenceStore, intelligenceModels } from '../subgraphs/profile/data/intelligence-store.js';
import { TierStore } from '../subgraphs/profile/data/tier-store.js';

export const TEST_AUTH: AuthSettings = {
  jwtSecret: 'test-client-secret-0123456789abcdef',
  internalTokenSecret: 'test-internal-secret-0123456789abcdef',
};

/**
 * Tests check what the federation answers, not how fast: on a shared, loaded machine a cold subgraph can take
 * seconds, so the gateway waits longer here than in production. Tests of timeouts set their own.
 */
export const TEST_GATEWAY_SETTINGS: GatewaySettings = {
  ...DEFAULT_GATEWAY_SETTINGS,
  fetch: {
    ...DEFAULT_GATEWAY_SETTINGS.fetch,
    timeoutMs: { brand: 30_000, profile: 30_000, benefits: 30_000 },
    requestBudgetMs: 60_000,
  },
  // Tests send many requests as one principal; the rate-limit tests turn them on with small limits.
  rateLimits: { ...DEFAULT_GATEWAY_SETTINGS.rateLimits, enabled: false },
  // Tests change stores and clocks behind the services' backs; the response-cache tests turn it on.
  caches: { ...DEFAULT_GATEWAY_SETTINGS.caches, responseCacheTtlSeconds: 0 },
};

export const testPartnerSecret = (partner: string): string => `test-partner-secret-${partner}`;

export interface TestFederation {
  registry: PartnerRegistry;
  activityStream: ActivityStream;
  /** Links, unlinks and erasures between the profile and the other stores. */
  lifecycleStream: ActivityStream;
  /** The profile cache, shared with the profile subgraph. */
  cache: KeyValueCache;
  /** Where training announces new model versions to the profile subgraph. */
  notifications: NotificationChannel;
  /** Runs `npm run train`'s job on the federation's stores (announcing the version unless `announce: false`). */
  train(options?: { seed?: number; now?: Date; announce?: boolean }): Promise<TrainingSummary>;
  earningRules: EarningRules;
  /** Errors the background workers (relay, consumers) reported; expected to stay empty while Redis is up. */
  workerErrors: unknown[];
  /** Failures the cache answered around (a miss, a dropped write). */
  cacheErrors: Error[];
  dbs: FederationDatabases;
  stores: FederationStores;
  model: PopulationModel;
  federation: LocalFederation;
  now: Date;
  token(principal: Principal): Promise<string>;
  /** POSTs a GraphQL request to the gateway; returns the HTTP status and the parsed body. */
  query(query: string, options?: GraphQLRequestOptions): Promise<GraphQLAnswer>;
  /** POSTs events to a brand's signed ingest endpoint (signed with that partner's secret unless `signature`). */
  ingest(
    partner: string,
    body: string,
    options?: { contentType?: string; signature?: string | null },
  ): Promise<{ status: number; body: IngestResponse; headers: Headers }>;
  stop(): Promise<void>;
}

export interface IngestResponse {
  summary?: { accepted: number; duplicate: number; conflict: number; rejected: number };
  results?: { index: number; eventId?: string; status: string; reason?: string }[];
  error?: { code: string; message: string };
}

export interface GraphQLRequestOptions {
  token?: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface GraphQLAnswer {
  status: number;
  body: GraphQLBody;
  headers: Headers;
}

/** POSTs a GraphQL request to `url` (a gateway), with a bearer token when given; the status and parsed body. */
export async function queryGraphQL(
  url: string,
  query: string,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody, headers: response.headers };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * The whole federation in the test process: a real MongoDB when MONGODB_URI is set, otherwise the embedded
 * store; databases under a prefix of their own; seeded demo data; every subgraph and the gateway on port 0.
 */
export async function startTestFederation(
  options: {
    members?: number;
    seed?: number;
    redisUrl?: string;
    cacheTimeoutMs?: number;
    /** Default: no periodic sweep (a test runs `federation.benefits.reconciler` when it wants one). */
    reconciliation?: ReconciliationSettings;
    /** Each brand's ingest rate limit; default: none. */
    ingestRateLimit?: IngestRateLimit;
    /** Train the member-intelligence model before the services start. */
    train?: boolean;
    /** How often the profile subgraph polls for a new model (default: the service's minute). */
    modelPollMs?: number;
    /** The services' clock (default: the system's); a test moves it to reach the end of a month. */
    now?: () => Date;
    /** Members' answers cached by the gateway this long (default: no response cache). */
    responseCacheTtlSeconds?: number;
    /** How long the profile waits for a store's erasure receipt before asking again (default a minute). */
    erasureRetryMs?: number;
  } = {},
): Promise<TestFederation> {
  const registry = loadPartnerRegistry(partnerRegistryPath());
  const earningRules = loadEarningRules(schemaPath('earning-rules.json'));
  const cacheErrors: Error[] = [];
  const redis = openScratchRedis({
    url: options.redisUrl ?? process.env.REDIS_URL,
    keyPrefix: testKeyPrefix('federation'),
    onCacheError: (error) => cacheErrors.push(error),
    // Tests share two cores with the whole federation (and, here, with other runs): a generous timeout keeps
    // a busy event loop from turning into cache misses. The cache behaves the same whatever the figure.
    cacheTimeoutMs: options.cacheTimeoutMs ?? 2_000,
  });
  const { activityStream, lifecycleStream, cache, notifications } = redis;
  const embedded = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ port: 0 });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const prefix =
    `t${(process.env.TEST_RUN_ID ?? 'local').slice(-10)}${Math.random().toString(36).slice(2, 7)}`.replace(
      /[^a-zA-Z0-9_]/g,
      '',
    );
  const dbs = await openFederationDatabases(uri, prefix, registry);
  const workerErrors: unknown[] = [];
  const stores = await federationStores(dbs, registry);
  const now = new Date();
  await seedDemoData(registry, stores, { members: options.members ?? 120, seed: options.seed ?? 42, now });
  const model = await trainPopulationModel(
    registry,
    dbs.profile.connection,
    new Map([...dbs.brands].map(([k, db]) => [k, db.connection])),
    now,
  );
  const brandConnections = new Map([...dbs.brands].map(([k, db]) => [k, db.connection]));
  const intelligenceStore = new IntelligenceStore(intelligenceModels(dbs.profile.connection));
  const tierStore = new TierStore(dbs.profile.connection);
  const train = async (opts: { seed?: number; now?: Date; announce?: boolean } = {}) => {
    await Promise.all([intelligenceStore.init(), tierStore.init()]);
    return trainIntelligence({
      registry,
      profileDb: dbs.profile.connection,
      brandDbs: brandConnections,
      store: intelligenceStore,
      notifications: opts.announce === false ? undefined : notifications,
      now: opts.now ?? now,
      seed: opts.seed ?? 42,
      tiers: { store: tierStore, populationModel: model },
    });
  };
  if (options.train) await train({ announce: false });
  const federation = await startLocalFederation({
    registry,
    dbs,
    model,
    auth: TEST_AUTH,
    earningRules,
    activityStream,
    lifecycleStream,
    erasureRetryMs: options.erasureRetryMs,
    cache,
    notifications,
    modelPollMs: options.modelPollMs,
    now: options.now,
    partnerSecret: testPartnerSecret,
    onWorkerError: (error) => workerErrors.push(error),
    ports: 'ephemeral',
    gatewaySettings: options.responseCacheTtlSeconds
      ? {
          ...TEST_GATEWAY_SETTINGS,
          caches: {
            ...TEST_GATEWAY_SETTINGS.caches,
            responseCacheTtlSeconds: options.responseCacheTtlSeconds,
          },
        }
      : TEST_GATEWAY_SETTINGS,
    reconciliation: options.reconciliation ?? { ...DEFAULT_RECONCILIATION_SETTINGS, intervalMs: 0 },
    // As in development: GraphiQL and the console, with tokens signed with the test secret.
    explorer: { enabled: true, devTokensFor: { memberId: DEMO_MEMBER_ID } },
    ingestRateLimit: options.ingestRateLimit,
  });
  return {
    registry,
    activityStream,
    lifecycleStream,
    cache,
    notifications,
    train,
    workerErrors,
    cacheErrors,
    earningRules,
    dbs,
    stores,
    model,
    federation,
    now,
    token: (principal) => signDevToken(principal, TEST_AUTH.jwtSecret!),
    query: (query, opts) => queryGraphQL(federation.gatewayUrl, query, opts),
    ingest: async (partner, body, opts = {}) => {
      const url = new URL('/ingest/events', federation.subgraphUrls[partner]);
      const signature =
        opts.signature === undefined ? signEventBody(body, testPartnerSecret(partner)) : opts.signature;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': opts.contentType ?? 'application/json',
          ...(signature ? { 'x-signature': signature } : {}),
        },
        body,
      });
      return {
        status: response.status,
        body: (await response.json()) as IngestResponse,
        headers: response.headers,
      };
    },
    stop: async () => {
      await teardownStep('the federation stopping', () => federation.stop());
      await teardownStep('the scratch Redis closing', () => redis.close().catch(() => undefined));
      await teardownStep('the databases dropped', () => dbs.drop().catch(() => undefined));
      await teardownStep('the databases closing', () => dbs.close());
      await teardownStep('the embedded store stopping', async () => embedded?.stop());
    },
  };
}

/**
 * One step of a suite's teardown. A step still running after 10 s is named on stderr every 10 s: a hook
 * that runs out of time says only that it did.
 */
async function teardownStep(name: string, step: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`teardown: ${name} is still running after ${seconds} s\n`);
  }, 10_000);
  try {
    await step();
  } finally {
    clearInterval(timer);
  }
}

/** Starts the federation in the suite's `beforeAll` and stops it in its `afterAll` (see `computedBeforeAll`). */
export const useTestFederation = (options: Parameters<typeof startTestFederation>[0] = {}): TestFederation =>
  computedBeforeAll(
    () => startTestFederation(options),
    (fed) => fed.stop(),
  );

/**
 * `describe` for suites that run the federation on a redis-server of their own (to stop, restart or freeze
 * it): `describe.skip`, with a warning naming `file`, where no redis-server binary is on the PATH.
 */
export function describeWithRedisServer(file: string): jest.Describe {
  const installed = redisServerInstalled();
  if (!installed) console.warn(`${file} skipped: no redis-server binary on the PATH`);
  return installed ? describe : describe.skip;
}

export interface FederationOnOwnRedis extends TestFederation {
  /** The suite's own redis-server, which the suite may stop, start again (empty) or freeze. */
  redisServer: RedisServerProcess;
}

/**
 * `useTestFederation` on a redis-server of the suite's own, started first on a free port; after the suite the
 * server is resumed (a frozen one would hold the federation's shutdown), the federation stopped, then the server.
 */
export const useTestFederationOnOwnRedis = (
  options: Omit<Parameters<typeof startTestFederation>[0], 'redisUrl'> = {},
): FederationOnOwnRedis =>
  computedBeforeAll(
    async () => {
      const redisServer = new RedisServerProcess(await freePort());
      await redisServer.start();
      let fed: TestFederation;
      try {
        fed = await startTestFederation({ ...options, redisUrl: redisServer.url });
      } catch (error) {
        await redisServer.stop();
        throw error;
      }
      return { ...fed, redisServer };
    },
    async ({ redisServer, stop }) => {
      try {
        redisServer.resume();
      } catch {
        // Not running (a test stopped it): nothing holds the shutdown.
      }
      try {
        await stop();
      } finally {
        await teardownStep("the suite's redis-server stopping", () => redisServer.stop());
      }
    },
  );
