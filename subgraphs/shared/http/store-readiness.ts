import type { DatabaseHandle } from '../db/mongo-connection.js';
import type { ActivityStream } from '../streams/activity-stream.js';
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
 * The activity stream answers (on Redis: one round trip). Not required: queries are answered without it,
 * and events wait in the outbox until it is back; `/ready` reports it as degraded.
 */
export const streamReadiness = (stream: ActivityStream): ReadinessCheck => ({
  name: 'redis',
  required: false,
  check: async () => {
    await stream.length();
  },
});
