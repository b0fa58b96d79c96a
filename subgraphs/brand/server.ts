import type { BrandContext } from './context.js';
import type { PartnerConfig } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import { IntervalWorker } from '../shared/events/background-worker.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { mongoReadiness, streamReadiness } from '../shared/http/store-readiness.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { BrandAccountStore } from './data/brand-account-store.js';
import { createBrandLoaders } from './data/brand-loaders.js';
import { brandModels } from './data/brand-models.js';
import { BrandEventIngestor } from './ingest/brand-event-ingestor.js';
import { GuardedEventWriter } from './ingest/guarded-event-writer.js';
import type { IngestObserver } from './ingest/ingest-observer.js';
import { IngestRecovery } from './ingest/ingest-recovery.js';
import type { IngestRateLimit } from './ingest/ingest-route.js';
import { ingestRoute } from './ingest/ingest-route.js';
import { OutboxRelay } from './ingest/outbox-relay.js';
import { DEFAULT_EVENT_RETENTION_DAYS, purgeExpiredEvents } from './data/event-retention.js';
import { BrandLifecycleApplier } from './events/member-lifecycle-consumer.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import { analyticsPermissions } from './schema/analytics-permissions.js';
import { analyticsResolvers } from './schema/analytics-resolvers.js';
import { brandPermissions } from './schema/brand-permissions.js';
import { brandResolvers } from './schema/brand-resolvers.js';
import { exportPermissions } from './schema/export-permissions.js';
import { exportResolvers } from './schema/export-resolvers.js';

export interface BrandSubgraphOptions {
  partner: PartnerConfig;
  db: DatabaseHandle;
  /** Where the outbox relay publishes applied events. */
  activityStream: ActivityStream;
  internalTokenSecret: string;
  /** The HMAC secret the partner signs its events with. */
  partnerSecret: string;
  /** Signed ingest requests the partner may send; none: not limited (tests, benchmarks). */
  ingestRateLimit?: IngestRateLimit;
  introspection?: boolean;
  /** Clock for the rolling window (tests pin it). */
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
  /** Links, unlinks and erasures from the profile; without it the brand applies none (benchmarks). */
  lifecycleStream?: ActivityStream;
  /** Raw events older than this are purged by the retention sweep (default 400 days). */
  eventRetentionDays?: number;
  /** Name of this instance in the lifecycle consumer group (one per process). */
  consumerName?: string;
}

export interface BrandSubgraph {
  service: SubgraphService<BrandContext>;
  accounts: BrandAccountStore;
  ingestor: BrandEventIngestor;
  recovery: IngestRecovery;
  relay: OutboxRelay;
  /** Runs the retention sweep now; resolves with the number of events purged. */
  purgeExpiredEvents(): Promise<number>;
}

/** How often events a crash left half-done are finished. */
const RECOVERY_INTERVAL_MS = 30_000;
/** How often raw events past their retention are purged. */
const RETENTION_INTERVAL_MS = 3_600_000;

/** One brand subgraph: the same code for every partner, configured by its registry entry. */
export async function createBrandSubgraph(options: BrandSubgraphOptions): Promise<BrandSubgraph> {
  const models = brandModels(options.db.connection);
  // syncIndexes, not init: it replaces an index whose definition changed (the accounts' partial filter did,
  // and the events' scans became one partial index of unpublished events) and drops one no longer defined.
  await Promise.all([
    models.Account.syncIndexes(),
    models.Order.init(),
    models.Event.syncIndexes(),
    models.Referral.init(),
  ]);
  const now = options.now ?? (() => new Date());
  const relay = new OutboxRelay(models.Event, options.activityStream, { onError: options.onWorkerError });
  // Applied events wake the relay, so they are published without waiting for its next poll.
  const observer: IngestObserver = {
    afterStep: (step) => {
      if (step === 'applied') relay.kick();
    },
  };
  const writer = new GuardedEventWriter(models, options.partner, { now, observer });
  const ingestor = new BrandEventIngestor(models, options.partner, writer);
  const recovery = new IngestRecovery(models, writer);
  const sweep = new IntervalWorker(
    'ingest-recovery',
    RECOVERY_INTERVAL_MS,
    () => recovery.recover(),
    options.onWorkerError,
  );
  const retentionDays = options.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
  const retention = new IntervalWorker(
    'event-retention',
    RETENTION_INTERVAL_MS,
    () => purgeExpiredEvents(models, retentionDays, now()),
    options.onWorkerError,
  );
  const lifecycleStream = options.lifecycleStream;
  const lifecycle = lifecycleStream
    ? new StreamConsumer({
        stream: lifecycleStream,
        group: `brand-${options.partner.key}-lifecycle`,
        consumer: options.consumerName ?? `brand-${options.partner.key}-${process.pid}`,
        handle: new BrandLifecycleApplier(
          options.partner.key,
          models,
          (payloads) => lifecycleStream.publish(payloads),
          now,
        ).handler(),
        onError: options.onWorkerError,
      })
    : null;
  const service = defineSubgraph<BrandContext>({
    name: options.partner.key,
    typeDefs: subgraphDocument({ kind: 'brand', partner: options.partner }),
    resolvers: [
      brandResolvers(options.partner, now),
      analyticsResolvers(options.partner),
      exportResolvers(options.partner),
    ],
    permissions: [
      brandPermissions(options.partner.key),
      analyticsPermissions(),
      exportPermissions(options.partner.key),
    ],
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({ ...identity, loaders: createBrandLoaders(models), models }),
    routes: [
      ingestRoute(
        ingestor,
        options.partnerSecret,
        options.ingestRateLimit && { ...options.ingestRateLimit, partner: options.partner.key },
      ),
    ],
    workers: [relay, sweep, retention, ...(lifecycle ? [lifecycle] : [])],
    readiness: [mongoReadiness(options.db), streamReadiness(options.activityStream)],
  });
  return {
    service,
    accounts: new BrandAccountStore(models),
    ingestor,
    recovery,
    relay,
    purgeExpiredEvents: () => purgeExpiredEvents(models, retentionDays, now()),
  };
}
