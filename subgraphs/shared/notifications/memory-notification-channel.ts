import { EventEmitter } from 'node:events';
import type { NotificationChannel } from './notification-channel.js';

/**
 * Notifications within one process: what `npm start` and tests without REDIS_URL use, where the training job
 * and the services share the process (and are handed the same channel).
 */
export class MemoryNotificationChannel implements NotificationChannel {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(topic: string, message: string): Promise<void> {
    // Delivered on a later tick, as a network channel would: a publisher never runs subscribers' code inline.
    setImmediate(() => this.emitter.emit(topic, message));
  }

  async subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.emitter.on(topic, handler);
    return async () => void this.emitter.off(topic, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
