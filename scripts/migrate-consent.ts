/**
 * npm run migrate:consent
 * Converts stored single-purpose consent (one `consent` per partner link) into one answer per purpose:
 * CROSS_BRAND_PROFILE and PERSONALISED_BENEFITS take the old answer and time (the old consent covered
 * "cross-brand profile and benefit matching"), MARKETING is not granted. Idempotent; safe while serving.
 */
import { migrateLegacyConsents } from '../subgraphs/profile/data/consent-migration.js';
import { memberModel } from '../subgraphs/profile/data/member-model.js';
import { withFederationDatabases } from '../tools/local-federation/script-databases.js';

const started = Date.now();
await withFederationDatabases(async (dbs) => {
  const summary = await migrateLegacyConsents(memberModel(dbs.profile.connection), (done) =>
    process.stdout.write(`\r${done} members migrated…`),
  );
  console.log(
    `\nMigrated ${summary.linksMigrated} links of ${summary.membersMigrated} members to consent by purpose in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
});
