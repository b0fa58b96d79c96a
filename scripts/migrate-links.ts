/**
 * npm run migrate:links
 * For every existing link: records the account's holder (accountHolders) if none is recorded, and queues the
 * link's announcement to its brand (lifecycleOutbox), which the running profile service publishes on the
 * member-lifecycle stream; each brand then sets its account's `memberId`. Idempotent; safe while serving.
 */
import { backfillLinks } from '../subgraphs/profile/data/link-backfill.js';
import { LifecycleOutbox, lifecycleOutboxModel } from '../subgraphs/profile/data/lifecycle-outbox.js';
import {
  MemberLifecycleStore,
  accountHolderModel,
  linkCodeModel,
} from '../subgraphs/profile/data/member-lifecycle-store.js';
import { memberModel } from '../subgraphs/profile/data/member-model.js';
import { withFederationDatabases } from '../tools/local-federation/script-databases.js';

const started = Date.now();
await withFederationDatabases(async (dbs) => {
  const connection = dbs.profile.connection;
  const members = memberModel(connection);
  const outbox = lifecycleOutboxModel(connection);
  const holders = accountHolderModel(connection);
  await Promise.all([outbox.init(), holders.init()]);
  // No stream here: the announcements wait in the outbox for the profile service's relay.
  const lifecycle = new MemberLifecycleStore(
    members,
    linkCodeModel(connection),
    holders,
    new LifecycleOutbox(outbox, null),
  );
  const summary = await backfillLinks(members, lifecycle, (done) =>
    process.stdout.write(`\r${done} members…`),
  );
  console.log(
    `\nRecorded holders and queued announcements for ${summary.links} links of ${summary.members} members in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
});
