import { connectRedis } from '../redis-connection.js';
import type { ActivityStream } from './activity-stream.js';
import { MemoryActivityStream } from './memory-activity-stream.js';
import { RedisActivityStream } from './redis-activity-stream.js';

export interface ActivityStreamOptions {
  /** `REDIS_URL` (redis:// or rediss://). Unset or empty: the in-process stream. */
  url?: string;
  /** Prepended to the stream key, e.g. 'jmg:' (REDIS_KEY_PREFIX). */
  keyPrefix?: string;
  /** Connection name shown by CLIENT LIST, e.g. 'benefits'. */
  name?: string;
  /** Entries kept (approximately on Redis). */
  maxLength?: number;
  /** The stream's key under the prefix; default: the member-activity stream. */
  streamKey?: string;
}

export const ACTIVITY_STREAM_KEY = 'stream:member-activity';
/** Links, unlinks and erasures the profile announces to the stores that hold the member's data (§7). */
export const LIFECYCLE_STREAM_KEY = 'stream:member-lifecycle';
const MAX_LENGTH = 1_000_000;

/**
 * While Redis is unreachable a command waits for this many reconnection attempts (about 50 + 100 + 200 ms of
 * backoff on a refused connection) and then rejects, so the relay and the consumers see a failure within a
 * second and retry on their own schedule (events wait in the outbox meanwhile). Commands sent before the
 * connection is ready (start-up, a reconnect) wait in ioredis' offline queue under the same bound.
 */
const MAX_RETRIES_PER_REQUEST = 3;

/** The member-activity stream: on Redis when `url` is set, else in this process. */
export function createActivityStream(options: ActivityStreamOptions = {}): ActivityStream {
  const maxLength = options.maxLength ?? MAX_LENGTH;
  if (!options.url) return new MemoryActivityStream(maxLength);
  const connection = connectRedis(options.url, {
    connectionName: options.name,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    enableOfflineQueue: true,
  });
  return new RedisActivityStream(
    connection,
    `${options.keyPrefix ?? ''}${options.streamKey ?? ACTIVITY_STREAM_KEY}`,
    maxLength,
  );
}
