import { openServiceDatabase, requirePopulationModel, runService } from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { createProfileSubgraph } from './server.js';

await runService('profile subgraph', async ({ env, registry }) => {
  const model = requirePopulationModel(env);
  const db = await openServiceDatabase(env, 'profile');
  const { service } = await createProfileSubgraph({
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
