import { Supergraph } from '@apollo/federation-internals';
import { readdirSync, readFileSync } from 'node:fs';
import type { OperationManifestFile } from '../../gateway/persisted-queries/operation-manifest.js';
import { manifestFile, publishOperation } from '../../gateway/persisted-queries/operation-manifest.js';
import { operationsPath } from '../../subgraphs/shared/config/paths.js';

/**
 * The manifest of every `operations/*.graphql` file, each checked against the API schema of the supergraph
 * at `supergraphSdl`; its text is what `npm run operations:publish` writes to `operations/manifest.json`.
 */
export function buildOperationManifest(supergraphSdl: string): {
  manifest: OperationManifestFile;
  text: string;
} {
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const files = readdirSync(operationsPath())
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const operations = files.map((name) =>
    publishOperation(`operations/${name}`, readFileSync(operationsPath(name), 'utf8'), schema),
  );
  const names = new Set<string>();
  for (const operation of operations) {
    if (names.has(operation.name)) throw new Error(`two operations are named ${operation.name}`);
    names.add(operation.name);
  }
  const manifest = manifestFile(operations);
  return { manifest, text: `${JSON.stringify(manifest, null, 2)}\n` };
}
