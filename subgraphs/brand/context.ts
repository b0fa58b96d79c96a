import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { BrandLoaders } from './data/brand-loaders.js';

/** What a brand subgraph's resolvers see: the verified identity and this request's loaders. */
export interface BrandContext extends RequestIdentity {
  loaders: BrandLoaders;
}
