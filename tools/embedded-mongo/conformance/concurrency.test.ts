import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startTestMongo, uniqueDbName } from './test-fixture.js';
import type { TestMongo } from './test-fixture.js';

const CLIENTS = 5;

let mongo: TestMongo;
let clients: MongoClient[];
let dbName: string;

beforeAll(async () => {
  mongo = await startTestMongo();
  dbName = uniqueDbName('concurrency');
  clients = await Promise.all(Array.from({ length: CLIENTS }, () => MongoClient.connect(mongo.uri)));
});

afterAll(async () => {
  await clients[0].db(dbName).dropDatabase();
  await Promise.all(clients.map((client) => client.close()));
  await mongo.stop();
});

const dbOf = (client: MongoClient): Db => client.db(dbName);

describe('several clients at once', () => {
  it('keeps every insert when 5 clients insert 200 documents each concurrently', async () => {
    await Promise.all(
      clients.map((client, c) =>
        Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            dbOf(client).collection('inserts').insertOne({ client: c, i }),
          ),
        ),
      ),
    );
    const collection = dbOf(clients[0]).collection('inserts');
    expect(await collection.countDocuments()).toBe(CLIENTS * 200);
    for (let c = 0; c < CLIENTS; c += 1) expect(await collection.countDocuments({ client: c })).toBe(200);
  });

  it('leaves exactly one document per key when upserts race on a unique key', async () => {
    const setup = dbOf(clients[0]).collection('racing_upserts');
    await setup.createIndex({ key: 1 }, { unique: true });
    const keys = Array.from({ length: 20 }, (_, k) => `k${k}`);
    const outcomes = await Promise.all(
      clients.flatMap((client, c) =>
        keys.map((key) =>
          dbOf(client)
            .collection('racing_upserts')
            .updateOne({ key }, { $setOnInsert: { winner: c }, $inc: { hits: 1 } }, { upsert: true })
            .then(
              (result) =>
                result.upsertedCount === 1 ? 'inserted' : result.matchedCount === 1 ? 'matched' : 'other',
              (err: { code?: number }) => (err.code === 11000 ? 'duplicate' : `error ${String(err.code)}`),
            ),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(keys.length);
    expect(outcomes.every((o) => o === 'inserted' || o === 'matched' || o === 'duplicate')).toBe(true);
    for (const key of keys) expect(await setup.countDocuments({ key })).toBe(1);
    const hits = await setup.aggregate([{ $group: { _id: null, total: { $sum: '$hits' } } }]).toArray();
    expect(hits[0].total).toBe(outcomes.filter((o) => o !== 'duplicate').length);
  });

  it('never lets two clients insert the same unique value', async () => {
    const setup = dbOf(clients[0]).collection('racing_inserts');
    await setup.createIndex({ email: 1 }, { unique: true });
    const results = await Promise.allSettled(
      clients.map((client) => dbOf(client).collection('racing_inserts').insertOne({ email: 'same@x' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected' && (r.reason as { code?: number }).code === 11000),
    ).toHaveLength(CLIENTS - 1);
  });

  it('applies concurrent increments atomically', async () => {
    const counters = dbOf(clients[0]).collection('counters');
    await counters.insertOne({ _id: 'c' as never, n: 0 });
    await Promise.all(
      clients.flatMap((client) =>
        Array.from({ length: 50 }, () =>
          dbOf(client)
            .collection('counters')
            .findOneAndUpdate({ _id: 'c' as never }, { $inc: { n: 1 } }),
        ),
      ),
    );
    expect(await counters.findOne({ _id: 'c' as never })).toEqual({ _id: 'c', n: CLIENTS * 50 });
  });
});
