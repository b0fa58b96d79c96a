import { schemaPath } from '../shared/config/paths.js';
import {
  openServiceActivityStream,
  openServiceDatabase,
  requirePopulationModel,
  listenOptions,
  runService,
} from '../shared/service-entrypoint.js';
import { startSubgraph } from '../shared/http/subgraph-service.js';
import { loadEarningRules } from './domain/earning-rules.js';
import { createBenefitsSubgraph } from './server.js';

await runService('benefits', async ({ env, registry, log }) => {
  const model = requirePopulationModel(env);
  const earningRules = loadEarningRules(schemaPath('earning-rules.json'));
  const db = await openServiceDatabase(env, 'benefits');
  const activityStream = openServiceActivityStream(env, 'benefits');
  const { service } = await createBenefitsSubgraph({
    registry,
    db,
    model,
    earningRules,
    activityStream,
    internalTokenSecret: env.auth.internalTokenSecret,
    onWorkerError: (error) => log.error({ err: error }, 'background work failed'),
  });
  const server = await startSubgraph(service, listenOptions(env));
  return { server, close: async () => (await db.close(), await activityStream.close()) };
});
