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
import { createRedisClient } from './redis/create-redis-client.js';
import type { RedisClient } from './redis/redis-client.js';

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

/** The service's Redis: REDIS_URL, or the in-process adapter (only useful when every service shares the process). */
export function openServiceRedis(env: Environment, name: string): RedisClient {
  return createRedisClient({ url: env.redisUrl, keyPrefix: env.redisKeyPrefix, name });
}

export function requirePopulationModel(env: Environment): PopulationModel {
  if (!env.populationModelPath)
    throw new Error('POPULATION_MODEL_PATH is required (written by `npm run seed`).');
  return loadPopulationModel(env.populationModelPath);
}
