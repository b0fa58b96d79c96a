import type { ProfileContext } from './context.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { PopulationModel } from '../shared/domain/population-model.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { mongoReadiness, redisReadiness } from '../shared/http/store-readiness.js';
import { createProfileLoaders } from './data/member-loaders.js';
import { memberModel } from './data/member-model.js';
import { MemberStore } from './data/member-store.js';
import { ProfileCache } from './data/profile-cache.js';
import { profileInvalidationHandler } from './events/profile-cache-consumer.js';
import { profilePermissions } from './schema/profile-permissions.js';
import { MEMBER_ACTIVITY_STREAM } from '../shared/events/member-activity-message.js';
import { StreamConsumer } from '../shared/events/stream-consumer.js';
import type { RedisClient } from '../shared/redis/redis-client.js';
import { subgraphDocument } from '../shared/sdl/subgraph-document.js';
import { profileResolvers } from './schema/profile-resolvers.js';

export interface ProfileSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  model: PopulationModel;
  redis: RedisClient;
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
  const profileCache = new ProfileCache(options.redis, options.onWorkerError);
  const invalidation = new StreamConsumer({
    redis: options.redis.duplicate(),
    stream: MEMBER_ACTIVITY_STREAM,
    group: PROFILE_CONSUMER_GROUP,
    consumer: options.consumerName ?? `profile-${process.pid}`,
    handle: profileInvalidationHandler(profileCache),
    onError: options.onWorkerError,
  });
  const service = defineSubgraph<ProfileContext>({
    name: 'profile',
    typeDefs: subgraphDocument({ kind: 'profile', partners: options.registry.partners }),
    resolvers: profileResolvers({
      registry: options.registry,
      model: options.model,
      now: options.now ?? (() => new Date()),
    }),
    permissions: profilePermissions(),
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({
      ...identity,
      loaders: createProfileLoaders(members),
      store,
      members,
      profileCache,
    }),
    workers: [invalidation],
    readiness: [mongoReadiness(options.db), redisReadiness(options.redis)],
  });
  return { service, store };
}
