import { openServiceDatabase, requirePopulationModel, runService } from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createBenefitsSubgraph } from './server.js';

await runService('benefits subgraph', async ({ env, registry }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'benefits');
  const { service } = await createBenefitsSubgraph({
    registry,
    db,
    model,
    internalTokenSecret: env.auth.internalTokenSecret,
  });
  return {
    server: await startSubgraph(service, { port: env.port, host: env.host }),
    close: () => db.close(),
  };
});
