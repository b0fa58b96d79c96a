import type { BenefitsContext } from './context.js';
import type { KeyValueCache } from '../shared/cache/key-value-cache.js';
import { MemberResponseGenerations } from '../shared/cache/member-response-generations.js';
import type { Connection } from 'mongoose';
import type { ReconciliationSettings } from '../shared/config/environment.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { PopulationModel } from '../shared/domain/population-model.js';
import type { BackgroundWorker } from '../shared/events/background-worker.js';
import { IntervalWorker } from '../shared/events/background-worker.js';
import { JitteredIntervalWorker } from '../shared/events/jittered-interval-worker.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import { createErasureIndexes } from './data/member-erasure.js';
import { memberErasureHandler } from './events/member-erasure-consumer.js';
import { privacyPermissions } from './schema/privacy-permissions.js';
import { privacyResolvers } from './schema/privacy-resolvers.js';
import { createProgrammeCalendar } from '../shared/domain/programme-calendar.js';
import { serviceLogger } from '../shared/observability/logger.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { mongoReadiness, streamReadiness } from '../shared/http/store-readiness.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { createBenefitLoaders } from './data/benefit-loaders.js';
import { benefitModel, syncCatalogueFromRegistry } from './data/catalogue-model.js';
import { CatalogueSnapshot } from './data/catalogue-snapshot.js';
import type { NotificationChannel } from '../shared/notifications/notification-channel.js';
import { PointsLedger, pointsLedgerModel } from './data/points-ledger.js';
import { MemberTiers } from './data/member-tiers.js';
import { MemberLinks } from './data/member-links.js';
import { SettlementMonths, SettlementStore, registrySettlementTerms } from './data/settlement-store.js';
import { settlementPermissions } from './schema/settlement-permissions.js';
import { settlementResolvers } from './schema/settlement-resolvers.js';
import { PointsWallet } from './data/points-wallet.js';
import type { RedemptionsOptions } from './data/redemptions.js';
import { Redemptions } from './data/redemptions.js';
import type { WalletStoreOptions } from './data/wallet-store.js';
import { WalletStore, walletCollection } from './data/wallet-store.js';
import type { EarningRules } from './domain/earning-rules.js';
import { openCampaignServices } from './data/campaigns/campaign-services.js';
import { openMembershipServices } from './data/membership/membership-services.js';
import { membershipPermissions } from './schema/membership-permissions.js';
import { membershipResolvers } from './schema/membership-resolvers.js';
import { activityCountsHandler } from './events/activity-counts-consumer.js';
import { campaignEarningHandler } from './events/campaign-earning-consumer.js';
import { pointsEarningHandler } from './events/points-consumer.js';
import { BenefitFeedbackStore } from './data/benefit-feedback-store.js';
import { campaignPermissions } from './schema/campaign-permissions.js';
import { feedbackPermissions } from './schema/feedback-permissions.js';
import { feedbackResolvers } from './schema/feedback-resolvers.js';
import { campaignResolvers } from './schema/campaign-resolvers.js';
import { createLedgerReconciler } from './events/create-ledger-reconciler.js';
import type { LedgerReconciler, ReconciliationReport } from './events/ledger-reconciler.js';
import { expiryRule } from './domain/expiry-policy.js';
import { LedgerAnalytics } from './data/ledger-analytics.js';
import { LedgerRollups } from './data/ledger-rollups.js';
import { analyticsPermissions } from './schema/analytics-permissions.js';
import { analyticsResolvers } from './schema/analytics-resolvers.js';
import { RedemptionAnalytics } from './data/redemption-analytics.js';
import { benefitsPermissions } from './schema/benefits-permissions.js';
import { benefitsResolvers } from './schema/benefits-resolvers.js';
import { checkoutPermissions } from './schema/checkout-permissions.js';
import { checkoutResolvers } from './schema/checkout-resolvers.js';
import { redemptionPermissions } from './schema/redemption-permissions.js';
import { redemptionResolvers } from './schema/redemption-resolvers.js';
import { walletPermissions } from './schema/wallet-permissions.js';
import { walletResolvers } from './schema/wallet-resolvers.js';

/** Stream entries the points consumer applies at once. */
const POINTS_BATCH_SIZE = 500;

export interface BenefitsSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  /** The profile database, read-only: which partners a member is linked to (checkout spends only those). */
  profileConnection: Connection;
  model: PopulationModel;
  earningRules: EarningRules;
  /** The member-activity stream the points consumer reads. */
  activityStream: ActivityStream;
  /** Erase commands from the profile (docs/architecture.md §7); without it the benefits store is not erased. */
  lifecycleStream?: ActivityStream;
  internalTokenSecret: string;
  /**
   * Where catalogue changes are announced between the service's processes; without it a process sees
   * another's change within `CATALOGUE_TTL_MS`.
   */
  notifications?: NotificationChannel;
  /** Name of this instance in the points consumer group (one per process). */
  consumerName?: string;
  introspection?: boolean;
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
  /**
   * The reconciliation sweep: each brand's database (read-only: its published events) and the schedule.
   * Without it the service runs no sweep.
   */
  reconciliation?: {
    brandConnections: ReadonlyMap<string, Connection>;
    settings: ReconciliationSettings;
    /** Told of every periodic run's report (the service logs those that republished anything). */
    onReport?: (report: ReconciliationReport) => void;
  };
  /**
   * Shared with the gateway (Redis, or this process's cache when they share it): each wallet change advances
   * the member's response generation there, so the gateway's cached answers for the member are dropped.
   */
  responseGenerations?: KeyValueCache;
  /** How often the service expires due points and finishes wallet changes a crash left half-written. */
  walletMaintenanceEveryMs?: number;
  /** Test hook: called after each step of a wallet write (throw to simulate a crash there). */
  afterWalletStep?: WalletStoreOptions['afterStep'];
  /** Test hook: called after each step of a redemption (throw to simulate a crash there). */
  afterRedemptionStep?: RedemptionsOptions['afterStep'];
}

export const POINTS_CONSUMER_GROUP = 'benefits-points';
/** Campaign points and activity counts read the same stream in groups of their own, so each keeps its own pace. */
export const CAMPAIGN_CONSUMER_GROUP = 'benefits-campaigns';
export const ACTIVITY_CONSUMER_GROUP = 'benefits-activity';
/** Erase commands on the member-lifecycle stream. */
export const ERASURE_CONSUMER_GROUP = 'benefits-erasure';

/** The benefits subgraph: catalogue, matched bundles, and the points wallet fed by the event stream. */
export async function createBenefitsSubgraph(options: BenefitsSubgraphOptions): Promise<{
  service: SubgraphService<BenefitsContext>;
  /** The catalogue this process holds: whatever writes benefits calls its `changed`. */
  catalogue: CatalogueSnapshot;
  ledger: PointsLedger;
  wallet: PointsWallet;
  redemptions: Redemptions;
  settlement: SettlementStore;
  pointsConsumer: StreamConsumer;
  campaignConsumer: StreamConsumer;
  activityConsumer: StreamConsumer;
  /** Null without `reconciliation`. */
  reconciler: LedgerReconciler | null;
}> {
  const benefits = benefitModel(options.db.connection);
  const Ledger = pointsLedgerModel(options.db.connection);
  // syncIndexes: the reference lookups' indexes became partial (only entries carrying a reference).
  await Promise.all([benefits.init(), Ledger.syncIndexes()]);
  await syncCatalogueFromRegistry(benefits, options.registry);
  const catalogue = new CatalogueSnapshot(benefits, {
    notifications: options.notifications,
    onError: options.onWorkerError,
  });
  // The registry may have changed the catalogue: processes started before this one read it again.
  await catalogue.changed('registry synced');
  const calendar = createProgrammeCalendar(options.registry.programmeTimeZone);
  const rollups = new LedgerRollups(options.db.connection, calendar);
  await rollups.init();
  const ledger = new PointsLedger(Ledger, (entries) => rollups.apply(entries));
  const analytics = new LedgerAnalytics(Ledger, rollups, calendar);
  // An existing ledger is replayed into the summaries in the background; the analytics read the entries
  // until it finishes.
  void rollups.ensureBuilt(Ledger).catch((error: unknown) => {
    serviceLogger('benefits').error(
      { err: error },
      'ledger rollups: replay failed; analytics read the ledger entries',
    );
  });
  const now = options.now ?? (() => new Date());
  const settlementMonths = new SettlementMonths(options.db.connection);
  const generations = options.responseGenerations
    ? new MemberResponseGenerations(options.responseGenerations)
    : undefined;
  const store = new WalletStore(walletCollection(options.db.connection), ledger, {
    now,
    calendar,
    afterStep: options.afterWalletStep,
    closedMonths: () => settlementMonths.current(),
    onChanged: generations ? (...memberIds) => generations.advance(...memberIds) : undefined,
  });
  await store.init();
  const settlement = new SettlementStore(options.db.connection, Ledger, settlementMonths, {
    partners: options.registry.partners.map((p) => p.key),
    terms: registrySettlementTerms(options.registry.partners),
    calendar,
    now,
    flushParkedEntries: () => store.recoverUnflushed(),
  });
  await settlement.init();
  const wallet = new PointsWallet(store, expiryRule(options.earningRules.expiry, calendar));
  const redemptions = new Redemptions(options.db.connection, store, {
    calendar,
    now,
    cancelWindowMs: options.earningRules.redemption.cancelWindowDays * 86_400_000,
    afterStep: options.afterRedemptionStep,
  });
  await redemptions.init();
  const tiers = new MemberTiers(options.db.connection);
  const memberLinks = new MemberLinks(options.profileConnection);
  const pointsConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: POINTS_CONSUMER_GROUP,
    consumer: options.consumerName ?? `benefits-${process.pid}`,
    handle: pointsEarningHandler(wallet, options.earningRules, options.onWorkerError),
    // The batch's wallets are written together (`WalletStore.applyMany`), so a larger batch costs fewer
    // writes per event: `npm run bench:ingest -- --events 8000` credited 284-289 events/s with 100 and
    // 512-547 with 500 (the other consumers were slower with 500: they are left at 100).
    batchSize: POINTS_BATCH_SIZE,
    onError: options.onWorkerError,
  });
  const campaigns = await openCampaignServices(options.db.connection, calendar, now, {
    notifications: options.notifications,
    onError: options.onWorkerError,
  });
  const feedback = await BenefitFeedbackStore.open(options.db.connection);
  const consumerName = options.consumerName ?? `benefits-${process.pid}`;
  const memberships = await openMembershipServices({
    connection: options.db.connection,
    registry: options.registry,
    campaigns,
    wallet,
    calendar,
    onRefused: options.onWorkerError,
    onChanged: generations ? (memberId) => generations.advance(memberId) : undefined,
  });
  const campaignEarning = campaignEarningHandler({
    store: campaigns.store,
    grants: campaigns.grants,
    wallet,
    facts: campaigns.facts,
    rules: options.earningRules,
    calendar: campaigns.calendar,
    onRefused: options.onWorkerError,
    planCampaigns: memberships.planCampaigns,
  });
  const campaignConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: CAMPAIGN_CONSUMER_GROUP,
    consumer: consumerName,
    // Subscriptions first: a purchase after a subscription in the stream earns the plan's multiplier.
    handle: async (entries) => {
      await memberships.handle(entries);
      await campaignEarning(entries);
    },
    onError: options.onWorkerError,
  });
  const activityConsumer = new StreamConsumer({
    stream: options.activityStream,
    group: ACTIVITY_CONSUMER_GROUP,
    consumer: consumerName,
    handle: activityCountsHandler(campaigns.counters),
    onError: options.onWorkerError,
  });
  const walletMaintenance = new IntervalWorker(
    'wallet-maintenance',
    options.walletMaintenanceEveryMs ?? 60_000,
    async () => {
      await store.recoverUnflushed();
      await settlementMonths.refresh();
      await settlement.keepCurrentMonthOpen();
      await redemptions.recover();
      await wallet.sweepExpired();
    },
    options.onWorkerError,
  );
  const reconciler = options.reconciliation
    ? createLedgerReconciler({
        registry: options.registry,
        benefits: options.db.connection,
        brandConnections: options.reconciliation.brandConnections,
        stream: options.activityStream,
        rules: options.earningRules,
        timing: options.reconciliation.settings,
        now: options.now,
      })
    : null;
  const workers: BackgroundWorker[] = [
    catalogue,
    campaigns.store.notEnded,
    pointsConsumer,
    campaignConsumer,
    activityConsumer,
    walletMaintenance,
  ];
  const lifecycleStream = options.lifecycleStream;
  if (lifecycleStream) {
    await createErasureIndexes(options.db.connection);
    workers.push(
      new StreamConsumer({
        stream: lifecycleStream,
        group: ERASURE_CONSUMER_GROUP,
        consumer: consumerName,
        handle: memberErasureHandler(
          options.db.connection,
          (payloads) => lifecycleStream.publish(payloads),
          now,
        ),
        onError: options.onWorkerError,
      }),
    );
  }
  const schedule = options.reconciliation?.settings;
  if (reconciler && schedule && schedule.intervalMs > 0) {
    const onReport = options.reconciliation?.onReport;
    workers.push(
      new JitteredIntervalWorker('ledger-reconciliation', {
        everyMs: schedule.intervalMs,
        jitter: 0.2,
        task: async () => onReport?.(await reconciler.run()),
        onError: options.onWorkerError,
      }),
    );
  }
  const service = defineSubgraph<BenefitsContext>({
    name: 'benefits',
    typeDefs: subgraphDocument({ kind: 'benefits', partners: options.registry.partners }),
    resolvers: [
      benefitsResolvers({
        registry: options.registry,
        model: options.model,
        onTierNotRecorded: options.onWorkerError,
      }),
      walletResolvers(),
      redemptionResolvers(),
      checkoutResolvers(),
      settlementResolvers(),
      analyticsResolvers({
        registry: options.registry,
        redemptions: new RedemptionAnalytics(options.db.connection),
      }),
      campaignResolvers({ registry: options.registry, model: options.model, now }),
      privacyResolvers(options.db.connection),
      feedbackResolvers({ registry: options.registry }),
      membershipResolvers({ registry: options.registry, model: options.model, now }),
    ],
    permissions: [
      benefitsPermissions(),
      walletPermissions(),
      redemptionPermissions(),
      checkoutPermissions(),
      settlementPermissions(),
      analyticsPermissions(),
      campaignPermissions(),
      privacyPermissions(),
      feedbackPermissions(),
      membershipPermissions(),
    ],
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({
      ...identity,
      loaders: createBenefitLoaders(benefits, catalogue, store),
      benefits,
      ledger,
      campaigns,
      memberships,
      feedback,
      analytics,
      wallet,
      redemptions,
      settlement,
      tiers,
      memberLinks,
      registry: options.registry,
      earningRules: options.earningRules,
      calendar,
      now,
    }),
    workers,
    readiness: [mongoReadiness(options.db), streamReadiness(options.activityStream)],
  });
  return {
    service,
    catalogue,
    ledger,
    wallet,
    redemptions,
    settlement,
    pointsConsumer,
    campaignConsumer,
    activityConsumer,
    reconciler,
  };
}
