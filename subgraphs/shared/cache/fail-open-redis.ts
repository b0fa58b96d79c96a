import type { Redis } from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';

export interface FailOpenOptions {
  /** What a hung Redis may cost one call (the connection's `commandTimeout` is a backstop above it). */
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
const TIMED_OUT = 'Command timed out';

/**
 * The `commandTimeout` of a connection `FailOpenRedis` runs on: far above its own timeout, only a backstop,
 * since the connection's timer would fire before a reply that arrived while this process was busy is read.
 */
export const backstopCommandTimeout = (timeoutMs: number): number => timeoutMs * 20;

/**
 * `promise`, or a timeout after `ms`. When the timer fires, the answer may already be waiting in the socket
 * (this process was busy: a long synchronous task holds timers and I/O alike, and timers run first), so the
 * timeout is declared only after one turn of I/O has had the chance to deliver it.
 */
function withinTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new Error(TIMED_OUT));
        }),
      ms,
    );
    promise.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Runs request-path Redis commands that must never hold a request up, on a connection made with
 * `enableOfflineQueue: false` (and `commandTimeout: backstopCommandTimeout(timeoutMs)`):
 * - Redis down (refused, reconnecting): ioredis rejects at once instead of queueing, so a request pays
 *   nothing and no queue grows;
 * - Redis hung (connected, not answering): the command times out after `timeoutMs`, then Redis is skipped
 *   for `coolDownMs`. An answer that arrived while this process was too busy to read it is not a timeout;
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
      return await withinTimeout(command(this.redis), this.options.timeoutMs);
    } catch (error) {
      if (error instanceof Error && error.message === TIMED_OUT)
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
