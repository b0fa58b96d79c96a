import { readEnvironment } from '../../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../../subgraphs/shared/config/paths.js';
import type { FederationDatabases } from './federation-databases.js';
import { openFederationDatabases } from './federation-databases.js';
import { mongoEndpoint } from './mongo-endpoint.js';

/**
 * Runs a one-off command-line job (a migration) on the federation's databases from the environment
 * (`MONGODB_URI`, or the embedded store), closing them afterwards whatever happens.
 */
export async function withFederationDatabases<T>(run: (dbs: FederationDatabases) => Promise<T>): Promise<T> {
  const env = readEnvironment();
  const mongo = await mongoEndpoint(env);
  const dbs = await openFederationDatabases(
    mongo.uri,
    env.mongodbDbPrefix,
    loadPartnerRegistry(partnerRegistryPath()),
  );
  try {
    return await run(dbs);
  } finally {
    await dbs.close();
    await mongo.stop();
  }
}
