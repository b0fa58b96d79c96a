import type { PartnerConfig } from '../shared/config/partner-registry.js';
import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import { BrandActivityStore } from './data/brand-activity-store.js';
import type { BrandLoaders } from './data/brand-loaders.js';
import { createBrandLoaders } from './data/brand-loaders.js';
import { brandModels } from './data/brand-models.js';
import { brandPermissions } from './schema/brand-permissions.js';
import { brandResolvers } from './schema/brand-resolvers.js';

export interface BrandContext extends RequestIdentity {
  loaders: BrandLoaders;
}

export interface BrandSubgraphOptions {
  partner: PartnerConfig;
  db: DatabaseHandle;
  internalTokenSecret: string;
  introspection?: boolean;
  /** Clock for the rolling window (tests pin it). */
  now?: () => Date;
}

export interface BrandSubgraph {
  service: SubgraphService<BrandContext>;
  store: BrandActivityStore;
}

/** One brand subgraph: the same code for every partner, configured by its registry entry. */
export async function createBrandSubgraph(options: BrandSubgraphOptions): Promise<BrandSubgraph> {
  const models = brandModels(options.db.connection);
  await Promise.all([models.Account.init(), models.Order.init()]);
  const now = options.now ?? (() => new Date());
  const service = defineSubgraph<BrandContext>({
    name: options.partner.key,
    resolvers: brandResolvers(options.partner, now),
    permissions: brandPermissions(options.partner.key),
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({ ...identity, loaders: createBrandLoaders(models) }),
  });
  return { service, store: new BrandActivityStore(models, options.partner) };
}
