import type { PartnerRegistry } from './partner-registry.js';
import { PROGRAMME_PORTS } from './programme-ports.js';

export type SubgraphKind = 'brand' | 'profile' | 'benefits';

export interface SubgraphDescriptor {
  /** Subgraph name in the supergraph: the partner key for brand subgraphs. */
  name: string;
  kind: SubgraphKind;
  /** Partner key, for brand subgraphs. */
  partner?: string;
  /** Port it listens on by default (development) and in containers: a brand's comes from the registry. */
  defaultPort: number;
}

export const GATEWAY_DEFAULT_PORT = PROGRAMME_PORTS.gateway;

/** Every subgraph of the federation, in a stable order: brands as listed in the registry, then profile, benefits. */
export function listSubgraphs(registry: PartnerRegistry): SubgraphDescriptor[] {
  return [
    ...registry.partners.map((p) => ({
      name: p.key,
      kind: 'brand' as const,
      partner: p.key,
      defaultPort: p.port,
    })),
    { name: 'profile', kind: 'profile', defaultPort: PROGRAMME_PORTS.profile },
    { name: 'benefits', kind: 'benefits', defaultPort: PROGRAMME_PORTS.benefits },
  ];
}

export const defaultSubgraphUrl = (s: SubgraphDescriptor): string =>
  `http://localhost:${s.defaultPort}/graphql`;
