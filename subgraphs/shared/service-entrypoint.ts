import type { Environment } from './config/environment.js';
import { readEnvironment } from './config/environment.js';
import type { PartnerRegistry } from './config/partner-registry.js';
import { loadPartnerRegistry } from './config/partner-registry.js';
import { partnerRegistryPath } from './config/paths.js';
import type { DatabaseHandle } from './db/mongo-connection.js';
import { databaseName, openDatabase } from './db/mongo-connection.js';
import type { PopulationModel } from './domain/population-model.js';
import { loadPopulationModel } from './domain/population-model.js';
import type { ListenOptions, RunningHttpServer } from './http/apollo-http-server.js';
import type { Logger } from './observability/logger.js';
import { configureLogging, createLogger, serviceLogger } from './observability/logger.js';
import { createKeyValueCache } from './cache/create-key-value-cache.js';
import type { KeyValueCache } from './cache/key-value-cache.js';
import { createRateLimiter } from './rate-limit/create-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { announceReady, stopWhenSupervisorGone } from './supervised-process.js';
import { LIFECYCLE_STREAM_KEY, createActivityStream } from './streams/create-activity-stream.js';
import type { ActivityStream } from './streams/activity-stream.js';
import { createNotificationChannel } from './notifications/create-notification-channel.js';
import type { NotificationChannel } from './notifications/notification-channel.js';

export interface ServiceStart {
  env: Environment;
  registry: PartnerRegistry;
  /** The service's logger (for background work that fails, for instance). */
  log: Logger;
}

/**
 * Start-up of one deployed service (one process per subgraph, as in docker-compose): read and validate the
 * environment and the registry, fail fast naming what is wrong, and on SIGINT/SIGTERM drain requests in
 * flight (within SHUTDOWN_GRACE_SECONDS) before closing the stores.
 */
export async function runService(
  name: string,
  start: (ctx: ServiceStart) => Promise<{ server: RunningHttpServer; close?: () => Promise<void> }>,
): Promise<void> {
  let log: Logger | undefined;
  try {
    const env = readEnvironment();
    log = configureLogging(env.logLevel).child({ service: name });
    const registry = loadPartnerRegistry(partnerRegistryPath());
    const { server, close } = await start({ env, registry, log });
    log.info({ url: server.url }, 'listening');
    if (env.metricsAccess.kind === 'off')
      log.info('GET /metrics is off: set METRICS_TOKEN to let a scraper in');
    const running = log;
    let stopping = false;
    const stop = async (signal: NodeJS.Signals): Promise<void> => {
      if (stopping) return;
      stopping = true;
      running.info({ signal, graceMs: env.shutdownGraceMs }, 'stopping: letting requests in flight finish');
      try {
        await server.close();
        await close?.();
        running.info('stopped');
        process.exit(0);
      } catch (error) {
        running.error({ err: error }, 'stopping failed');
        process.exit(1);
      }
    };
    process.on('SIGINT', (signal) => void stop(signal));
    process.on('SIGTERM', (signal) => void stop(signal));
    stopWhenSupervisorGone(() => void stop('SIGTERM'));
    announceReady({ [name]: server.url });
  } catch (error) {
    // Before the environment is read there is no configured logger yet; a bad LOG_LEVEL is one such failure.
    (log ?? createLogger('info').child({ service: name })).fatal(`cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** The environment's listening settings: address, who may read /metrics, the shutdown grace period. */
export const listenOptions = (env: Environment): ListenOptions => ({
  port: env.port,
  host: env.host,
  metricsAccess: env.metricsAccess,
  shutdownGraceMs: env.shutdownGraceMs,
});

export async function openServiceDatabase(env: Environment, service: string): Promise<DatabaseHandle> {
  if (!env.mongodbUri)
    throw new Error(
      'MONGODB_URI is required for a service on its own (`npm start` runs an embedded store instead).',
    );
  return openDatabase(env.mongodbUri, databaseName(env.mongodbDbPrefix, service), {
    serverSelectionTimeoutMs: env.mongoServerSelectionTimeoutMs,
  });
}

/** The member-activity stream on REDIS_URL (in-process without it: only useful when every service shares the process). */
export function openServiceActivityStream(env: Environment, name: string): ActivityStream {
  return createActivityStream({ url: env.redisUrl, keyPrefix: env.redisKeyPrefix, name });
}

/** The member-lifecycle stream (links, unlinks, erasures) on REDIS_URL. */
export function openServiceLifecycleStream(env: Environment, name: string): ActivityStream {
  return createActivityStream({
    url: env.redisUrl,
    keyPrefix: env.redisKeyPrefix,
    name: `${name}:lifecycle`,
    streamKey: LIFECYCLE_STREAM_KEY,
  });
}

/** The service's cache on REDIS_URL (in-process without it); failures it answers around are logged. */
export function openServiceCache(env: Environment, name: string): KeyValueCache {
  const log = serviceLogger(name);
  return createKeyValueCache({
    url: env.redisUrl,
    keyPrefix: env.redisKeyPrefix,
    name: `${name}:cache`,
    onError: (error) => log.warn({ err: error }, 'cache unavailable; answering without it'),
  });
}

/** A service's notifications (new model versions): Redis pub/sub when REDIS_URL is set, else in-process. */
export function openServiceNotifications(env: Environment, name: string): NotificationChannel {
  return createNotificationChannel({
    url: env.redisUrl,
    keyPrefix: env.redisKeyPrefix,
    name: `${name}:notifications`,
  });
}

/**
 * A service's rate-limit buckets: on Redis (shared by its replicas) when REDIS_URL is set, else in-process.
 * A Redis failure falls back to the in-process buckets and goes to `onError` (log it as a warning).
 */
export function openServiceRateLimiter(
  env: Environment,
  name: string,
  onError: (error: Error) => void,
): RateLimiter {
  return createRateLimiter({
    url: env.redisUrl,
    keyPrefix: `${env.redisKeyPrefix}rate:${name}:`,
    name: `${name}:rate-limit`,
    onError,
  });
}

export function requirePopulationModel(env: Environment): PopulationModel {
  if (!env.populationModelPath)
    throw new Error('POPULATION_MODEL_PATH is required (written by `npm run seed`).');
  return loadPopulationModel(env.populationModelPath);
}
