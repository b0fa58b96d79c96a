import type { PartnerRegistry } from './partner-registry.js';

export type SubgraphKind = 'brand' | 'profile' | 'benefits';

export interface SubgraphDescriptor {
  /** Subgraph name in the supergraph: the partner key for brand subgraphs. */
  name: string;
  kind: SubgraphKind;
  /** Partner key, for brand subgraphs. */
  partner?: string;
  /** Port it listens on by default (development); deployments set the URL per subgraph instead. */
  defaultPort: number;
}

export const GATEWAY_DEFAULT_PORT = 4000;
const BRAND_PORT_BASE = 4101;
export const PROFILE_DEFAULT_PORT = 4201;
export const BENEFITS_DEFAULT_PORT = 4202;

/** Every subgraph of the federation, in a stable order: brands as listed in the registry, then profile, benefits. */
export function listSubgraphs(registry: PartnerRegistry): SubgraphDescriptor[] {
  return [
    ...registry.partners.map((p, i) => ({
      name: p.key,
      kind: 'brand' as const,
      partner: p.key,
      defaultPort: BRAND_PORT_BASE + i,
    })),
    { name: 'profile', kind: 'profile', defaultPort: PROFILE_DEFAULT_PORT },
    { name: 'benefits', kind: 'benefits', defaultPort: BENEFITS_DEFAULT_PORT },
  ];
}

export const defaultSubgraphUrl = (s: SubgraphDescriptor): string =>
  `http://localhost:${s.defaultPort}/graphql`;
