import { MongoServerError } from 'mongodb';
import { embeddedOnly, uniqueDbName, useConformanceDatabase } from './test-fixture.js';

const store = useConformanceDatabase('commands');

describe('server commands', () => {
  it('hello describes a writable server', async () => {
    const hello = await store.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, ok: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    expect(typeof hello.maxBsonObjectSize).toBe('number');
    const legacy = await store.db.admin().command({ isMaster: 1 });
    expect(legacy).toMatchObject({ ismaster: true, ok: 1 });
  });

  it('ping, buildInfo, getParameter and serverStatus answer', async () => {
    expect(await store.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await store.db.admin().command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(Array.isArray(info.versionArray)).toBe(true);
    const fcv = await store.db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(fcv.featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
    const status = await store.db.admin().command({ serverStatus: 1 });
    expect(status).toMatchObject({ ok: 1 });
    expect(status.connections.current).toBeGreaterThan(0);
    expect(status.mem.resident).toBeGreaterThan(0);
  });

  it('answers an unknown command with CommandNotFound', async () => {
    await expect(store.db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  it('accepts endSessions', async () => {
    const session = store.client.startSession();
    await store.db.collection('sessions').insertOne({ a: 1 }, { session });
    await session.endSession();
    expect(await store.db.admin().command({ endSessions: [] })).toMatchObject({ ok: 1 });
  });
});

describe('transactions on a standalone server', () => {
  it('refuses a transaction with IllegalOperation, like a real standalone', async () => {
    const session = store.client.startSession();
    try {
      session.startTransaction();
      const error = await store.db
        .collection('txn')
        .findOne({}, { session })
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error).toMatchObject({
        code: 20,
        errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
      });
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });

  it('refuses transactional writes too', async () => {
    const session = store.client.startSession();
    try {
      session.startTransaction();
      const error = (await store.db
        .collection('txn')
        .insertOne({ a: 1 }, { session })
        .catch((err: unknown) => err)) as MongoServerError & { originalError?: MongoServerError };
      // The driver rewrites code 20 on writes into its "retryable writes" hint, keeping the server error.
      expect(error.code ?? error.originalError?.code).toBe(20);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
    expect(await store.db.collection('txn').countDocuments()).toBe(0);
  });
});

describe('collection and database commands', () => {
  it('creates collections explicitly and refuses an existing name only when options differ', async () => {
    await store.db.createCollection('explicit');
    await expect(store.db.command({ create: 'explicit' })).resolves.toMatchObject({ ok: 1 });
    const names = (await store.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('explicit');
    await expect(
      store.db.command({ create: 'explicit', validator: { a: { $exists: true } } }),
    ).rejects.toMatchObject({
      code: 48,
    });
  });

  it('filters listCollections by name and reports collection info', async () => {
    await store.db.collection('alpha').insertOne({ a: 1 });
    await store.db.collection('beta').insertOne({ b: 1 });
    const filtered = await store.db.listCollections({ name: 'alpha' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'alpha', type: 'collection' });
    const byRegex = await store.db
      .listCollections({ name: { $in: ['alpha', 'beta'] } }, { nameOnly: true })
      .toArray();
    expect(byRegex.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
  });

  it('lists databases including this one', async () => {
    const { databases } = await store.db.admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(store.db.databaseName);
  });

  it('reports collStats and dbStats', async () => {
    await store.db.collection('stats').insertMany([{ a: 1 }, { a: 2 }]);
    const coll = await store.db.command({ collStats: 'stats' });
    expect(coll).toMatchObject({ ns: `${store.db.databaseName}.stats`, count: 2, ok: 1 });
    expect(coll.size).toBeGreaterThan(0);
    expect(coll.nindexes).toBe(1);
    const stats = await store.db.command({ dbStats: 1 });
    expect(stats.db).toBe(store.db.databaseName);
    expect(stats.collections).toBeGreaterThanOrEqual(1);
    expect(stats.objects).toBeGreaterThanOrEqual(2);
  });

  it('renames collections, keeping documents and indexes', async () => {
    const from = store.db.collection('rename_from');
    await from.insertOne({ k: 'v' });
    await from.createIndex({ k: 1 }, { unique: true });
    await from.rename('rename_to');
    const to = store.db.collection('rename_to');
    expect(await to.findOne({}, { projection: { _id: 0 } })).toEqual({ k: 'v' });
    expect((await to.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'k_1']);
    await expect(to.insertOne({ k: 'v' })).rejects.toMatchObject({ code: 11000 });
  });

  it('enforces query validators', async () => {
    await store.db.createCollection('validated', { validator: { qty: { $gte: 0 } } });
    await store.db.collection('validated').insertOne({ qty: 1 });
    await expect(store.db.collection('validated').insertOne({ qty: -1 })).rejects.toMatchObject({
      code: 121,
    });
    await expect(
      store.db.collection('validated').insertOne({ qty: -2 }, { bypassDocumentValidation: true }),
    ).resolves.toMatchObject({ acknowledged: true });
  });

  it('drops collections and databases', async () => {
    const temp = store.db.collection('to_drop');
    await temp.insertOne({ a: 1 });
    await temp.drop();
    const names = (await store.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('to_drop');
    const other = store.client.db(uniqueDbName('dropme'));
    await other.collection('x').insertOne({ a: 1 });
    await other.dropDatabase();
    const { databases } = await store.db.admin().listDatabases();
    expect(databases.map((d) => d.name)).not.toContain(other.databaseName);
  });
});

// Features the embedded store leaves out must fail loudly rather than be silently ignored.

embeddedOnly('unsupported features (embedded store)', () => {
  it('refuses collations, text indexes and capped collections with NotImplemented', async () => {
    const coll = store.db.collection('unsupported');
    await expect(coll.find({}, { collation: { locale: 'fr' } }).toArray()).rejects.toMatchObject({
      code: 238,
    });
    await expect(coll.createIndex({ body: 'text' })).rejects.toMatchObject({ code: 67 });
    await expect(store.db.createCollection('capped', { capped: true, size: 4096 })).rejects.toMatchObject({
      code: 238,
    });
    await expect(coll.find({ $text: { $search: 'x' } }).toArray()).rejects.toMatchObject({ code: 238 });
  });
});

embeddedOnly('what the store holds (embedded store)', () => {
  it('reports its documents, as BSON and as stored, and its heap in serverStatus', async () => {
    const before = (await store.db.admin().command({ serverStatus: 1 })).embeddedStore.memoryMiB;
    // About 4 MiB of BSON: enough to move the MiB figures.
    const docs = Array.from({ length: 2_000 }, (_, i) => ({ i, text: 'x'.repeat(2_000) }));
    await store.db.collection('footprint').insertMany(docs);
    const after = (await store.db.admin().command({ serverStatus: 1 })).embeddedStore.memoryMiB;
    expect(after.documentsBson - before.documentsBson).toBeGreaterThanOrEqual(3);
    expect(after.documentsStored - before.documentsStored).toBeGreaterThanOrEqual(3);
    expect(after.heapUsed).toBeGreaterThan(0);
    await store.db.collection('footprint').drop();
  });
});
