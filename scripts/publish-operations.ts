/**
 * npm run operations:publish [-- --check]
 * Publishes the operations clients run: reads `operations/*.graphql` (one named operation each), checks them
 * against the supergraph, and writes `operations/manifest.json` (hash → document), which the gateway loads
 * in safelist mode (OPERATIONS_SAFELIST=on) and client builds read for their hashes. With --check it writes
 * nothing and exits 1 when the committed manifest is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { operationManifestPath, supergraphPath } from '../subgraphs/shared/config/paths.js';
import { buildOperationManifest } from '../tools/operations/build-operation-manifest.js';
import { readCliOptions } from './cli-options.js';

const options = readCliOptions({ check: { type: 'boolean' } }, 'npm run operations:publish [-- --check]');

function run(): number {
  let built;
  try {
    built = buildOperationManifest(readFileSync(supergraphPath(), 'utf8'));
  } catch (error) {
    console.error(`Cannot publish the operations: ${(error as Error).message}`);
    return 1;
  }
  const path = operationManifestPath();
  const current = existsSync(path) && readFileSync(path, 'utf8') === built.text;
  const summary = built.manifest.operations
    .map((o) => `  ${o.id.slice(0, 12)}…  ${o.type} ${o.name}`)
    .join('\n');
  if (options.check) {
    if (!current) {
      console.error('operations/manifest.json is stale: run `npm run operations:publish` and commit it.');
      return 1;
    }
    console.log(`operations/manifest.json is current (${built.manifest.operations.length} operations).`);
    return 0;
  }
  if (!current) writeFileSync(path, built.text);
  console.log(
    `${current ? 'Unchanged' : 'Wrote'} operations/manifest.json: ${built.manifest.operations.length} operations\n${summary}`,
  );
  return 0;
}

process.exitCode = run();
