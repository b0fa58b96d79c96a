/**
 * The start-up every benchmark against the whole federation shares: the embedded store (or MONGODB_URI) with
 * databases of the run's own, a seeded population, the activity stream and cache on REDIS_URL (or another
 * Redis, or in-process) under the run's key prefix, and every service in this process on free ports.
 */
import type { Environment } from '../../subgraphs/shared/config/environment.js';
import { partnerSecretOf, readEnvironment } from '../../subgraphs/shared/config/environment.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { loadPartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../../subgraphs/shared/config/paths.js';
import type { PopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import { configureLogging } from '../../subgraphs/shared/observability/logger.js';
import { INGEST_PATH } from '../../subgraphs/brand/ingest/ingest-route.js';
import { signEventBody } from '../../subgraphs/brand/ingest/event-signature.js';
import { startEmbeddedMongo } from '../../tools/embedded-mongo/index.js';
import {
  RedisServerProcess,
  freePort,
  redisServerInstalled,
} from '../../tools/local-federation/redis-server-process.js';
import type { FederationDatabases } from '../../tools/local-federation/federation-databases.js';
import { openFederationDatabases } from '../../tools/local-federation/federation-databases.js';
import type { ScratchRedis } from '../../tools/local-federation/scratch-redis.js';
import { openScratchRedis } from '../../tools/local-federation/scratch-redis.js';
import type {
  LocalFederation,
  LocalFederationOptions,
} from '../../tools/local-federation/start-local-federation.js';
import {
  environmentSecrets,
  startLocalFederation,
} from '../../tools/local-federation/start-local-federation.js';
import { seedFederation } from '../../tools/seed/seed-federation.js';

/** The environment and partner registry of a benchmark; logging is turned down to warnings and errors. */
export function benchSetting(): { env: Environment; registry: PartnerRegistry } {
  // One log line per request would drown the progress bar and the figures; warnings and errors still show.
  configureLogging('warn');
  return { env: readEnvironment(), registry: loadPartnerRegistry(partnerRegistryPath()) };
}

/** Names a run's databases and Redis keys: `name` and the start time. */
export const benchRunName = (name: string): string => `${name}${Date.now().toString(36)}`;

export interface BenchFederationOptions {
  env: Environment;
  registry: PartnerRegistry;
  /** The run's name (see `benchRunName`): its databases and the prefix of its Redis keys. */
  run: string;
  members: number;
  seed: number;
  /** Default: now. */
  now?: Date;
  /** Show a progress bar while seeding. */
  progress?: boolean;
  /** Default: REDIS_URL (in-process without it). */
  redisUrl?: string;
  /** Default: logged to stderr. */
  onCacheError?: (error: Error) => void;
  /** Anything else the services need (gateway settings, reconciliation, worker errors). */
  federation?: Partial<LocalFederationOptions>;
}

export interface BenchFederation {
  dbs: FederationDatabases;
  redis: ScratchRedis;
  model: PopulationModel;
  federation: LocalFederation;
  /** How long seeding took, in milliseconds. */
  seedMs: number;
  /** Stops the services and drops the run's databases and keys. */
  stop(): Promise<void>;
}

export async function startBenchFederation(options: BenchFederationOptions): Promise<BenchFederation> {
  const { env, registry, run } = options;
  const embedded = env.mongodbUri ? null : await startEmbeddedMongo({ port: 0 });
  const dbs = await openFederationDatabases(env.mongodbUri ?? embedded!.uri, run, registry);
  const seedStarted = Date.now();
  const { model } = await seedFederation(registry, dbs, {
    members: options.members,
    seed: options.seed,
    now: options.now ?? new Date(),
    progress: options.progress,
  });
  const seedMs = Date.now() - seedStarted;
  const redis = openScratchRedis({
    url: options.redisUrl ?? env.redisUrl,
    keyPrefix: `${run}:`,
    onCacheError: options.onCacheError ?? ((error) => console.error(error.message)),
  });
  const federation = await startLocalFederation({
    registry,
    dbs,
    model,
    ...environmentSecrets(env),
    activityStream: redis.activityStream,
    cache: redis.cache,
    onWorkerError: (error) => console.error(`background work failed: ${(error as Error).message}`),
    ports: 'ephemeral',
    ...options.federation,
  });
  return {
    dbs,
    redis,
    model,
    federation,
    seedMs,
    stop: async () => {
      await federation.stop();
      await redis.close().catch(() => undefined);
      await dbs.drop();
      await dbs.close();
      await embedded?.stop();
    },
  };
}

/** POSTs a batch of events to a brand's ingest endpoint, signed with the partner's secret from the environment. */
export async function postPartnerEvents(
  env: Environment,
  federation: Pick<LocalFederation, 'subgraphUrls'>,
  partner: string,
  body: string,
  contentType: 'application/json' | 'application/x-ndjson',
): Promise<{ ok: boolean; status: number; answer: { summary?: { accepted: number } } }> {
  const response = await fetch(new URL(INGEST_PATH, federation.subgraphUrls[partner]), {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-signature': signEventBody(body, partnerSecretOf(env, partner)),
    },
    body,
  });
  const answer = (await response.json()) as { summary?: { accepted: number } };
  return { ok: response.ok, status: response.status, answer };
}

/** A redis-server of the benchmark's own on a free port; exits 1 when `redis-server` is not on the PATH. */
export async function startOwnRedisServer(): Promise<RedisServerProcess> {
  if (!redisServerInstalled()) {
    console.error(
      'This benchmark starts a redis-server of its own: install Redis (redis-server on the PATH).',
    );
    process.exit(1);
  }
  const server = new RedisServerProcess(await freePort());
  await server.start();
  return server;
}
