import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { BenefitLoaders } from './data/benefit-loaders.js';
import type { BenefitModel } from './data/catalogue-model.js';
import type { CampaignServices } from './data/campaigns/campaign-services.js';
import type { PointsLedger } from './data/points-ledger.js';

/** What the benefits subgraph's resolvers see: the verified identity, this request's loaders, the stores. */
export interface BenefitsContext extends RequestIdentity {
  loaders: BenefitLoaders;
  benefits: BenefitModel;
  ledger: PointsLedger;
  campaigns: CampaignServices;
}
