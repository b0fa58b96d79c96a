import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { DatabaseHandle } from '../shared/db/mongo-connection.js';
import type { PopulationModel } from '../shared/domain/population-model.js';
import type { SubgraphService } from '../shared/http/subgraph-service.js';
import { defineSubgraph } from '../shared/http/subgraph-service.js';
import type { BenefitLoaders } from './data/benefit-loaders.js';
import { createBenefitLoaders } from './data/benefit-loaders.js';
import type { BenefitModel } from './data/catalogue-model.js';
import { benefitModel, syncCatalogueFromRegistry } from './data/catalogue-model.js';
import { benefitsPermissions } from './schema/benefits-permissions.js';
import { benefitsResolvers } from './schema/benefits-resolvers.js';

export interface BenefitsContext extends RequestIdentity {
  loaders: BenefitLoaders;
  benefits: BenefitModel;
}

export interface BenefitsSubgraphOptions {
  registry: PartnerRegistry;
  db: DatabaseHandle;
  model: PopulationModel;
  internalTokenSecret: string;
  introspection?: boolean;
}

/** The benefits subgraph: catalogue from every partner and the matched bundle per member. */
export async function createBenefitsSubgraph(
  options: BenefitsSubgraphOptions,
): Promise<{ service: SubgraphService<BenefitsContext> }> {
  const benefits = benefitModel(options.db.connection);
  await benefits.init();
  await syncCatalogueFromRegistry(benefits, options.registry);
  const service = defineSubgraph<BenefitsContext>({
    name: 'benefits',
    resolvers: benefitsResolvers({ registry: options.registry, model: options.model }),
    permissions: benefitsPermissions(),
    internalTokenSecret: options.internalTokenSecret,
    introspection: options.introspection,
    extendContext: (identity) => ({ ...identity, loaders: createBenefitLoaders(benefits), benefits }),
  });
  return { service };
}
