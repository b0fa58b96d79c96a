import type { BrandContext } from './context.js';
import type { PartnerConfig } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import { IntervalWorker } from '../shared/events/background-worker.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { BrandAccountStore } from './data/brand-account-store.js';
import { createBrandLoaders } from './data/brand-loaders.js';
import { brandModels } from './data/brand-models.js';
import type { IngestFaults } from './ingest/brand-event-ingestor.js';
import { BrandEventIngestor } from './ingest/brand-event-ingestor.js';
import { ingestRoute } from './ingest/ingest-route.js';
import { OutboxRelay } from './ingest/outbox-relay.js';
import { brandPermissions } from './schema/brand-permissions.js';
import { brandResolvers } from './schema/brand-resolvers.js';

export interface BrandSubgraphOptions {
  partner: PartnerConfig;
  db: DatabaseHandle;
  /** Where the outbox relay publishes applied events. */
  activityStream: ActivityStream;
  internalTokenSecret: string;
  /** The HMAC secret the partner signs its events with. */
  partnerSecret: string;
  introspection?: boolean;
  /** Clock for the rolling window (tests pin it). */
  now?: () => Date;
  /** Test hooks that crash ingestion between its writes. */
  faults?: IngestFaults;
  onWorkerError?: (error: unknown) => void;
}

export interface BrandSubgraph {
  service: SubgraphService<BrandContext>;
  accounts: BrandAccountStore;
  ingestor: BrandEventIngestor;
  relay: OutboxRelay;
}

/** How often events a crash left half-done are finished. */
const RECOVERY_INTERVAL_MS = 30_000;

/** One brand subgraph: the same code for every partner, configured by its registry entry. */
export async function createBrandSubgraph(options: BrandSubgraphOptions): Promise<BrandSubgraph> {
  const models = brandModels(options.db.connection);
  await Promise.all([models.Account.init(), models.Order.init(), models.Event.init()]);
  const now = options.now ?? (() => new Date());
  const relay = new OutboxRelay(models.Event, options.activityStream, { onError: options.onWorkerError });
  const ingestor = new BrandEventIngestor(models, options.partner, {
    now,
    faults: options.faults,
    onApplied: () => relay.kick(),
  });
  const recovery = new IntervalWorker(
    'ingest-recovery',
    RECOVERY_INTERVAL_MS,
    () => ingestor.recover(),
    options.onWorkerError,
  );
  const service = defineSubgraph<BrandContext>({
    name: options.partner.key,
    resolvers: brandResolvers(options.partner, now),
    permissions: brandPermissions(options.partner.key),
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({ ...identity, loaders: createBrandLoaders(models) }),
    routes: [ingestRoute(ingestor, options.partnerSecret)],
    workers: [relay, recovery],
  });
  return { service, accounts: new BrandAccountStore(models), ingestor, relay };
}
