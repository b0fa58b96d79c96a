import { ObjectId, deserialize } from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../index.js';
import { SeededRandom } from '../../seed/seeded-random.js';
import { Collection, idKeyOf } from './collection.js';
import {
  StoredDocument,
  bsonOf,
  compression,
  decodedDocuments,
  storageFootprint,
} from './stored-document.js';

/**
 * Runs `body` with the decoded-copy budget set to `bytes` and compression from `compressAfter` documents
 * (0: never), then restores both.
 */
async function withBudget<T>(bytes: number, body: () => Promise<T> | T, compressAfter = 0): Promise<T> {
  const saved = { budget: decodedDocuments.budgetBytes, after: compression.afterDocuments };
  decodedDocuments.budgetBytes = bytes;
  compression.afterDocuments = compressAfter;
  try {
    return await body();
  } finally {
    decodedDocuments.budgetBytes = saved.budget;
    compression.afterDocuments = saved.after;
  }
}

interface MemberDocument {
  _id: string;
  tier: string;
  joinedAt?: Date;
  points: number;
  links: Array<{ brand: string; id?: ObjectId }>;
}

function memberDocument(i: number): MemberDocument {
  return {
    _id: `member-${String(i).padStart(5, '0')}`,
    tier: i % 3 === 0 ? 'GOLD' : 'SILVER',
    joinedAt: new Date(Date.UTC(2026, 0, 1 + (i % 28))),
    points: i * 10,
    links: [{ brand: 'inkwell', id: new ObjectId() }],
  };
}

describe('StoredDocument', () => {
  it('keeps decoded copies within the budget and decodes the rest from their bytes', async () => {
    await withBudget(4_096, () => {
      const collection = new Collection('test', 'members');
      collection.createIndex({ key: { tier: 1 }, name: 'tier_1' });
      const inserted = Array.from({ length: 500 }, (_, i) => memberDocument(i));
      for (const doc of inserted) collection.insert(doc as unknown as Document);
      const misses = decodedDocuments.stats().misses;
      for (const doc of inserted) expect(collection.get(idKeyOf(doc._id))).toEqual(doc);
      const stats = decodedDocuments.stats();
      expect(stats.bytes).toBeLessThanOrEqual(4_096);
      // Far more documents than the budget holds: most reads decoded.
      expect(stats.misses - misses).toBeGreaterThan(400);
      expect(collection.dataSize).toBeGreaterThan(10 * 4_096);
    });
  });

  it('stores the encoding, so changing the inserted object afterwards changes nothing stored', () => {
    const collection = new Collection('test', 'members');
    const doc = memberDocument(1);
    collection.insert(doc as unknown as Document);
    doc.points = -1;
    doc.links[0].brand = 'changed';
    const stored = collection.get(idKeyOf('member-00001'));
    expect(stored?.points).toBe(10);
    expect((stored?.links as Document[])[0].brand).toBe('inkwell');
  });

  it('reads the _id from the bytes as decoding would, for every type', () => {
    const ids: unknown[] = [new ObjectId(), 'plain', 'ünïcödé ✓', '', 42, 2.5, new Date(0), { a: 1 }];
    for (const id of ids) {
      const record = new StoredDocument({ _id: id, other: 'x' }, false);
      expect(record.id).toEqual(id);
    }
  });

  it('compresses the versions a large collection stores, and reads them back unchanged', async () => {
    await withBudget(
      0,
      () => {
        const collection = new Collection('test', 'members');
        collection.createIndex({ key: { tier: 1, points: -1 }, name: 'tier_points' });
        const before = storageFootprint();
        const inserted = Array.from({ length: 400 }, (_, i) => memberDocument(i));
        for (const doc of inserted) collection.insert({ ...doc });
        for (const doc of inserted.slice(0, 100)) {
          collection.replace(idKeyOf(doc._id), { ...doc, points: doc.points + 1 }, { owned: true });
          doc.points += 1;
        }
        for (const doc of inserted) expect(collection.get(idKeyOf(doc._id))).toEqual(doc);
        expect([...collection.entries()].map(([, doc]) => doc._id)).toEqual(inserted.map((doc) => doc._id));
        const after = storageFootprint();
        expect(after.bsonBytes - before.bsonBytes).toBe(collection.dataSize);
        expect(after.documentBytes - before.documentBytes).toBe(collection.storageSize);
        expect(collection.storageSize).toBeLessThan(collection.dataSize * 0.6);
      },
      50,
    );
  });

  it('sends the bytes of each update of a compressed collection, though updates are encoded in one buffer', async () => {
    await withBudget(
      1_000_000,
      () => {
        const collection = new Collection('test', 'members');
        // Over 1 KB each: smaller documents are encoded whole.
        const inserted = Array.from({ length: 60 }, (_, i) => ({
          ...memberDocument(i),
          notes: 'n'.repeat(1200),
        }));
        for (const doc of inserted) collection.insert({ ...doc }, { owned: true });
        // Each update is built by copy on write from the stored version, as the update commands build it.
        for (const doc of inserted) {
          const base = collection.get(idKeyOf(doc._id))!;
          collection.replace(idKeyOf(doc._id), { ...base, points: base.points + 1 }, { owned: true, base });
          doc.points += 1;
        }
        // A reply sends a held document's remembered bytes: each must still be its own.
        for (const doc of inserted)
          expect(deserialize(bsonOf(collection.get(idKeyOf(doc._id))!))).toEqual(doc);
      },
      50,
    );
  });

  it('compresses the documents stored before the collection grew large, a few with each later write', async () => {
    await withBudget(
      0,
      () => {
        const collection = new Collection('test', 'members');
        for (let i = 0; i < 50; i += 1) collection.insert(memberDocument(i) as unknown as Document);
        const rawFifty = collection.storageSize;
        expect(rawFifty).toBe(collection.dataSize);
        // The 51st builds the dictionary; each later write compresses 4 of the earlier documents.
        for (let i = 50; i < 64; i += 1) collection.insert(memberDocument(i) as unknown as Document);
        expect(collection.storageSize).toBeLessThan(rawFifty * 0.6);
        for (let i = 0; i < 64; i += 1) {
          expect(collection.get(idKeyOf(`member-${String(i).padStart(5, '0')}`))?.points).toBe(i * 10);
        }
      },
      50,
    );
  });

  it('gives a document read since the hand last passed a second chance, and keeps its books under churn', async () => {
    const size = new StoredDocument(memberDocument(0) as unknown as Document, false).size;
    // Room for about ten documents.
    await withBudget(size * 10 + size / 2, () => {
      // Earlier tests' documents may still hold copies: turn them out with writes of a scratch collection.
      const scratch = new Collection('test', 'scratch');
      for (let i = 0; i < 400; i += 1)
        scratch.insert(memberDocument(i) as unknown as Document, { owned: true });
      scratch.removeAll();
      expect(decodedDocuments.stats().bytes).toBe(0);
      const collection = new Collection('test', 'members');
      const id = (i: number) => idKeyOf(memberDocument(i)._id);
      for (let i = 0; i < 10; i += 1)
        collection.insert(memberDocument(i) as unknown as Document, { owned: true });
      // One read of member 0 while every other held document stays unread: a new one takes another's place.
      const before = decodedDocuments.stats().misses;
      collection.get(id(0));
      collection.insert(memberDocument(10) as unknown as Document, { owned: true });
      collection.get(id(0));
      expect(decodedDocuments.stats().misses).toBe(before);
      // Churn: inserts, reads, replacements and removals, far more than the budget holds.
      const seeded = new SeededRandom(3);
      const random = () => seeded.next();
      const live = new Map<number, Document>();
      for (let i = 0; i < 11; i += 1) live.set(i, collection.get(id(i))!);
      for (let step = 0, next = 11; step < 5_000; step += 1) {
        const roll = random();
        const some = [...live.keys()][Math.floor(random() * live.size)];
        if (roll < 0.3 || live.size < 5) {
          const doc = memberDocument(next) as unknown as Document;
          collection.insert({ ...doc }, { owned: true });
          live.set(next++, doc);
        } else if (roll < 0.6) expect(collection.get(id(some))).toEqual(live.get(some));
        else if (roll < 0.8) {
          const doc = { ...live.get(some)!, points: step };
          collection.replace(id(some), { ...doc }, { owned: true });
          live.set(some, doc);
        } else {
          collection.remove(id(some));
          live.delete(some);
        }
        const stats = decodedDocuments.stats();
        expect(stats.bytes).toBeLessThanOrEqual(decodedDocuments.budgetBytes);
        expect(stats.bytes).toBeGreaterThanOrEqual(0);
      }
      // Removing every document leaves nothing of this collection held.
      const held = decodedDocuments.stats();
      for (const i of live.keys()) collection.remove(id(i));
      expect(held.documents - decodedDocuments.stats().documents).toBeLessThanOrEqual(live.size);
      expect(decodedDocuments.stats().bytes).toBe(0);
    });
  });

  it('lets go of a replaced or removed document’s decoded copy', async () => {
    await withBudget(1_000_000, () => {
      const collection = new Collection('test', 'members');
      collection.insert({ ...memberDocument(1) }, { owned: true });
      const held = decodedDocuments.stats().documents;
      collection.replace(idKeyOf('member-00001'), { ...memberDocument(1), points: 5 }, { owned: true });
      expect(decodedDocuments.stats().documents).toBe(held);
      collection.remove(idKeyOf('member-00001'));
      expect(decodedDocuments.stats().documents).toBe(held - 1);
    });
  });
});

/**
 * The same writes and reads through the driver, once with every document kept decoded and once with none:
 * the answers must not depend on which documents happen to be decoded.
 */
describe('answers do not depend on the decoded-copy budget or on compression', () => {
  async function workload(): Promise<unknown[]> {
    const server = await startEmbeddedMongo();
    const client = await MongoClient.connect(server.uri);
    try {
      const members = client.db('budget').collection<MemberDocument>('members');
      await members.createIndex({ tier: 1, points: -1 });
      await members.createIndex({ 'links.brand': 1 });
      await members.insertMany(Array.from({ length: 300 }, (_, i) => ({ ...memberDocument(i), links: [] })));
      await members.updateMany(
        { tier: 'GOLD' },
        { $inc: { points: 7 }, $push: { links: { brand: 'pulsefit' } } },
      );
      await members.updateOne({ _id: 'member-00002' }, { $set: { tier: 'GOLD' } });
      await members.deleteMany({ points: { $lt: 100 } });
      await members.findOneAndUpdate({ _id: 'member-00150' }, { $unset: { joinedAt: '' } });
      return [
        await members.find({ tier: 'GOLD' }).sort({ points: -1 }).limit(20).toArray(),
        await members.find({ 'links.brand': 'pulsefit' }).project({ points: 1 }).toArray(),
        await members.find({ _id: { $gte: 'member-00100', $lt: 'member-00120' } }).toArray(),
        await members
          .aggregate([
            { $group: { _id: '$tier', points: { $sum: '$points' }, n: { $sum: 1 } } },
            { $sort: { _id: 1 } },
          ])
          .toArray(),
        await members.countDocuments({}),
        await members.findOne({ _id: 'member-00150' }),
      ];
    } finally {
      await client.close();
      await server.stop();
    }
  }

  it('gives the same answers with every document decoded, with none, and with documents compressed', async () => {
    const allDecoded = await withBudget(256 * 2 ** 20, workload);
    const noneDecoded = await withBudget(0, workload);
    const compressed = await withBudget(0, workload, 20);
    expect(noneDecoded).toEqual(allDecoded);
    expect(compressed).toEqual(allDecoded);
    expect((allDecoded[4] as number) > 0).toBe(true);
  });
});
