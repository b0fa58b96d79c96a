import { connectRedis } from '../redis-connection.js';
import { MemoryNotificationChannel } from './memory-notification-channel.js';
import type { NotificationChannel } from './notification-channel.js';
import { RedisNotificationChannel } from './redis-notification-channel.js';

export interface NotificationChannelOptions {
  /** `REDIS_URL`; unset or empty: in this process only. */
  url?: string;
  /** Prepended to every topic (REDIS_KEY_PREFIX). */
  keyPrefix?: string;
  /** Connection name shown by CLIENT LIST. */
  name?: string;
}

/** Notifications on Redis pub/sub when `url` is set, else within this process. */
export function createNotificationChannel(options: NotificationChannelOptions = {}): NotificationChannel {
  if (!options.url) return new MemoryNotificationChannel();
  // A publish that cannot reach Redis fails fast: the poll is there for the notification that was lost.
  const connection = connectRedis(options.url, {
    connectionName: options.name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  return new RedisNotificationChannel(connection, options.keyPrefix ?? '');
}
