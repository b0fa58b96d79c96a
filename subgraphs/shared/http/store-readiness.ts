import type { DatabaseHandle } from '../db/mongo-connection.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { ReadinessCheck } from './readiness.js';

/** The service's MongoDB database answers a ping: its source of truth is reachable. */
export const mongoReadiness = (db: DatabaseHandle): ReadinessCheck => ({
  name: 'mongodb',
  check: async () => {
    const database = db.connection.db;
    if (!database) throw new Error('the connection has no database yet');
    await database.command({ ping: 1 });
  },
});

/**
 * Redis answers a ping. Not required: queries are answered without it, and events wait in the outbox until
 * it is back; `/ready` reports it as degraded.
 */
export const redisReadiness = (redis: RedisClient): ReadinessCheck => ({
  name: 'redis',
  required: false,
  check: () => redis.ping(),
});
