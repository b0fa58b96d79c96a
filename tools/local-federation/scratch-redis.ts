import { createKeyValueCache } from '../../subgraphs/shared/cache/create-key-value-cache.js';
import type { KeyValueCache } from '../../subgraphs/shared/cache/key-value-cache.js';
import type { ActivityStream } from '../../subgraphs/shared/streams/activity-stream.js';
import {
  LIFECYCLE_STREAM_KEY,
  createActivityStream,
} from '../../subgraphs/shared/streams/create-activity-stream.js';
import { deleteRedisKeys } from './delete-redis-keys.js';
import { createNotificationChannel } from '../../subgraphs/shared/notifications/create-notification-channel.js';
import type { NotificationChannel } from '../../subgraphs/shared/notifications/notification-channel.js';

export interface ScratchRedis {
  activityStream: ActivityStream;
  /** Member links, unlinks and erasures, from the profile to the other stores. */
  lifecycleStream: ActivityStream;
  cache: KeyValueCache;
  /** Notifications (new model versions): Redis pub/sub, or in-process. */
  notifications: NotificationChannel;
  /** Closes them and, on Redis, deletes every key under the prefix. */
  close(): Promise<void>;
}

/**
 * The activity stream and the cache of a test run or a benchmark, under a key prefix of its own: on the
 * Redis at `url`, or in-process without one.
 */
export function openScratchRedis(options: {
  url: string | undefined;
  keyPrefix: string;
  onCacheError: (error: Error) => void;
  cacheTimeoutMs?: number;
}): ScratchRedis {
  const { url, keyPrefix } = options;
  const activityStream = createActivityStream({ url, keyPrefix });
  const lifecycleStream = createActivityStream({ url, keyPrefix, streamKey: LIFECYCLE_STREAM_KEY });
  const cache = createKeyValueCache({
    url,
    keyPrefix,
    onError: options.onCacheError,
    timeoutMs: options.cacheTimeoutMs,
  });
  const notifications = createNotificationChannel({ url, keyPrefix });
  return {
    activityStream,
    lifecycleStream,
    cache,
    notifications,
    close: async () => {
      await Promise.all([
        activityStream.close(),
        lifecycleStream.close(),
        cache.close(),
        notifications.close(),
      ]);
      if (url) await deleteRedisKeys(url, keyPrefix);
    },
  };
}
