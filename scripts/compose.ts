/**
 * npm run compose [-- --check]
 * Generates each subgraph's SDL from the templates and the partner registry, composes the supergraph, and
 * writes both under schema/. With --check it writes nothing and exits 1 when a committed file is stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import {
  generatedSchemaPath,
  partnerRegistryPath,
  projectRoot,
  supergraphPath,
} from '../subgraphs/shared/config/paths.js';
import { composeSupergraph } from '../tools/compose/compose-supergraph.js';
import { generateSubgraphSdl } from '../tools/compose/generate-subgraph-sdl.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`Unknown option(s): ${unknown.join(' ')}\nUsage: npm run compose [-- --check]`);
  process.exit(2);
}
const check = args.includes('--check');

try {
  const registry = loadPartnerRegistry(partnerRegistryPath());
  const sdl = generateSubgraphSdl(registry);
  const files = new Map<string, string>();
  for (const [name, text] of sdl) files.set(generatedSchemaPath(name), text);
  files.set(supergraphPath(), composeSupergraph(registry, sdl));

  const stale = [...files].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
  const show = (path: string): string => relative(projectRoot(), path);
  if (check) {
    if (stale.length > 0) {
      console.error(
        `Stale generated schema (run \`npm run compose\` and commit):\n${stale.map(([p]) => `  ${show(p)}`).join('\n')}`,
      );
      process.exit(1);
    }
    console.log(`Generated schema is current (${files.size} files, ${registry.partners.length} partners).`);
  } else {
    for (const [path, text] of stale) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${show(path)}`);
    }
    console.log(
      `Composed ${sdl.size} subgraphs (${registry.partners.length} partners): ${stale.length} file(s) changed.`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
