import { readFileSync } from 'node:fs';
import { supergraphPath } from '../subgraphs/shared/config/paths.js';
import { listenOptions, runService } from '../subgraphs/shared/service-entrypoint.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { createGateway, startGateway } from './server.js';

// Routes come from the committed supergraph; SUBGRAPH_URL_<NAME> points a subgraph elsewhere (e.g. in containers).
await runService('gateway', async ({ env, registry }) => {
  const gateway = createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: env.subgraphUrls,
    auth: env.auth,
    introspection: env.nodeEnv !== 'production',
    brandSubgraphs: registry.partners.map((p) => p.key),
    settings: env.gateway,
    explorer: {
      enabled: env.explorer.enabled,
      devTokensFor: env.explorer.offerDevTokens ? { memberId: DEMO_MEMBER_ID } : undefined,
    },
  });
  return { server: await startGateway(gateway, listenOptions(env)) };
});
