import type { BenefitsContext } from './context.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { PopulationModel } from '../shared/domain/population-model.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import { createProgrammeCalendar } from '../shared/domain/programme-calendar.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { mongoReadiness, streamReadiness } from '../shared/http/store-readiness.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { createBenefitLoaders } from './data/benefit-loaders.js';
import { benefitModel, syncCatalogueFromRegistry } from './data/catalogue-model.js';
import { PointsLedger, pointsLedgerModel } from './data/points-ledger.js';
import type { EarningRules } from './domain/earning-rules.js';
import { openCampaignServices } from './data/campaigns/campaign-services.js';
import { activityCountsHandler } from './events/activity-counts-consumer.js';
import { campaignEarningHandler } from './events/campaign-earning-consumer.js';
import { pointsEarningHandler } from './events/points-consumer.js';
import { campaignPermissions } from './schema/campaign-permissions.js';
import { campaignResolvers } from './schema/campaign-resolvers.js';
import { benefitsPermissions } from './schema/benefits-permissions.js';
import { benefitsResolvers } from './schema/benefits-resolvers.js';
import { walletPermissions } from './schema/wallet-permissions.js';
import { walletResolvers } from './schema/wallet-resolvers.js';

export interface BenefitsSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  model: PopulationModel;
  earningRules: EarningRules;
  /** The member-activity stream the points consumer reads. */
  activityStream: ActivityStream;
  internalTokenSecret: string;
  /** Name of this instance in the points consumer group (one per process). */
  consumerName?: string;
  introspection?: boolean;
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
}

export const POINTS_CONSUMER_GROUP = 'benefits-points';
/** Campaign points and activity counts read the same stream in groups of their own, so each keeps its own pace. */
export const CAMPAIGN_CONSUMER_GROUP = 'benefits-campaigns';
export const ACTIVITY_CONSUMER_GROUP = 'benefits-activity';

/** The benefits subgraph: catalogue, matched bundles, and the points wallet fed by the event stream. */
export async function createBenefitsSubgraph(options: BenefitsSubgraphOptions): Promise<{
  service: SubgraphService<BenefitsContext>;
  ledger: PointsLedger;
  pointsConsumer: StreamConsumer;
  campaignConsumer: StreamConsumer;
  activityConsumer: StreamConsumer;
}> {
  const benefits = benefitModel(options.db.connection);
  const Ledger = pointsLedgerModel(options.db.connection);
  await Promise.all([benefits.init(), Ledger.init()]);
  await syncCatalogueFromRegistry(benefits, options.registry);
  const ledger = new PointsLedger(Ledger);
  const now = options.now ?? (() => new Date());
  const pointsConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: POINTS_CONSUMER_GROUP,
    consumer: options.consumerName ?? `benefits-${process.pid}`,
    handle: pointsEarningHandler(ledger, options.earningRules),
    onError: options.onWorkerError,
  });
  const campaigns = await openCampaignServices(
    options.db.connection,
    createProgrammeCalendar(options.registry.programmeTimeZone),
    now,
  );
  const consumerName = options.consumerName ?? `benefits-${process.pid}`;
  const campaignConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: CAMPAIGN_CONSUMER_GROUP,
    consumer: consumerName,
    handle: campaignEarningHandler({
      store: campaigns.store,
      grants: campaigns.grants,
      ledger,
      facts: campaigns.facts,
      rules: options.earningRules,
      calendar: campaigns.calendar,
    }),
    onError: options.onWorkerError,
  });
  const activityConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: ACTIVITY_CONSUMER_GROUP,
    consumer: consumerName,
    handle: activityCountsHandler(campaigns.counters),
    onError: options.onWorkerError,
  });
  const service = defineSubgraph<BenefitsContext>({
    name: 'benefits',
    typeDefs: subgraphDocument({ kind: 'benefits', partners: options.registry.partners }),
    resolvers: [
      benefitsResolvers({ registry: options.registry, model: options.model, now }),
      walletResolvers(),
      campaignResolvers({ registry: options.registry, model: options.model, now }),
    ],
    permissions: [benefitsPermissions(), walletPermissions(), campaignPermissions()],
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({
      ...identity,
      loaders: createBenefitLoaders(benefits, Ledger, now),
      benefits,
      ledger,
      campaigns,
    }),
    workers: [pointsConsumer, campaignConsumer, activityConsumer],
    readiness: [mongoReadiness(options.db), streamReadiness(options.activityStream)],
  });
  return { service, ledger, pointsConsumer, campaignConsumer, activityConsumer };
}
