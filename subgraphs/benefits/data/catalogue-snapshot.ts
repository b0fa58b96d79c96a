import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import type { NotificationChannel } from '../../shared/notifications/notification-channel.js';
import type { CatalogueBenefit } from '../domain/match-benefit-bundle.js';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import { toCatalogueBenefit } from './catalogue-model.js';

/** Where a process that changed the catalogue tells the others (the message is the reason, for logs). */
export const CATALOGUE_CHANGED_TOPIC = 'benefits:catalogue-changed';
/** However the change signal fares, a snapshot is read again after this long. */
export const CATALOGUE_TTL_MS = 30_000;

/** The whole catalogue as read at one moment; shared by every request that uses it, so never changed. */
export interface CatalogueView {
  readonly benefits: readonly CatalogueBenefit[];
}

export interface CatalogueSnapshotOptions {
  /** Where changes are announced to and heard from the benefits subgraph's other processes. */
  notifications?: NotificationChannel | null;
  ttlMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * The benefit catalogue held in memory, instead of read on every bundle: a few dozen documents that change
 * when the partner registry is synced, not per request. It is read again on the next request after a change:
 * `changed()` (called by whatever writes the catalogue) drops it at once in this process and publishes the
 * change to the others, which drop theirs when they hear it. Since a notification may be lost (docs of
 * `NotificationChannel`), a snapshot is also never older than `ttlMs`. A read that fails is not kept.
 */
export class CatalogueSnapshot implements BackgroundWorker {
  readonly name = 'catalogue-snapshot';
  private view: Promise<CatalogueView> | null = null;
  private readAtMs = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private readonly notifications: NotificationChannel | null;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** How many times the catalogue was read from the store. */
  reads = 0;

  constructor(
    private readonly Benefit: BenefitModel,
    options: CatalogueSnapshotOptions = {},
  ) {
    this.notifications = options.notifications ?? null;
    this.ttlMs = options.ttlMs ?? CATALOGUE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
  }

  /** The catalogue as of the last change, read from the store when this process does not hold it. */
  current(): Promise<CatalogueView> {
    if (this.view && this.now() - this.readAtMs < this.ttlMs) return this.view;
    this.readAtMs = this.now();
    const view = this.read();
    this.view = view;
    view.catch(() => {
      if (this.view === view) this.view = null;
    });
    return view;
  }

  /** This process's snapshot is dropped at once; the other processes are told (best effort, with the TTL). */
  async changed(reason: string): Promise<void> {
    this.drop();
    await this.notifications?.publish(CATALOGUE_CHANGED_TOPIC, reason);
  }

  /** Drops the snapshot: the next request reads the catalogue again (a read under way is not kept). */
  drop(): void {
    this.view = null;
  }

  start(): void {
    if (!this.notifications || this.unsubscribe) return;
    this.notifications
      .subscribe(CATALOGUE_CHANGED_TOPIC, () => this.drop())
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

  private async read(): Promise<CatalogueView> {
    this.reads += 1;
    const documents = await this.Benefit.find({}).sort({ _id: 1 }).lean<BenefitDocument[]>().exec();
    return Object.freeze({
      benefits: Object.freeze(documents.map((d) => Object.freeze(toCatalogueBenefit(d)))),
    });
  }
}
