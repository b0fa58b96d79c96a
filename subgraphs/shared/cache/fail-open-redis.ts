import type { Redis } from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';

export interface FailOpenOptions {
  /** Also the connection's `commandTimeout`: what a hung Redis may cost one call. */
  timeoutMs: number;
  /** After a timeout, calls skip Redis this long, so a hung server costs one timeout, not one per call. */
  coolDownMs: number;
  onError: (error: Error) => void;
}

/** What a cache reports when it answered without Redis; `cause` is Redis's own error. */
export class CacheUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`cache ${operation} skipped: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CacheUnavailableError';
  }
}

const SETTLING_EVENTS = ['ready', 'error', 'close', 'end'] as const;

/**
 * Runs request-path Redis commands that must never hold a request up, on a connection made with
 * `enableOfflineQueue: false` and `commandTimeout: timeoutMs`:
 * - Redis down (refused, reconnecting): ioredis rejects at once instead of queueing, so a request pays
 *   nothing and no queue grows;
 * - Redis hung (connected, not answering): the command times out after `timeoutMs`, then Redis is skipped
 *   for `coolDownMs`;
 * - start-up: the first connection attempt is waited for, once, up to `timeoutMs`, so the first requests use
 *   Redis rather than miss while it connects. After that nothing waits for a connection.
 * Any failure goes to `onError` and the call answers `fallback`.
 */
export class FailOpenRedis {
  private connecting: Promise<void> | null;
  private skipUntil = 0;

  constructor(
    readonly redis: Redis,
    private readonly options: FailOpenOptions,
  ) {
    this.connecting =
      redis.status === 'ready'
        ? null
        : new Promise((resolve) => {
            const settled = () => {
              for (const event of SETTLING_EVENTS) redis.off(event, settled);
              this.connecting = null;
              resolve();
            };
            for (const event of SETTLING_EVENTS) redis.on(event, settled);
          });
  }

  async run<T>(operation: string, command: (redis: Redis) => Promise<T>, fallback: T): Promise<T> {
    try {
      if (Date.now() < this.skipUntil)
        throw new Error(`Redis timed out less than ${this.options.coolDownMs} ms ago`);
      if (this.connecting) await this.firstConnection();
      return await command(this.redis);
    } catch (error) {
      if (error instanceof Error && error.message === 'Command timed out')
        this.skipUntil = Date.now() + this.options.coolDownMs;
      this.options.onError(new CacheUnavailableError(operation, error));
      return fallback;
    }
  }

  /** Waits for the first connection attempt, once: a server that never answers it is not waited for again. */
  private async firstConnection(): Promise<void> {
    const timeout = new AbortController();
    await Promise.race([
      this.connecting,
      delay(this.options.timeoutMs, undefined, { signal: timeout.signal, ref: false }).catch(() => undefined),
    ]);
    timeout.abort();
    this.connecting = null;
  }
}
