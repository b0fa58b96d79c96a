import type { Environment } from '../../subgraphs/shared/config/environment.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { IntelligenceStore, intelligenceModels } from '../../subgraphs/profile/data/intelligence-store.js';
import { TierStore } from '../../subgraphs/profile/data/tier-store.js';
import { trainIntelligence } from '../../subgraphs/profile/training/train-intelligence.js';
import { formatTrainingSummary } from '../../subgraphs/profile/training/training-summary.js';
import { formatSeedSummary, seedFederation } from '../seed/seed-federation.js';
import { trainPopulationModel } from '../seed/train-population-model.js';
import { openFederationDatabases } from './federation-databases.js';
import {
  populationModelPath,
  readPopulationModelIfPresent,
  writePopulationModel,
} from './population-model-file.js';

/**
 * What `npm start` needs before the services start: demo members when the store is empty, a population
 * model, and a member-intelligence model. Stored data is reused as it is.
 */
export async function prepareDemoData(
  env: Environment,
  registry: PartnerRegistry,
  mongoUri: string,
  demoMembers: number,
  log: (line: string) => void,
): Promise<void> {
  const dbs = await openFederationDatabases(mongoUri, env.mongodbDbPrefix, registry, {
    serverSelectionTimeoutMs: env.mongoServerSelectionTimeoutMs,
  });
  try {
    const brandConnections = new Map([...dbs.brands].map(([key, db]) => [key, db.connection]));
    const modelPath = populationModelPath(env);
    let model = readPopulationModelIfPresent(modelPath);
    const memberCount = await dbs.profile.connection.collection('members').estimatedDocumentCount();
    if (memberCount === 0) {
      log(`The store is empty: seeding ${demoMembers} demo members (seed 42)…`);
      const seeded = await seedFederation(registry, dbs, {
        members: demoMembers,
        seed: 42,
        now: new Date(),
        progress: true,
      });
      log(formatSeedSummary(seeded.summary, seeded.model));
      model = seeded.model;
      writePopulationModel(modelPath, model);
    } else if (!model) {
      log('No population model yet: fitting one on the stored members…');
      model = await trainPopulationModel(registry, dbs.profile.connection, brandConnections, new Date());
      writePopulationModel(modelPath, model);
    }

    const intelligenceStore = new IntelligenceStore(intelligenceModels(dbs.profile.connection));
    await intelligenceStore.init();
    if (!(await intelligenceStore.currentVersion())) {
      log('No member-intelligence model yet: training one (`npm run train` refits it later)…');
      const started = Date.now();
      const trained = await trainIntelligence({
        registry,
        profileDb: dbs.profile.connection,
        brandDbs: brandConnections,
        store: intelligenceStore,
        tiers: { store: new TierStore(dbs.profile.connection), populationModel: model },
        now: new Date(),
        seed: 42,
        onProgress: (line) => log(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
      });
      log(formatTrainingSummary(trained));
    }
  } finally {
    await dbs.close();
  }
}
