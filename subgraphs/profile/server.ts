import type { ProfileContext } from './context.js';
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
import { profilePermissions } from './schema/profile-permissions.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import type { KeyValueCache } from '../shared/cache/key-value-cache.js';
import type { ActivityStream } from '../shared/streams/activity-stream.js';
import { profileResolvers } from './schema/profile-resolvers.js';
import { consentPermissions } from './schema/consent-permissions.js';
import { consentResolvers } from './schema/consent-resolvers.js';
import { lifecyclePermissions } from './schema/lifecycle-permissions.js';
import { lifecycleResolvers } from './schema/lifecycle-resolvers.js';
import { MemberLifecycleStore, accountHolderModel, linkCodeModel } from './data/member-lifecycle-store.js';

export interface ProfileSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  model: PopulationModel;
  /** The member-activity stream the cache-invalidation consumer reads. */
  activityStream: ActivityStream;
  /** Where computed profiles are cached (fails open). */
  cache: KeyValueCache;
  internalTokenSecret: string;
  /** Name of this instance in the cache-invalidation consumer group (one per process). */
  consumerName?: string;
  introspection?: boolean;
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
}

export const PROFILE_CONSUMER_GROUP = 'profile-cache';

export interface ProfileSubgraph {
  service: SubgraphService<ProfileContext>;
  store: MemberStore;
}

/** The profile subgraph: identity, partner links, consent and the cross-brand profile. */
export async function createProfileSubgraph(options: ProfileSubgraphOptions): Promise<ProfileSubgraph> {
  const members = memberModel(options.db.connection);
  await members.init();
  const store = new MemberStore(members);
  const linkCodes = linkCodeModel(options.db.connection);
  await linkCodes.init();
  const holders = accountHolderModel(options.db.connection);
  await holders.init();
  const lifecycle = new MemberLifecycleStore(members, linkCodes, holders);
  const profileCache = new ProfileCache(options.cache, options.onWorkerError);
  const invalidation = new StreamConsumer({
    stream: options.activityStream,
    group: PROFILE_CONSUMER_GROUP,
    consumer: options.consumerName ?? `profile-${process.pid}`,
    handle: profileInvalidationHandler(profileCache),
    onError: options.onWorkerError,
  });
  const now = options.now ?? (() => new Date());
  const service = defineSubgraph<ProfileContext>({
    name: 'profile',
    typeDefs: subgraphDocument({ kind: 'profile', partners: options.registry.partners }),
    resolvers: [
      profileResolvers({ registry: options.registry, model: options.model, now }),
      consentResolvers(options.registry, now),
      lifecycleResolvers(options.registry, now),
    ],
    permissions: [
      profilePermissions(),
      consentPermissions(options.registry),
      lifecyclePermissions(options.registry),
    ],
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({
      ...identity,
      loaders: createProfileLoaders(members),
      store,
      members,
      profileCache,
      lifecycle,
    }),
    workers: [invalidation],
    readiness: [mongoReadiness(options.db), streamReadiness(options.activityStream)],
  });
  return { service, store };
}
