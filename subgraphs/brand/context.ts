import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { BrandLoaders } from './data/brand-loaders.js';
import type { BrandModels } from './data/brand-models.js';

/** What a brand subgraph's resolvers see: the verified identity and this request's loaders. */
export interface BrandContext extends RequestIdentity {
  loaders: BrandLoaders;
  /** The brand's collections, for the operators' aggregate queries. */
  models: BrandModels;
}
