import type { Redis } from 'ioredis';
import { closeRedis, duplicateRedis } from '../redis-connection.js';
import type { NotificationChannel } from './notification-channel.js';

/**
 * Notifications over Redis PUBLISH/SUBSCRIBE. A connection in subscriber mode can run no other command, so
 * subscriptions get a duplicate of the publishing connection, opened on first use; ioredis re-subscribes
 * after a reconnect. Topics are prefixed like every other key of the deployment.
 */
export class RedisNotificationChannel implements NotificationChannel {
  private subscriber: Redis | null = null;
  /** Per subscribed channel: its handlers, and the SUBSCRIBE every subscriber waits for before returning. */
  private readonly channels = new Map<
    string,
    { handlers: Set<(message: string) => void>; ready: Promise<unknown> }
  >();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  async publish(topic: string, message: string): Promise<void> {
    await this.connection.publish(`${this.prefix}${topic}`, message);
  }

  async subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const channel = `${this.prefix}${topic}`;
    const subscriber = this.openSubscriber();
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { handlers: new Set(), ready: subscriber.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    const { handlers } = entry;
    handlers.add(handler);
    try {
      await entry.ready;
    } catch (error) {
      handlers.delete(handler);
      if (this.channels.get(channel) === entry && handlers.size === 0) this.channels.delete(channel);
      throw error;
    }
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.channels.get(channel) === entry) {
        this.channels.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all([this.subscriber ? closeRedis(this.subscriber) : null, closeRedis(this.connection)]);
  }

  private openSubscriber(): Redis {
    if (!this.subscriber) {
      this.subscriber = duplicateRedis(this.connection);
      this.subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.channels.get(channel)?.handlers ?? []) handler(message);
      });
    }
    return this.subscriber;
  }
}
