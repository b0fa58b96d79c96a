/**
 * npm run compose [-- --check] [-- --print NAME]
 * Builds every subgraph's schema from the templates and the partner registry, composes the supergraph, and
 * writes it and docker-compose.yml. With --check it writes nothing and exits 1 when a committed file is
 * stale. --print NAME prints one subgraph's schema as its service builds it at start-up.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { print } from 'graphql';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath, projectRoot, supergraphPath } from '../subgraphs/shared/config/paths.js';
import { subgraphDocuments } from '../subgraphs/shared/sdl/subgraph-document.js';
import { composeSupergraph } from '../tools/compose/compose-supergraph.js';
import { renderDockerCompose } from '../tools/compose/render-docker-compose.js';
import { readCliOptions } from './cli-options.js';

const options = readCliOptions(
  { check: { type: 'boolean' }, print: { type: 'string' } },
  'npm run compose [-- --check] [-- --print SUBGRAPH]',
);

/** Runs the command; returns the exit code (never exits early, so printed output is flushed whole). */
function run(): number {
  const registry = loadPartnerRegistry(partnerRegistryPath());
  const documents = subgraphDocuments(registry);
  if (options.print !== undefined) {
    const document = documents.get(options.print);
    if (!document) {
      console.error(`No subgraph "${options.print}"; subgraphs are ${[...documents.keys()].join(', ')}.`);
      return 2;
    }
    process.stdout.write(`${print(document)}\n`);
    return 0;
  }
  const files = new Map<string, string>([
    [supergraphPath(), composeSupergraph(registry, documents)],
    [resolve(projectRoot(), 'docker-compose.yml'), renderDockerCompose(registry)],
  ]);
  const stale = [...files].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
  const show = (path: string): string => relative(projectRoot(), path);
  if (options.check) {
    if (stale.length > 0) {
      console.error(
        `Stale generated files (run \`npm run compose\` and commit):\n${stale.map(([p]) => `  ${show(p)}`).join('\n')}`,
      );
      return 1;
    }
    console.log(
      `Supergraph and docker-compose.yml are current (${documents.size} subgraphs, ${registry.partners.length} partners).`,
    );
    return 0;
  }
  for (const [path, text] of stale) {
    writeFileSync(path, text);
    console.log(`wrote ${show(path)}`);
  }
  console.log(
    `Composed ${documents.size} subgraphs (${registry.partners.length} partners): ${stale.length} file(s) changed.`,
  );
  return 0;
}

try {
  process.exitCode = run();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
