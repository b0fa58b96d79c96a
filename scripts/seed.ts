/**
 * npm run seed -- [--members 2000] [--seed 42]
 * Replaces the demo data with a deterministic population, written through each subgraph's data layer, and
 * fits the population model the profile and benefits subgraphs load.
 */
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { mongoEndpoint } from '../tools/local-federation/mongo-endpoint.js';
import {
  populationModelPath,
  writePopulationModel,
} from '../tools/local-federation/population-model-file.js';
import { formatSeedSummary, seedFederation } from '../tools/seed/seed-federation.js';
import { positiveInteger, readCliOptions } from './cli-options.js';

const usage = 'npm run seed -- [--members 2000] [--seed 42]';
const options = readCliOptions({ members: { type: 'string' }, seed: { type: 'string' } }, usage);
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const members = positiveInteger(options.members as string | undefined, 'members', 2000);
const seed = positiveInteger(options.seed as string | undefined, 'seed', 42);

const started = Date.now();
const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const mongo = await mongoEndpoint(env);
console.log(
  mongo.embedded
    ? `Embedded MongoDB, data kept in ${mongo.dataDir} (stop \`npm start\` first).`
    : 'MongoDB at MONGODB_URI.',
);
const dbs = await openFederationDatabases(mongo.uri, env.mongodbDbPrefix, registry);
try {
  const { summary, model } = await seedFederation(registry, dbs, {
    members,
    seed,
    now: new Date(),
    progress: true,
  });
  const modelPath = populationModelPath(env);
  writePopulationModel(modelPath, model);
  console.log(formatSeedSummary(summary, model));
  console.log(`Model written to ${modelPath}. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await dbs.close();
  await mongo.stop();
}
