import type { ProfileContext } from './context.js';
import { MemberResponseGenerations } from '../shared/cache/member-response-generations.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { PopulationModel } from '../shared/domain/population-model.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { mongoReadiness, streamReadiness } from '../shared/http/store-readiness.js';
import { createProfileLoaders } from './data/member-loaders.js';
import { memberModel } from './data/member-model.js';
import { MemberStore } from './data/member-store.js';
import { ProfileCache } from './data/profile-cache.js';
import { profileInvalidationHandler } from './events/profile-cache-consumer.js';
import { analyticsPermissions } from './schema/analytics-permissions.js';
import { analyticsResolvers } from './schema/analytics-resolvers.js';
import { profilePermissions } from './schema/profile-permissions.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import type { KeyValueCache } from '../shared/cache/key-value-cache.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { profileResolvers } from './schema/profile-resolvers.js';
import { intelligenceResolvers } from './schema/intelligence-resolvers.js';
import { intelligencePermissions } from './schema/intelligence-permissions.js';
import { createIntelligenceLoaders } from './data/intelligence-loaders.js';
import { IntelligenceModelSource } from './data/intelligence-model-source.js';
import { IntelligenceStore, intelligenceModels } from './data/intelligence-store.js';
import { TierStore } from './data/tier-store.js';
import { tierHistoryResolvers } from './schema/tier-history-resolvers.js';
import { tierHistoryPermissions } from './schema/tier-history-permissions.js';
import type { NotificationChannel } from '../shared/notifications/notification-channel.js';
import { consentPermissions } from './schema/consent-permissions.js';
import { consentResolvers } from './schema/consent-resolvers.js';
import { lifecyclePermissions } from './schema/lifecycle-permissions.js';
import { lifecycleResolvers } from './schema/lifecycle-resolvers.js';
import { MemberLifecycleStore, accountHolderModel, linkCodeModel } from './data/member-lifecycle-store.js';
import { LifecycleOutbox, lifecycleOutboxModel } from './data/lifecycle-outbox.js';
import { AccessLogRecorder, accessLogModel } from './data/access-log.js';
import { ErasureJobStore, erasureJobModel } from './data/erasure-jobs.js';
import { ErasureCoordinator } from './events/erasure-coordinator.js';
import { STREAMS_STORE } from './domain/privacy/erasure-phase.js';
import { ACTIVITY_STREAM_KEY, LIFECYCLE_STREAM_KEY } from '../shared/streams/create-activity-stream.js';
import { brandStoreName } from '../shared/events/member-lifecycle-message.js';
import { privacyResolvers } from './schema/privacy-resolvers.js';
import { privacyPermissions } from './schema/privacy-permissions.js';
import { marketingPermissions } from './schema/marketing-permissions.js';
import { marketingResolvers } from './schema/marketing-resolvers.js';

export interface ProfileSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  model: PopulationModel;
  /** The member-activity stream the cache-invalidation consumer reads. */
  activityStream: ActivityStream;
  /** Where computed profiles are cached (fails open). */
  cache: KeyValueCache;
  internalTokenSecret: string;
  /** Where `npm run train` announces a new model version; without it the service only polls. */
  notifications?: NotificationChannel;
  /** How often the service checks for a new model version regardless of notifications. */
  modelPollMs?: number;
  /** Name of this instance in the cache-invalidation consumer group (one per process). */
  consumerName?: string;
  introspection?: boolean;
  /** Links, unlinks and erasures to and from the other stores; without it the profile erases only itself. */
  lifecycleStream?: ActivityStream;
  /** A store that has not answered an erasure is asked again after this long (default a minute). */
  erasureRetryMs?: number;
  /** How often unannounced link changes are published again (default 5 s). */
  lifecycleRelayMs?: number;
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
}

export const PROFILE_CONSUMER_GROUP = 'profile-cache';
/** Erasure receipts on the member-lifecycle stream. */
export const PROFILE_LIFECYCLE_GROUP = 'profile-lifecycle';

export interface ProfileSubgraph {
  service: SubgraphService<ProfileContext>;
  store: MemberStore;
  intelligence: IntelligenceModelSource;
}

/** The profile subgraph: identity, partner links, consent and the cross-brand profile. */
export async function createProfileSubgraph(options: ProfileSubgraphOptions): Promise<ProfileSubgraph> {
  const members = memberModel(options.db.connection);
  // syncIndexes, not init: it replaces an index whose definition changed (the account keys' partial filter did).
  await members.syncIndexes();
  const store = new MemberStore(members);
  const linkCodes = linkCodeModel(options.db.connection);
  await linkCodes.init();
  const holders = accountHolderModel(options.db.connection);
  await holders.init();
  const outboxModel = lifecycleOutboxModel(options.db.connection);
  const accessLogs = accessLogModel(options.db.connection);
  const erasureJobs = new ErasureJobStore(erasureJobModel(options.db.connection));
  await Promise.all([outboxModel.init(), accessLogs.init(), erasureJobs.init()]);
  const lifecycleStream = options.lifecycleStream ?? null;
  const outbox = new LifecycleOutbox(outboxModel, lifecycleStream);
  const lifecycle = new MemberLifecycleStore(members, linkCodes, holders, outbox);
  const accessLog = new AccessLogRecorder(accessLogs, options.onWorkerError);
  const profileCache = new ProfileCache(options.cache, options.onWorkerError);
  const intelligenceStore = new IntelligenceStore(intelligenceModels(options.db.connection));
  const tierStore = new TierStore(options.db.connection);
  await Promise.all([intelligenceStore.init(), tierStore.init()]);
  const responseGenerations = new MemberResponseGenerations(options.cache);
  const intelligence = new IntelligenceModelSource(intelligenceStore, options.notifications ?? null, {
    pollMs: options.modelPollMs,
    onError: options.onWorkerError,
    // A training run changes every member's segment, recommendations and (with the tier evaluation) tiers,
    // even when the version is the same: cached answers are dropped.
    onPublication: () => void responseGenerations.advanceProgramme().catch(() => undefined),
  });
  // The first version is read before the service answers; a failure leaves the poll to read it later.
  await intelligence.refresh().catch((error) => options.onWorkerError?.(error));
  const now = options.now ?? (() => new Date());
  const erasure = new ErasureCoordinator({
    jobs: erasureJobs,
    members,
    stores: {
      members,
      holders,
      linkCodes,
      accessLog: accessLogs,
      outbox: outboxModel,
      connection: options.db.connection,
      cache: profileCache,
      flushAccessLog: () => accessLog.flush(),
    },
    stream: lifecycleStream,
    storeNames: lifecycleStream
      ? ['profile', 'benefits', ...options.registry.partners.map((p) => brandStoreName(p.key)), STREAMS_STORE]
      : ['profile', STREAMS_STORE],
    scrubbedStreams: [
      { name: ACTIVITY_STREAM_KEY, stream: options.activityStream },
      ...(lifecycleStream ? [{ name: LIFECYCLE_STREAM_KEY, stream: lifecycleStream }] : []),
    ],
    retryMs: options.erasureRetryMs ?? 60_000,
    now,
    onError: options.onWorkerError,
  });
  const lifecycleWorkers = lifecycleStream
    ? [
        outbox.worker(options.lifecycleRelayMs ?? 5_000, options.onWorkerError),
        erasure.worker(),
        new StreamConsumer({
          stream: lifecycleStream,
          group: PROFILE_LIFECYCLE_GROUP,
          consumer: options.consumerName ?? `profile-${process.pid}`,
          handle: erasure.receiptHandler(),
          onError: options.onWorkerError,
        }),
      ]
    : [];
  const invalidation = new StreamConsumer({
    stream: options.activityStream,
    group: PROFILE_CONSUMER_GROUP,
    consumer: options.consumerName ?? `profile-${process.pid}`,
    handle: profileInvalidationHandler(profileCache),
    onError: options.onWorkerError,
  });
  const service = defineSubgraph<ProfileContext>({
    name: 'profile',
    typeDefs: subgraphDocument({ kind: 'profile', partners: options.registry.partners }),
    resolvers: [
      profileResolvers({ registry: options.registry, model: options.model, now }),
      intelligenceResolvers({ registry: options.registry, populationModel: options.model, now }),
      tierHistoryResolvers(),
      analyticsResolvers({ registry: options.registry, tiers: tierStore }),
      consentResolvers(options.registry, now),
      lifecycleResolvers(options.registry, now),
      privacyResolvers(options.registry, now),
      marketingResolvers(options.registry, now),
    ],
    permissions: [
      profilePermissions(),
      intelligencePermissions(),
      tierHistoryPermissions(),
      analyticsPermissions(),
      consentPermissions(options.registry),
      lifecyclePermissions(options.registry),
      privacyPermissions(),
      marketingPermissions(),
    ],
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({
      ...identity,
      loaders: createProfileLoaders(members, identity.memo),
      store,
      members,
      profileCache,
      intelligence,
      intelligenceStore,
      intelligenceLoaders: createIntelligenceLoaders(intelligenceStore, tierStore, identity.memo),
      lifecycle,
      accessLog,
      erasure,
    }),
    workers: [invalidation, intelligence, accessLog, ...lifecycleWorkers],
    readiness: [mongoReadiness(options.db), streamReadiness(options.activityStream)],
  });
  return { service, store, intelligence };
}
