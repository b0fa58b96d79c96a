import { Long } from 'mongodb';
import { embeddedOnly, useConformanceDatabase, withEmbeddedMongo } from './test-fixture.js';

const store = useConformanceDatabase('cursors', {
  seed: async (db) => {
    await db.collection('thousand').insertMany(Array.from({ length: 1000 }, (_, i) => ({ i })));
  },
});

describe('cursor batching', () => {
  it('returns 1000 documents in batches of 7 through getMore', async () => {
    const seen: number[] = [];
    for await (const doc of store.db.collection('thousand').find({}, { batchSize: 7, sort: { i: 1 } }))
      seen.push(doc.i);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('speaks the raw find/getMore protocol with batch sizes and cursor ids', async () => {
    const first = await store.db.command({ find: 'thousand', filter: {}, sort: { i: 1 }, batchSize: 7 });
    expect(first.cursor.firstBatch).toHaveLength(7);
    expect(first.cursor.ns).toBe(`${store.db.databaseName}.thousand`);
    const id = first.cursor.id as Long;
    expect(Long.fromValue(id).isZero()).toBe(false);
    const next = await store.db.command({ getMore: id, collection: 'thousand', batchSize: 10 });
    expect(next.cursor.nextBatch.map((doc: { i: number }) => doc.i)).toEqual([
      7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]);
    const rest = await store.db.command({ getMore: id, collection: 'thousand' });
    expect(rest.cursor.nextBatch).toHaveLength(1000 - 17);
    expect(Long.fromValue(rest.cursor.id).isZero()).toBe(true);
  });

  it('closes the cursor after the first batch with singleBatch or a limit', async () => {
    const single = await store.db.command({ find: 'thousand', filter: {}, batchSize: 5, singleBatch: true });
    expect(single.cursor.firstBatch).toHaveLength(5);
    expect(Long.fromValue(single.cursor.id).isZero()).toBe(true);
    const limited = await store.db.collection('thousand').find({}).limit(250).batchSize(100).toArray();
    expect(limited).toHaveLength(250);
  });

  it('answers CursorNotFound after killCursors', async () => {
    const first = await store.db.command({ find: 'thousand', filter: {}, batchSize: 2 });
    const killed = await store.db.command({ killCursors: 'thousand', cursors: [first.cursor.id] });
    expect(killed.cursorsKilled.map((id: Long) => Long.fromValue(id).toString())).toEqual([
      Long.fromValue(first.cursor.id).toString(),
    ]);
    await expect(
      store.db.command({ getMore: first.cursor.id, collection: 'thousand' }),
    ).rejects.toMatchObject({
      code: 43,
    });
  });

  it('kills the server cursor when the client closes it early', async () => {
    const cursor = store.db.collection('thousand').find({}, { batchSize: 3 });
    await cursor.next();
    const id = cursor.id!;
    expect(id.isZero()).toBe(false);
    await cursor.close();
    await expect(store.db.command({ getMore: id, collection: 'thousand' })).rejects.toMatchObject({
      code: 43,
    });
  });

  it('reports an unknown cursor id as CursorNotFound', async () => {
    await expect(
      store.db.command({ getMore: Long.fromNumber(123456789), collection: 'thousand' }),
    ).rejects.toMatchObject({
      code: 43,
    });
  });
});

// Idle-cursor expiry is a server setting (cursorTimeoutMillis), adjustable only on the embedded store.
embeddedOnly('idle cursor timeout (embedded store)', () => {
  it('forgets a cursor that stayed idle longer than the timeout', async () => {
    await withEmbeddedMongo({ cursorTimeoutMs: 1 }, async (short) => {
      const local = short.db('timeouts');
      await local.collection('c').insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
      const first = await local.command({ find: 'c', filter: {}, batchSize: 1 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(local.command({ getMore: first.cursor.id, collection: 'c' })).rejects.toMatchObject({
        code: 43,
      });
    });
  });
});
