import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { ProfileLoaders } from './data/member-loaders.js';
import type { MemberModel } from './data/member-model.js';
import type { MemberLifecycleStore } from './data/member-lifecycle-store.js';
import type { MemberStore } from './data/member-store.js';
import type { ProfileCache } from './data/profile-cache.js';
import type { IntelligenceLoaders } from './data/intelligence-loaders.js';
import type { IntelligenceModelSource } from './data/intelligence-model-source.js';
import type { IntelligenceStore } from './data/intelligence-store.js';
import type { AccessLogRecorder } from './data/access-log.js';
import type { ErasureCoordinator } from './events/erasure-coordinator.js';

/** What the profile subgraph's resolvers and rules see: the verified identity, this request's loaders, the stores. */
export interface ProfileContext extends RequestIdentity {
  loaders: ProfileLoaders;
  store: MemberStore;
  members: MemberModel;
  profileCache: ProfileCache;
  /** The member-intelligence model in use, switched when a new version is trained. */
  intelligence: IntelligenceModelSource;
  intelligenceStore: IntelligenceStore;
  intelligenceLoaders: IntelligenceLoaders;
  lifecycle: MemberLifecycleStore;
  /** Reads of members' data by anyone but the member, written in batches off the request path. */
  accessLog: AccessLogRecorder;
  erasure: ErasureCoordinator;
}
