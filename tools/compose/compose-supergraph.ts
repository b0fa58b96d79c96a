import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { defaultSubgraphUrl, listSubgraphs } from '../../subgraphs/shared/config/service-topology.js';

/** Composes the supergraph SDL from subgraph SDLs; throws with every composition error listed. */
export function composeSupergraph(registry: PartnerRegistry, sdlByName: ReadonlyMap<string, string>): string {
  const services = listSubgraphs(registry).map((s) => {
    const sdl = sdlByName.get(s.name);
    if (!sdl) throw new Error(`No SDL for subgraph ${s.name}`);
    return { name: s.name, url: defaultSubgraphUrl(s), typeDefs: parse(sdl) };
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(
      `Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
