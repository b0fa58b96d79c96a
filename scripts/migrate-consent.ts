/**
 * npm run migrate:consent
 * Converts stored single-purpose consent (one `consent` per partner link) into one answer per purpose:
 * CROSS_BRAND_PROFILE and PERSONALISED_BENEFITS take the old answer and time (the old consent covered
 * "cross-brand profile and benefit matching"), MARKETING is not granted. Idempotent; safe while serving.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { migrateLegacyConsents } from '../subgraphs/profile/data/consent-migration.js';
import { memberModel } from '../subgraphs/profile/data/member-model.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { mongoEndpoint } from '../tools/local-federation/mongo-endpoint.js';

const started = Date.now();
const env = readEnvironment();
const mongo = await mongoEndpoint(env);
const dbs = await openFederationDatabases(
  mongo.uri,
  env.mongodbDbPrefix,
  loadPartnerRegistry(partnerRegistryPath()),
);
try {
  const summary = await migrateLegacyConsents(memberModel(dbs.profile.connection), (done) =>
    process.stdout.write(`\r${done} members migrated…`),
  );
  console.log(
    `\nMigrated ${summary.linksMigrated} links of ${summary.membersMigrated} members to consent by purpose in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
} finally {
  await dbs.close();
  await mongo.stop();
}
