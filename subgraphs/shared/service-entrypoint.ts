import type { Environment } from './config/environment.js';
import { readEnvironment } from './config/environment.js';
import type { PartnerRegistry } from './config/partner-registry.js';
import { loadPartnerRegistry } from './config/partner-registry.js';
import { partnerRegistryPath } from './config/paths.js';
import type { DatabaseHandle } from './db/mongo-connection.js';
import { databaseName, openDatabase } from './db/mongo-connection.js';
import type { PopulationModel } from './domain/population-model.js';
import { loadPopulationModel } from './domain/population-model.js';
import type { RunningHttpServer } from './http/apollo-http-server.js';
import { createKeyValueCache } from './cache/create-key-value-cache.js';
import type { KeyValueCache } from './cache/key-value-cache.js';
import { createActivityStream } from './streams/create-activity-stream.js';
import type { ActivityStream } from './streams/activity-stream.js';

/**
 * Start-up of one deployed service (one process per subgraph, as in docker-compose): read and validate the
 * environment and the registry, fail fast naming what is wrong, and stop cleanly on SIGINT/SIGTERM.
 */
export async function runService(
  name: string,
  start: (ctx: {
    env: Environment;
    registry: PartnerRegistry;
  }) => Promise<{ server: RunningHttpServer; close?: () => Promise<void> }>,
): Promise<void> {
  try {
    const env = readEnvironment();
    const registry = loadPartnerRegistry(partnerRegistryPath());
    const { server, close } = await start({ env, registry });
    console.log(`${name} listening at ${server.url}`);
    const stop = async () => {
      await server.close();
      await close?.();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  } catch (error) {
    console.error(`${name} cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

export async function openServiceDatabase(env: Environment, service: string): Promise<DatabaseHandle> {
  if (!env.mongodbUri)
    throw new Error(
      'MONGODB_URI is required for a service on its own (`npm start` runs an embedded store instead).',
    );
  return openDatabase(env.mongodbUri, databaseName(env.mongodbDbPrefix, service));
}

/** The member-activity stream on REDIS_URL (in-process without it: only useful when every service shares the process). */
export function openServiceActivityStream(env: Environment, name: string): ActivityStream {
  return createActivityStream({ url: env.redisUrl, keyPrefix: env.redisKeyPrefix, name });
}

/** The service's cache on REDIS_URL (in-process without it); failures it answers around are logged. */
export function openServiceCache(env: Environment, name: string): KeyValueCache {
  return createKeyValueCache({
    url: env.redisUrl,
    keyPrefix: env.redisKeyPrefix,
    name: `${name}:cache`,
    onError: (error) => console.error(`${name}: ${error.message}`),
  });
}

export function requirePopulationModel(env: Environment): PopulationModel {
  if (!env.populationModelPath)
    throw new Error('POPULATION_MODEL_PATH is required (written by `npm run seed`).');
  return loadPopulationModel(env.populationModelPath);
}
