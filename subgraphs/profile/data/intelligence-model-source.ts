import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import type { NotificationChannel } from '../../shared/notifications/notification-channel.js';
import type { IntelligenceModel } from '../domain/intelligence-model.js';
import type { IntelligenceStore } from './intelligence-store.js';

/** The topic a training job announces a new version on (the message is the version). */
export const INTELLIGENCE_MODEL_TOPIC = 'model:intelligence';
/** The safety net when a notification is lost (Redis pub/sub keeps nothing for a subscriber that was away). */
export const DEFAULT_MODEL_POLL_MS = 60_000;

export async function announceIntelligenceModel(
  channel: NotificationChannel,
  version: string,
): Promise<void> {
  await channel.publish(INTELLIGENCE_MODEL_TOPIC, version);
}

export interface IntelligenceModelSourceOptions {
  pollMs?: number;
  onError?: (error: unknown) => void;
  /** Told each time a new version is in use (logs, tests). */
  onChange?: (version: string) => void;
  /**
   * Told each time a training run published, whether or not the version changed: a run also stores the
   * members' evaluated tiers, so answers that show tiers are then out of date.
   */
  onPublication?: () => void;
}

/**
 * The model version a running profile subgraph applies, switched without a restart. The profile database is
 * the source of truth (its `current` document names the version); a notification only says "look now", and a
 * poll looks anyway every `pollMs`. A version is swapped in whole, after it has been read in full, so a
 * request sees either the old model or the new one, never a mix.
 */
export class IntelligenceModelSource implements BackgroundWorker {
  readonly name = 'intelligence-model';
  private model: IntelligenceModel | null = null;
  private publishedAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly store: IntelligenceStore,
    private readonly notifications: NotificationChannel | null,
    private readonly options: IntelligenceModelSourceOptions = {},
  ) {
    this.onError = options.onError ?? (() => undefined);
  }

  /** The model in use; null before the first training. */
  current(): IntelligenceModel | null {
    return this.model;
  }

  /**
   * Reads the current version and swaps it in when it differs. Calls while one is running are folded into
   * one more check after it, so a notification that arrives mid-read is never lost.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.loadCurrent();
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.refresh().catch(this.onError),
      this.options.pollMs ?? DEFAULT_MODEL_POLL_MS,
    );
    this.timer.unref();
    if (this.notifications) {
      this.notifications
        // Also for the version in use: the run may have evaluated the tiers again.
        .subscribe(INTELLIGENCE_MODEL_TOPIC, () => void this.refresh().catch(this.onError))
        .then((unsubscribe) => (this.unsubscribe = unsubscribe))
        .catch(this.onError);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unsubscribe?.().catch(this.onError);
    this.unsubscribe = null;
    await this.refreshing?.catch(() => undefined);
  }

  private async loadCurrent(): Promise<void> {
    const publication = await this.store.currentPublication();
    if (!publication) return;
    const { version } = publication;
    const publishedAt = publication.publishedAt.getTime();
    if (version !== this.model?.version) {
      const model = await this.store.loadModel(version);
      if (!model) throw new Error(`Intelligence model ${version} is named current but is not stored`);
      this.model = model;
      this.options.onChange?.(version);
    } else if (publishedAt === this.publishedAt) {
      return;
    }
    this.publishedAt = publishedAt;
    this.options.onPublication?.();
  }
}
