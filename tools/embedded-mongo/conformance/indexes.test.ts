import mongoose from 'mongoose';
import { MongoBulkWriteError } from 'mongodb';
import type { Document } from 'mongodb';
import { embeddedOnly, planStages, useConformanceDatabase, withEmbeddedMongo } from './test-fixture.js';

const store = useConformanceDatabase('indexes', {
  mongoose: true,
});

describe('unique indexes through the driver', () => {
  it('rejects a duplicate on insert and on update with keyPattern and keyValue', async () => {
    const users = store.db.collection('unique_single');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([{ email: 'a@x' }, { email: 'b@x' }]);
    await expect(users.insertOne({ email: 'a@x' })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x' },
    });
    await expect(users.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'a@x' },
    });
    expect(await users.countDocuments()).toBe(2);
  });

  it('enforces compound unique keys on the combination only', async () => {
    const accounts = store.db.collection('unique_compound');
    await accounts.createIndex({ brand: 1, email: 1 }, { unique: true });
    await accounts.insertMany([
      { brand: 'north', email: 'a@x' },
      { brand: 'south', email: 'a@x' },
    ]);
    await expect(accounts.insertOne({ brand: 'north', email: 'a@x' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { brand: 'north', email: 'a@x' },
    });
  });

  it('enforces uniqueness per array element (multikey)', async () => {
    const cards = store.db.collection('unique_multikey');
    await cards.createIndex({ codes: 1 }, { unique: true });
    await cards.insertOne({ codes: ['x', 'y', 'y'] });
    await expect(cards.insertOne({ codes: ['z', 'y'] })).rejects.toMatchObject({
      code: 11000,
      keyValue: { codes: 'y' },
    });
    await cards.insertOne({ codes: ['z'] });
    expect(await cards.countDocuments({ codes: 'y' })).toBe(1);
  });

  it('lets two documents without the field collide in a non-sparse unique index', async () => {
    const plain = store.db.collection('unique_missing');
    await plain.createIndex({ handle: 1 }, { unique: true });
    await plain.insertOne({ other: 1 });
    await expect(plain.insertOne({ other: 2 })).rejects.toMatchObject({
      code: 11000,
      keyValue: { handle: null },
    });
    await expect(plain.insertOne({ handle: null })).rejects.toMatchObject({ code: 11000 });
  });

  it('skips documents without the field in a sparse unique index', async () => {
    const sparse = store.db.collection('unique_sparse');
    await sparse.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ other: 1 }, { other: 2 }, { handle: 'h' }]);
    await expect(sparse.insertOne({ handle: 'h' })).rejects.toMatchObject({ code: 11000 });
  });

  it('applies a partial unique index only to documents matching its filter', async () => {
    const partial = store.db.collection('unique_partial');
    await partial.createIndex(
      { code: 1 },
      { unique: true, partialFilterExpression: { status: { $eq: 'active' } } },
    );
    await partial.insertMany([
      { code: 'c1', status: 'retired' },
      { code: 'c1', status: 'retired' },
      { code: 'c1', status: 'active' },
    ]);
    await expect(partial.insertOne({ code: 'c1', status: 'active' })).rejects.toMatchObject({ code: 11000 });
    await expect(
      partial.updateOne({ status: 'retired' }, { $set: { status: 'active' } }),
    ).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('refuses to build a unique index over duplicate data, leaving no index behind', async () => {
    const dupes = store.db.collection('unique_late');
    await dupes.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(dupes.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await dupes.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('reports each failure of an unordered insertMany and inserts the rest', async () => {
    const bulk = store.db.collection('unique_unordered');
    await bulk.createIndex({ k: 1 }, { unique: true });
    const error = await bulk
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }], { ordered: false })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulkError = error as MongoBulkWriteError;
    expect(bulkError.insertedCount).toBe(3);
    const writeErrors = Array.isArray(bulkError.writeErrors)
      ? bulkError.writeErrors
      : [bulkError.writeErrors];
    expect(writeErrors.map((writeError) => [writeError.index, writeError.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(await bulk.countDocuments()).toBe(3);
  });

  it('stops an ordered insertMany at the first failure', async () => {
    const bulk = store.db.collection('unique_ordered');
    await bulk.createIndex({ k: 1 }, { unique: true });
    const error = (await bulk
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }])
      .catch((err: unknown) => err)) as MongoBulkWriteError;
    expect(error.insertedCount).toBe(1);
    expect(await bulk.countDocuments()).toBe(1);
  });
});

describe('index entries after updates', () => {
  it('finds the updated version through indexes the update did not touch', async () => {
    const members = store.db.collection('entries_after_update');
    await members.createIndex(
      { memberId: 1 },
      { unique: true, partialFilterExpression: { memberId: { $type: 'string' } } },
    );
    await members.createIndex({ tags: 1 });
    await members.insertMany([
      { _id: 1 as never, memberId: 'm1', tags: ['x', 'y'], n: 0 },
      { _id: 2 as never, memberId: 'm2', tags: ['x'], n: 0 },
      { _id: 3 as never, memberId: null, tags: ['x'], n: 0 },
    ]);
    await members.updateMany({}, { $inc: { n: 1, 'stats.visits': 1 } });
    const pushLog: Document = { $push: { log: 'seen' } };
    await members.updateOne({ _id: 1 as never }, pushLog);
    expect(await members.findOne({ memberId: 'm1' })).toMatchObject({
      n: 1,
      stats: { visits: 1 },
      log: ['seen'],
    });
    const tagged = await members.find({ tags: 'x' }, { sort: { _id: 1 } }).toArray();
    expect(tagged.map((doc) => [doc._id, doc.n])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // The unique index still knows which document holds each key.
    await expect(members.updateOne({ _id: 2 as never }, { $set: { memberId: 'm1' } })).rejects.toMatchObject({
      code: 11000,
    });
    await members.updateOne({ _id: 3 as never }, { $set: { memberId: 'm3' } });
    expect(await members.findOne({ memberId: 'm3' })).toMatchObject({ _id: 3, n: 1 });
    const moveAndUntag: Document = { $set: { memberId: 'm4' }, $pull: { tags: 'x' } };
    await members.updateOne({ _id: 1 as never }, moveAndUntag);
    expect(await members.findOne({ memberId: 'm1' })).toBeNull();
    expect((await members.find({ tags: 'x' }).toArray()).map((doc) => doc._id).sort()).toEqual([2, 3]);
    expect(await members.countDocuments({ tags: 'y' })).toBe(1);
  });
});

describe('unique indexes through mongoose', () => {
  const schema = new mongoose.Schema({
    email: { type: String, unique: true, required: true },
    name: String,
  });
  const Account = () => store.connection.model('Account', schema);

  beforeAll(async () => {
    await Account().init();
  });

  it('create / updateOne / findOneAndUpdate upsert all fail with E11000', async () => {
    await Account().create({ email: 'taken@x', name: 'first' });
    await Account().create({ email: 'free@x', name: 'second' });
    await expect(Account().create({ email: 'taken@x' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'taken@x' },
    });
    await expect(
      Account().updateOne({ email: 'free@x' }, { $set: { email: 'taken@x' } }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    await expect(
      Account().findOneAndUpdate(
        { name: 'nobody' },
        { $set: { email: 'taken@x' } },
        { upsert: true, returnDocument: 'after' },
      ),
    ).rejects.toMatchObject({ code: 11000, keyValue: { email: 'taken@x' } });
  });

  it('insertMany unordered inserts the valid documents and reports the duplicates', async () => {
    const error = await Account()
      .insertMany([{ email: 'bulk1@x' }, { email: 'taken@x' }, { email: 'bulk2@x' }], { ordered: false })
      .catch((err: unknown) => err as { code?: number; writeErrors?: unknown[]; insertedDocs?: unknown[] });
    expect(error).toMatchObject({ code: 11000 });
    expect(await Account().countDocuments({ email: { $in: ['bulk1@x', 'bulk2@x'] } })).toBe(2);
  });

  it('insertMany ordered stops at the duplicate', async () => {
    await expect(
      Account().insertMany([{ email: 'ord1@x' }, { email: 'taken@x' }, { email: 'ord2@x' }]),
    ).rejects.toMatchObject({
      code: 11000,
    });
    expect(await Account().countDocuments({ email: { $in: ['ord1@x', 'ord2@x'] } })).toBe(1);
  });
});

describe('index management', () => {
  it('lists index options as created', async () => {
    const managed = store.db.collection('managed');
    await managed.createIndex({ a: 1, b: -1 }, { name: 'a_b', unique: true, sparse: true });
    await managed.createIndex({ c: 1 }, { partialFilterExpression: { c: { $gt: 5 } } });
    const indexes = await managed.listIndexes().toArray();
    expect(indexes.map((index) => index.name)).toEqual(['_id_', 'a_b', 'c_1']);
    expect(indexes[1]).toMatchObject({ key: { a: 1, b: -1 }, unique: true, sparse: true });
    expect(indexes[2]).toMatchObject({ key: { c: 1 }, partialFilterExpression: { c: { $gt: 5 } } });
  });

  it('treats re-creating an identical index as a no-op and conflicting ones as errors', async () => {
    const managed = store.db.collection('managed');
    await expect(managed.createIndex({ c: 1 }, { partialFilterExpression: { c: { $gt: 5 } } })).resolves.toBe(
      'c_1',
    );
    await expect(managed.createIndex({ z: 1 }, { name: 'a_b' })).rejects.toMatchObject({ code: 86 });
    await expect(
      managed.createIndex({ c: 1 }, { name: 'other', partialFilterExpression: { c: { $gt: 5 } } }),
    ).rejects.toMatchObject({ code: 85 });
  });

  it('drops indexes by name, by key and all at once', async () => {
    const managed = store.db.collection('managed');
    await managed.dropIndex('a_b');
    await managed.dropIndex({ c: 1 } as never);
    await managed.createIndex({ d: 1 });
    await managed.dropIndexes();
    expect((await managed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
    await expect(managed.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
  });

  it('answers listIndexes on a missing collection with NamespaceNotFound', async () => {
    await expect(store.db.collection('no_such_collection').listIndexes().toArray()).rejects.toMatchObject({
      code: 26,
    });
  });
});

describe('index use on 100k documents', () => {
  const COUNT = 100_000;
  const big = () => store.db.collection('big');

  beforeAll(async () => {
    const docs = Array.from({ length: COUNT }, (_, i) => ({
      _id: i,
      memberId: `m${i}`,
      brand: `b${i % 10}`,
      n: i % 7,
    }));
    await big().insertMany(docs as never[]);
    await big().createIndex({ memberId: 1 }, { unique: true });
    await big().createIndex({ brand: 1, n: 1 });
  });

  it('finds 100 ids with $in through the index, examining only those documents', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `m${i * 997}`);
    const found = await big()
      .find({ memberId: { $in: ids } })
      .toArray();
    expect(found.map((doc) => doc.memberId).sort()).toEqual([...ids].sort());
    const explained = await store.db.command({
      explain: { find: 'big', filter: { memberId: { $in: ids } } },
      verbosity: 'executionStats',
    });
    expect(planStages(explained.queryPlanner.winningPlan)).toContain('IXSCAN');
    expect(planStages(explained.queryPlanner.winningPlan)).not.toContain('COLLSCAN');
    expect(explained.executionStats.nReturned).toBe(100);
    expect(explained.executionStats.totalDocsExamined).toBe(100);
  });

  it('uses the _id index and compound index prefixes, and scans when nothing is indexed', async () => {
    const stagesOf = async (filter: object) =>
      planStages(
        (await store.db.command({ explain: { find: 'big', filter }, verbosity: 'queryPlanner' })).queryPlanner
          .winningPlan,
      );
    expect((await stagesOf({ _id: { $in: [1, 2, 3] } })).some((stage) => /IXSCAN|IDHACK/.test(stage))).toBe(
      true,
    );
    expect(await stagesOf({ brand: 'b3' })).toContain('IXSCAN');
    expect(await stagesOf({ $and: [{ brand: 'b3' }, { n: { $in: [1, 2] } }] })).toContain('IXSCAN');
    expect(await stagesOf({ n: 3 })).toContain('COLLSCAN');
  });

  it('returns the same documents with and without an index', async () => {
    const viaIndex = await big().countDocuments({ brand: 'b3', n: 4 });
    const viaScan = await big().countDocuments({
      $expr: { $and: [{ $eq: ['$brand', 'b3'] }, { $eq: ['$n', 4] }] },
    });
    expect(viaIndex).toBe(viaScan);
    expect(viaIndex).toBeGreaterThan(0);
  });
});

// The real server's TTL monitor runs once a minute; only the embedded store's interval can be shortened.
embeddedOnly('TTL indexes (embedded store)', () => {
  it('removes documents whose date is older than expireAfterSeconds', async () => {
    await withEmbeddedMongo({ ttlIntervalMs: 5 }, async (ttlClient) => {
      const sessions = ttlClient.db('ttl').collection('sessions');
      await sessions.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 60 });
      await sessions.insertMany([
        { name: 'stale', lastSeen: new Date(Date.now() - 3_600_000) },
        { name: 'fresh', lastSeen: new Date(Date.now() + 3_600_000) },
        { name: 'no date', lastSeen: 'not a date' },
      ]);
      // Wait for a sweep: poll instead of assuming how long one takes.
      for (
        let attempt = 0;
        attempt < 500 && (await sessions.countDocuments({ name: 'stale' })) > 0;
        attempt += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await sessions.find({}, { sort: { name: 1 } }).toArray()).map((doc) => doc.name)).toEqual([
        'fresh',
        'no date',
      ]);
    });
  });
});
