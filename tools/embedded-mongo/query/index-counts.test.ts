import type { Document } from 'bson';
import { Query } from 'mingo';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import { SeededRandom } from '../../seed/seeded-random.js';
import { startEmbeddedMongo } from '../index.js';
import type { EmbeddedMongo } from '../index.js';

/**
 * Counts an index lookup decides on its own (no residual filter) are answered from the number of its
 * records, without reading a document (a server's COUNT_SCAN); every other count reads them. Both must give
 * what the documents themselves give.
 */
describe('counts through an index', () => {
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  let events: Collection;
  const docs: Document[] = [];

  const STATES = ['received', 'applied', 'void'];
  const KINDS = ['earn', 'spend', 'expire', 'reverse'];
  const TAGS = ['a', 'b', 'c', 'd', 'e'];

  beforeAll(async () => {
    mongo = await startEmbeddedMongo({ port: 0 });
    client = await MongoClient.connect(mongo.uri);
    events = client.db('counts').collection('events');
    await events.createIndex({ state: 1, receivedAt: 1 }, { partialFilterExpression: { published: false } });
    await events.createIndex({ kind: 1, member: 1 });
    await events.createIndex({ tags: 1 });
    await events.createIndex({ ref: 1 }, { partialFilterExpression: { ref: { $gt: '' } } });
    // A partial filter on a field outside the key: a query implying it by another condition still tests it.
    await events.createIndex({ member: 1 }, { partialFilterExpression: { score: { $gt: 5 } } });
    const random = new SeededRandom(11);
    for (let i = 0; i < 3_000; i++) {
      docs.push({
        _id: i,
        state: random.pick(STATES),
        published: random.next() < 0.4 ? false : random.next() < 0.9 ? true : null,
        receivedAt: new Date(Date.UTC(2026, 0, 1) + random.int(0, 50) * 60_000),
        kind: random.pick(KINDS),
        member: `M${random.int(0, 40)}`,
        tags: Array.from({ length: random.int(0, 3) }, () => random.pick(TAGS)),
        ref: random.next() < 0.3 ? `R${random.int(0, 200)}` : null,
        score: random.int(0, 10),
      });
    }
    await events.insertMany(docs.map((doc) => ({ ...doc })));
  });

  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  const filters = (random: SeededRandom): Document => {
    const shapes: (() => Document)[] = [
      () => ({ published: false, state: random.pick(STATES) }),
      () => ({ published: false, state: { $in: [random.pick(STATES), random.pick(STATES)] } }),
      () => ({
        state: random.pick(STATES),
        published: false,
        receivedAt: { $gte: new Date(Date.UTC(2026, 0, 1)) },
      }),
      () => ({ published: true, state: random.pick(STATES) }),
      () => ({ kind: random.pick(KINDS) }),
      () => ({ kind: random.pick(KINDS), member: `M${random.int(0, 40)}` }),
      () => ({ kind: { $in: [random.pick(KINDS), random.pick(KINDS)] }, member: `M${random.int(0, 40)}` }),
      () => ({ kind: random.pick(KINDS), published: false }),
      () => ({ tags: random.pick(TAGS) }),
      () => ({ tags: { $in: [random.pick(TAGS), random.pick(TAGS)] } }),
      () => ({ ref: `R${random.int(0, 200)}` }),
      () => ({
        ref: { $in: [`R${random.int(0, 200)}`, `R${random.int(0, 200)}`] },
        kind: random.pick(KINDS),
      }),
      () => ({ ref: { $gt: '' } }),
      () => ({ member: `M${random.int(0, 40)}`, score: { $gt: 5 } }),
      () => ({ member: `M${random.int(0, 40)}`, score: { $gt: random.int(5, 9) } }),
    ];
    return random.pick(shapes)();
  };

  it('gives the documents’ own counts, through find, countDocuments, $count and a constant $group', async () => {
    const random = new SeededRandom(5);
    for (let i = 0; i < 300; i++) {
      const filter = filters(random);
      // Decided by the query engine over the documents as written, apart from any plan.
      const query = new Query(filter);
      const expected = docs.filter((doc) => query.test(doc)).length;
      expect({ filter, found: (await events.find(filter).toArray()).length }).toEqual({
        filter,
        found: expected,
      });
      expect({ filter, count: await events.countDocuments(filter) }).toEqual({ filter, count: expected });
      const [counted] = await events.aggregate([{ $match: filter }, { $count: 'n' }]).toArray();
      expect({ filter, count: counted?.n ?? 0 }).toEqual({ filter, count: expected });
      const [grouped] = await events
        .aggregate([{ $match: filter }, { $group: { _id: 'all', n: { $sum: 1 } } }])
        .toArray();
      expect({ filter, grouped }).toEqual({
        filter,
        grouped: expected > 0 ? { _id: 'all', n: expected } : undefined,
      });
    }
  });

  const documentReads = async (): Promise<number> => {
    const status = await client.db('admin').command({ serverStatus: 1 });
    const { hits, misses } = status.embeddedStore.decodedDocuments as { hits: number; misses: number };
    return hits + misses;
  };

  it('reads no document for a count its index decides, and reads them for one it does not', async () => {
    const before = await documentReads();
    const unpublished = await events.countDocuments({
      published: false,
      state: { $in: ['received', 'applied'] },
    });
    expect(unpublished).toBeGreaterThan(500);
    expect(await documentReads()).toBe(before);

    // `published: true` is not the index's filter: each candidate is read and tested.
    const published = await events.countDocuments({ kind: 'earn', published: true });
    expect(published).toBeGreaterThan(0);
    expect(await documentReads()).toBeGreaterThan(before);
  });
});
