import { UNPUBLISHED_EVENTS } from '../../subgraphs/brand/data/brand-models.js';
import { isStoreUnavailable } from '../../subgraphs/shared/db/store-unavailable.js';
import type { FederationDatabases } from './federation-databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `read`'s answer, or null when the store could not be reached in time (a store busy with a large backlog
 * can miss the driver's server selection window now and then): a poll skips that turn instead of ending the
 * wait. Any other error is thrown.
 */
async function unlessUnreachable<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isStoreUnavailable(error)) return null;
    throw error;
  }
}

/** What a long wait reports now and then: whether events still wait to be published, and the ledger's entries. */
export interface BacklogProgress {
  eventsWaiting: boolean;
  ledgerEntries: number;
  waitedMs: number;
}

const PROGRESS_EVERY_MS = 30_000;

/**
 * Waits until the outboxes are published and the points ledger has stopped growing for `quietMs`: the
 * events a seed left behind have gone through. Benchmarks call it so they measure their own load alone.
 * `onProgress` hears how far it is every 30 s (a large seed's backlog takes many minutes).
 */
export async function waitForEventBacklog(
  dbs: FederationDatabases,
  quietMs = 1_500,
  timeoutMs = 300_000,
  onProgress?: (progress: BacklogProgress) => void,
): Promise<void> {
  const ledger = dbs.benefits.connection.collection('points_ledger');
  const started = Date.now();
  let last = -1;
  let quietSince = Date.now();
  let reportedAt = started;
  while (Date.now() - started < timeoutMs) {
    await sleep(250);
    const counts = await unlessUnreachable(async () => ({
      eventsWaiting: await eventsWaiting(dbs),
      count: await ledger.estimatedDocumentCount(),
    }));
    if (!counts) {
      quietSince = Date.now(); // nothing is known of this turn: it does not count as quiet
      continue;
    }
    const { eventsWaiting: waiting, count } = counts;
    if (onProgress && Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = Date.now();
      onProgress({ eventsWaiting: waiting, ledgerEntries: count, waitedMs: reportedAt - started });
    }
    if (waiting || count !== last) quietSince = Date.now();
    last = count;
    if (Date.now() - quietSince >= quietMs) return;
  }
  throw new Error(`the event backlog did not drain within ${timeoutMs / 1000} s`);
}

/**
 * Whether some brand still holds an event not yet published. Asked as an existence (one document read), not
 * a count: a count reads every document it counts unless its index decides it alone, and right after a
 * large seed that is every event (2.75 million at 100,000 members: a minute or more per count, with the store
 * answering no one else meanwhile).
 */
async function eventsWaiting(dbs: FederationDatabases): Promise<boolean> {
  for (const db of dbs.brands.values()) {
    const events = db.connection.collection('events');
    if (await events.findOne(UNPUBLISHED_EVENTS, { projection: { _id: 1 } })) return true;
  }
  return false;
}

/**
 * Waits until no wallet holds points whose expiry has come: the benefits service's wallet maintenance (every
 * minute) has swept what a seed's history left due. Benchmarks call it after `waitForEventBacklog`, so that
 * the first sweep (a burst of expiry entries) does not land in their measured rounds.
 */
export async function waitForExpirySweep(dbs: FederationDatabases, timeoutMs = 180_000): Promise<void> {
  const wallets = dbs.benefits.connection.collection('wallets');
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const due = await unlessUnreachable(() =>
      wallets.countDocuments({ nextExpiryAt: { $lte: new Date() } }, { limit: 1 }),
    );
    if (due === 0) return;
    await sleep(1_000);
  }
  throw new Error(`the points due to expire were not swept within ${timeoutMs / 1000} s`);
}
