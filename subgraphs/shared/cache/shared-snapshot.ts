import type { BackgroundWorker } from '../events/background-worker.js';
import type { NotificationChannel } from '../notifications/notification-channel.js';

export interface SharedSnapshotOptions {
  /** Where changes are announced to and heard from the service's other processes. */
  notifications?: NotificationChannel | null;
  /** However the change signal fares, a snapshot is read again after this long. */
  ttlMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/** However the change signal fares, a snapshot is read again after this long (the default). */
export const SNAPSHOT_TTL_MS = 30_000;

/**
 * A small set of documents held in memory instead of read on every request: one that changes when an
 * operator or a sync writes it, not per request. It is read again on the next request after a change:
 * `changed()` (called by whatever writes the documents) drops it at once in this process and publishes the
 * change on `topic` to the others, which drop theirs when they hear it. Since a notification may be lost
 * (docs of `NotificationChannel`), a snapshot is also never older than `ttlMs`. A read that fails is not kept.
 * Every request shares the value read, so it must never be changed.
 */
export class SharedSnapshot<T> implements BackgroundWorker {
  private value: Promise<T> | null = null;
  private readAtMs = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private readonly notifications: NotificationChannel | null;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** How many times the documents were read from the store. */
  reads = 0;

  constructor(
    readonly name: string,
    private readonly topic: string,
    private readonly read: () => Promise<T>,
    options: SharedSnapshotOptions = {},
  ) {
    this.notifications = options.notifications ?? null;
    this.ttlMs = options.ttlMs ?? SNAPSHOT_TTL_MS;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
  }

  /** The documents as of the last change, read from the store when this process does not hold them. */
  current(): Promise<T> {
    if (this.value && this.now() - this.readAtMs < this.ttlMs) return this.value;
    this.readAtMs = this.now();
    this.reads += 1;
    const value = this.read();
    this.value = value;
    value.catch(() => {
      if (this.value === value) this.value = null;
    });
    return value;
  }

  /**
   * This process's snapshot is dropped at once; the other processes are told (best effort: an announcement
   * that fails goes to `onError`, and the TTL covers it), so a writer never fails for it.
   */
  async changed(reason: string): Promise<void> {
    this.drop();
    await this.notifications?.publish(this.topic, reason).catch(this.onError);
  }

  /** Drops the snapshot: the next request reads again (a read under way is not kept). */
  drop(): void {
    this.value = null;
  }

  start(): void {
    if (!this.notifications || this.unsubscribe) return;
    this.notifications
      .subscribe(this.topic, () => this.drop())
      .then((unsubscribe) => {
        this.unsubscribe = unsubscribe;
        // A change announced while subscribing would otherwise wait for the TTL.
        this.drop();
      })
      .catch(this.onError);
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.().catch(this.onError);
  }
}
