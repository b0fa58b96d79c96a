import type { FederationDatabases } from './federation-databases.js';
import { waitForEventBacklog, waitForExpirySweep } from './wait-for-event-backlog.js';

/** The error the driver throws when no server answered within its selection window. */
function unreachable(): Error {
  const error = new Error('connection <monitor> to 127.0.0.1:1 timed out');
  error.name = 'MongoServerSelectionError';
  return error;
}

/**
 * Databases whose counts come from `answer`, called once per read with how many reads came before; it may
 * throw. A `findOne` finds a document when the count is above zero. Only what the waits read is there.
 */
function databases(answer: (collection: string, reads: number) => number): FederationDatabases {
  let reads = 0;
  const collection = (name: string) => {
    const count = async () => answer(name, reads++);
    const findOne = async () => ((await count()) > 0 ? { _id: 'e1' } : null);
    return { countDocuments: count, estimatedDocumentCount: count, findOne };
  };
  const handle = { connection: { collection } };
  return { benefits: handle, brands: new Map([['a', handle]]) } as unknown as FederationDatabases;
}

describe('waitForEventBacklog', () => {
  it('goes on polling while the store misses its selection window, and ends once the backlog is quiet', async () => {
    const dbs = databases((collection, reads) => {
      if (reads < 6) throw unreachable();
      return collection === 'events' ? 0 : 42;
    });
    await expect(waitForEventBacklog(dbs, 600, 10_000)).resolves.toBeUndefined();
  });

  it('does not count the turns it could not read as quiet', async () => {
    // Unreachable for about 1.5 s, longer than the quiet period: ending then would report a backlog unseen.
    let answered = 0;
    const dbs = databases((collection, reads) => {
      if (reads < 6) throw unreachable();
      answered += 1;
      return collection === 'events' ? 0 : 1;
    });
    await waitForEventBacklog(dbs, 500, 10_000);
    expect(answered).toBeGreaterThan(0);
  });

  it('waits while some event is still to publish, though the ledger stands still', async () => {
    let eventReads = 0;
    const dbs = databases((collection) => {
      if (collection !== 'events') return 7;
      eventReads += 1;
      return eventReads <= 8 ? 1 : 0; // about 2 s of events waiting, longer than the quiet period
    });
    await waitForEventBacklog(dbs, 500, 10_000);
    expect(eventReads).toBeGreaterThan(8);
  });

  it('throws any error but an unreachable store at once', async () => {
    const dbs = databases(() => {
      throw new Error('not authorized on brand_a to execute command');
    });
    await expect(waitForEventBacklog(dbs, 500, 10_000)).rejects.toThrow('not authorized');
  });

  it('gives up when the store never answers within the timeout', async () => {
    const dbs = databases(() => {
      throw unreachable();
    });
    await expect(waitForEventBacklog(dbs, 200, 1_000)).rejects.toThrow('did not drain within 1 s');
  });
});

describe('waitForExpirySweep', () => {
  it('goes on polling while the store misses its selection window', async () => {
    const dbs = databases((_collection, reads) => {
      if (reads < 2) throw unreachable();
      return reads < 3 ? 1 : 0;
    });
    await expect(waitForExpirySweep(dbs, 10_000)).resolves.toBeUndefined();
  });
});
