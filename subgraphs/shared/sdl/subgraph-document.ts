import { readdirSync, readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { Kind, parse } from 'graphql';
import type { PartnerConfig, PartnerRegistry } from '../config/partner-registry.js';
import { schemaPath } from '../config/paths.js';
import { listSubgraphs } from '../config/service-topology.js';
import { brandDocument } from './brand-document.js';
import { objectTypesOf } from './field-set.js';
import { behaviourFieldType, withPartnerBehaviours } from './partner-behaviour-requires.js';
import { withPerPartnerFields } from './per-partner-fields.js';
import { withPartnerFieldRequires } from './partner-field-requires.js';

/** What one subgraph's schema is built from: its template, and the partner(s) it serves or reads. */
export type SubgraphSource =
  | { kind: 'brand'; partner: PartnerConfig }
  | { kind: 'profile' | 'benefits'; partners: readonly PartnerConfig[] };

const readSchemaDocument = (file: string): DocumentNode => parse(readFileSync(schemaPath(file), 'utf8'));

/**
 * A subgraph kind's template: every `.graphql` file in `schema/<kind>/`, in name order, as one document.
 * One file per feature (`benefits/wallet.graphql`, …) adds its types and `extend type` blocks, so features
 * grow the schema side by side instead of in one long file.
 */
export function readSubgraphTemplate(kind: 'brand' | 'profile' | 'benefits'): DocumentNode {
  const folder = schemaPath(kind);
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`No .graphql files in ${folder}`);
  return parse(files.map((f) => readFileSync(`${folder}/${f}`, 'utf8')).join('\n'));
}

/**
 * A subgraph's schema, built from its template (`schema/<kind>/*.graphql`), the shared value types
 * (`schema/shared-types.graphql`, declared identically by every subgraph, as federation wants of
 * `@shareable` types) and the partner registry. Each service builds its own at start-up; `npm run compose`
 * builds all of them to compose the committed supergraph, so the two always agree.
 */
export function subgraphDocument(source: SubgraphSource): DocumentNode {
  const sharedTypes = readSchemaDocument('shared-types.graphql');
  const brandTemplate = readSubgraphTemplate('brand');
  const own =
    source.kind === 'brand'
      ? brandDocument(brandTemplate, source.partner)
      : withPartnerBehaviours(
          withPartnerFieldRequires(
            withPerPartnerFields(
              readSubgraphTemplate(source.kind),
              source.partners.map((p) => p.key),
            ),
            source.partners.map((p) => p.key),
          ),
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
