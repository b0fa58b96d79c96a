import type { PublishedEventLog } from '../../brand/data/published-event-log.js';
import { encodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { ActivityStream } from '../../shared/streams/activity-stream.js';
import type { ReconciliationStore } from '../data/reconciliation-store.js';
import type { EarningRules } from '../domain/earning-rules.js';
import type { PublishedActivity, ReconciliationTiming } from '../domain/ledger-reconciliation.js';
import {
  recordableSubscriptions,
  subscriptionsMissing,
} from '../domain/membership/subscription-reconciliation.js';
import { activityKey } from '../../shared/events/member-activity-message.js';
import {
  activitiesMissingFromLedger,
  advanceWatermark,
  expectedLedgerKeys,
  reconciliationWindow,
} from '../domain/ledger-reconciliation.js';

export interface LedgerReconcilerOptions {
  /** Each brand's published-event log (read-only, in the brand's database). */
  sources: readonly PublishedEventLog[];
  store: ReconciliationStore;
  /** Where missing events are published again; the points consumer takes them from there. */
  stream: ActivityStream;
  rules: EarningRules;
  timing: ReconciliationTiming;
  /** Events read, and ledger keys looked up, per round trip. */
  batchSize?: number;
  /** Per brand and run: a backlog larger than this is continued by the next run. */
  maxEventsPerRun?: number;
  now?: () => Date;
}

export interface RunOptions {
  /** Check from this publication time instead of the watermark (an operator's re-check). */
  since?: Date;
  /** Count only: publish nothing, move no watermark. */
  dryRun?: boolean;
  /** Only these brands (default: every brand). */
  partners?: readonly string[];
  /** Called after every page, with the brand's running totals. */
  onProgress?: (progress: BrandReconciliation) => void;
}

export interface BrandReconciliation {
  partner: string;
  from: Date | null;
  until: Date | null;
  /** Published events read. */
  scanned: number;
  /** Of those, events that must have a ledger entry (or, subscriptions, a membership history entry). */
  expected: number;
  missing: number;
  republished: number;
  /** False when the run stopped at `maxEventsPerRun`; the next run goes on from where it stopped. */
  complete: boolean;
}

export interface ReconciliationReport {
  dryRun: boolean;
  brands: BrandReconciliation[];
}

/**
 * The reconciliation sweep (docs/architecture.md §6): Redis is a transport, not the source of truth. For
 * each brand it reads the events published since its watermark (less a lookback), looks their ledger keys up
 * in batches, and publishes again those the ledger lacks, then moves the watermark. The points consumer is
 * idempotent per key, so a republished event that was only late is credited once all the same.
 *
 * Single-flight: a run asked for while one is in progress gets that run's report.
 */
export class LedgerReconciler {
  private inFlight: Promise<ReconciliationReport> | null = null;
  private readonly now: () => Date;

  constructor(private readonly options: LedgerReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get partners(): string[] {
    return this.options.sources.map((source) => source.partner);
  }

  run(options: RunOptions = {}): Promise<ReconciliationReport> {
    this.inFlight ??= this.runAll(options).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async runAll(options: RunOptions): Promise<ReconciliationReport> {
    const brands: BrandReconciliation[] = [];
    for (const source of this.options.sources) {
      if (options.partners && !options.partners.includes(source.partner)) continue;
      brands.push(await this.reconcileBrand(source, options));
    }
    return { dryRun: options.dryRun ?? false, brands };
  }

  private async reconcileBrand(source: PublishedEventLog, options: RunOptions): Promise<BrandReconciliation> {
    const { store, rules, timing } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    const maxEvents = this.options.maxEventsPerRun ?? 100_000;
    const watermark = await store.watermark(source.partner);
    const window = reconciliationWindow({
      now: this.now(),
      watermark,
      since: options.since ?? null,
      timing,
    });
    const result: BrandReconciliation = {
      partner: source.partner,
      from: window?.from ?? null,
      until: window?.until ?? null,
      scanned: 0,
      expected: 0,
      missing: 0,
      republished: 0,
      complete: true,
    };
    if (!window) return result;
    let cursor: { publishedAt: Date; id: string } | null = null;
    for (;;) {
      const page = await source.page({ ...window, cursor, limit: batchSize });
      if (page.length === 0) break;
      const activities: PublishedActivity[] = page.map((e) => ({
        eventId: e._id,
        publishedAt: e.publishedAt,
        message: e.message ?? null,
      }));
      const keys = expectedLedgerKeys(activities, rules);
      const subscriptions = recordableSubscriptions(activities.map((a) => a.message));
      const missing = [
        ...activitiesMissingFromLedger(activities, await store.ledgerKeysPresent(keys), rules),
        // Subscriptions earn nothing: they are looked for in the membership histories instead.
        ...subscriptionsMissing(
          subscriptions,
          await store.subscriptionKeysRecorded(subscriptions.map(activityKey)),
        ),
      ];
      if (missing.length > 0 && !options.dryRun) {
        await this.options.stream.publish(missing.map(encodeActivityMessage));
        result.republished += missing.length;
      }
      result.scanned += page.length;
      result.expected += keys.length + subscriptions.length;
      result.missing += missing.length;
      const last = page[page.length - 1];
      cursor = { publishedAt: last.publishedAt, id: last._id };
      options.onProgress?.({ ...result });
      if (page.length < batchSize) break;
      if (result.scanned >= maxEvents) {
        result.complete = false;
        break;
      }
    }
    if (!options.dryRun) {
      // Stopped part-way: events sharing the last one's publication time may still be unread.
      const checkedThrough = result.complete ? window.until : new Date(cursor!.publishedAt.getTime() - 1);
      await store.saveWatermark(source.partner, advanceWatermark(watermark, checkedThrough));
    }
    return result;
  }
}
