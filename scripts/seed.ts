/**
 * npm run seed -- [--members 2000] [--seed 42] [--if-empty] [--per-request]
 * Replaces the demo data with a deterministic population, written through each subgraph's data layer, and
 * fits the population model the profile and benefits subgraphs load. With --if-empty it leaves existing
 * data alone (it only fits the model when none is written yet): for deployments that run it on every start.
 * The documents are validated as the services validate them and inserted in large batches; --per-request
 * writes them one ingest request at a time through the services' write paths instead (same result, slower).
 */
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import {
  populationModelPath,
  readPopulationModelIfPresent,
  writePopulationModel,
} from '../tools/local-federation/population-model-file.js';
import { trainPopulationModel } from '../tools/seed/train-population-model.js';
import { formatSeedSummary, seedFederation } from '../tools/seed/seed-federation.js';
import { startSeedStore } from '../tools/seed/seed-store-process.js';
import { readCountOptions } from './cli-options.js';

const usage = 'npm run seed -- [--members 2000] [--seed 42] [--if-empty] [--per-request]';
const { counts, flags: options } = readCountOptions({ members: 2000, seed: 42 }, usage, {
  'if-empty': { type: 'boolean' },
  'per-request': { type: 'boolean' },
});
const { members, seed } = counts;

const started = Date.now();
const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const mongo = await startSeedStore(env, (how) => {
  // Writes to a dead store would wait for a server that is gone: stop here and say why.
  console.error(
    `\nThe embedded store stopped (${how}) while the seed was writing to it: nothing more can be stored, and ` +
      'what was written is not saved. It holds every document as a JavaScript object in one process; a ' +
      'population this large needs a real MongoDB (MONGODB_URI).',
  );
  process.exit(1);
});
console.log(
  mongo.embedded
    ? `Embedded MongoDB, data kept in ${mongo.dataDir} (stop \`npm start\` first).`
    : 'MongoDB at MONGODB_URI.',
);
const dbs = await openFederationDatabases(mongo.uri, env.mongodbDbPrefix, registry);
try {
  const modelPath = populationModelPath(env);
  const existing = await dbs.profile.connection.collection('members').estimatedDocumentCount();
  if (options['if-empty'] && existing > 0) {
    if (!readPopulationModelIfPresent(modelPath)) {
      const brandConnections = new Map([...dbs.brands].map(([key, db]) => [key, db.connection]));
      writePopulationModel(
        modelPath,
        await trainPopulationModel(registry, dbs.profile.connection, brandConnections, new Date()),
      );
      console.log(`Population model fitted on the stored members and written to ${modelPath}.`);
    }
    console.log(`${existing} members already stored: nothing seeded (--if-empty).`);
  } else {
    const { summary, model } = await seedFederation(registry, dbs, {
      members,
      seed,
      now: new Date(),
      progress: true,
      perRequest: options['per-request'] === true,
    });
    writePopulationModel(modelPath, model);
    console.log(formatSeedSummary(summary, model));
    const rss = mongo.residentBytes();
    console.log(
      `Model written to ${modelPath}. Done in ${((Date.now() - started) / 1000).toFixed(1)} s${rss === null ? '' : `; the store holds ${(rss / 2 ** 20).toFixed(0)} MB resident`}.`,
    );
  }
} finally {
  await dbs.close();
  const stopping = Date.now();
  await mongo.stop();
  if (mongo.embedded) {
    console.log(
      `Store stopped, snapshot written in ${((Date.now() - stopping) / 1000).toFixed(1)} s; ${((Date.now() - started) / 1000).toFixed(1)} s in all.`,
    );
  }
}
