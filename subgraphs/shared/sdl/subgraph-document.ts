import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { Kind, parse } from 'graphql';
import type { PartnerConfig, PartnerRegistry } from '../config/partner-registry.js';
import { schemaPath } from '../config/paths.js';
import { listSubgraphs } from '../config/service-topology.js';
import { brandDocument } from './brand-document.js';
import { objectTypesOf } from './field-set.js';
import { behaviourFieldType, withPartnerBehaviours } from './partner-behaviour-requires.js';

/** What one subgraph's schema is built from: its template, and the partner(s) it serves or reads. */
export type SubgraphSource =
  | { kind: 'brand'; partner: PartnerConfig }
  | { kind: 'profile' | 'benefits'; partners: readonly PartnerConfig[] };

const readSchemaDocument = (file: string): DocumentNode => parse(readFileSync(schemaPath(file), 'utf8'));

/**
 * A subgraph's schema, built from `schema/<kind>.template.graphql`, the shared value types
 * (`schema/shared-types.graphql`, declared identically by every subgraph, as federation wants of
 * `@shareable` types) and the partner registry. Each service builds its own at start-up; `npm run compose`
 * builds all of them to compose the committed supergraph, so the two always agree.
 */
export function subgraphDocument(source: SubgraphSource): DocumentNode {
  const sharedTypes = readSchemaDocument('shared-types.graphql');
  const brandTemplate = readSchemaDocument('brand.template.graphql');
  const own =
    source.kind === 'brand'
      ? brandDocument(brandTemplate, source.partner)
      : withPartnerBehaviours(
          readSchemaDocument(`${source.kind}.template.graphql`),
          source.partners.map((p) => p.key),
          behaviourFieldType(brandTemplate),
          objectTypesOf(sharedTypes),
        );
  return { kind: Kind.DOCUMENT, definitions: [...own.definitions, ...sharedTypes.definitions] };
}

/** Every subgraph's schema, by subgraph name, in the order of `listSubgraphs`. */
export function subgraphDocuments(registry: PartnerRegistry): Map<string, DocumentNode> {
  return new Map(
    listSubgraphs(registry).map((s) => [
      s.name,
      subgraphDocument(
        s.kind === 'brand'
          ? { kind: 'brand', partner: registry.byKey.get(s.partner!)! }
          : { kind: s.kind, partners: registry.partners },
      ),
    ]),
  );
}
