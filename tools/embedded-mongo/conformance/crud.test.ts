import { MongoClient, ObjectId } from 'mongodb';
import type { Collection } from 'mongodb';
import { useConformanceDatabase } from './test-fixture.js';

const store = useConformanceDatabase('crud');

function fresh(name: string): Collection {
  return store.db.collection(name);
}

describe('insert and find', () => {
  it('generates an ObjectId _id and stores it first', async () => {
    const people = fresh('generated_ids');
    const { insertedId } = await people.insertOne({ name: 'Ada' });
    expect(insertedId).toBeInstanceOf(ObjectId);
    const stored = await people.findOne({ _id: insertedId });
    expect(Object.keys(stored!)).toEqual(['_id', 'name']);
  });

  it('keeps client-supplied _id values of any type', async () => {
    const things = fresh('custom_ids');
    await things.insertMany([{ _id: 'text' as never }, { _id: 7 as never }, { _id: { a: 1 } as never }]);
    expect(await things.countDocuments({ _id: 'text' as never })).toBe(1);
    expect(await things.countDocuments({ _id: 7 as never })).toBe(1);
    expect(await things.countDocuments({ _id: { a: 1 } as never })).toBe(1);
  });

  it('rejects a duplicate _id with E11000 on the _id_ index', async () => {
    const things = fresh('duplicate_ids');
    await things.insertOne({ _id: 1 as never });
    await expect(things.insertOne({ _id: 1 as never })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
    });
  });

  it('matches numbers by value across int32, int64 and double', async () => {
    const numbers = fresh('numbers');
    await numbers.insertOne({ n: 5 });
    expect(await numbers.countDocuments({ n: 5.0 })).toBe(1);
    expect(await numbers.countDocuments({ n: { $in: [5] } })).toBe(1);
  });

  it('filters with comparison, logical, element, array and regex operators', async () => {
    const items = fresh('filters');
    await items.insertMany([
      { sku: 'a1', qty: 5, tags: ['red', 'blue'], size: { h: 10, w: 5 } },
      { sku: 'a2', qty: 15, tags: ['red'], size: { h: 20, w: 8 } },
      { sku: 'b1', qty: 25, tags: [], size: { h: 30, w: 12 }, discontinued: true },
      { sku: 'b2', qty: null },
    ]);
    const skus = async (filter: object) => (await items.find(filter).toArray()).map((doc) => doc.sku).sort();
    expect(await skus({ qty: { $gte: 15 } })).toEqual(['a2', 'b1']);
    expect(await skus({ qty: { $lt: 10 } })).toEqual(['a1']);
    expect(await skus({ $or: [{ qty: 5 }, { discontinued: true }] })).toEqual(['a1', 'b1']);
    expect(await skus({ qty: null })).toEqual(['b2']);
    expect(await skus({ discontinued: { $exists: false } })).toEqual(['a1', 'a2', 'b2']);
    expect(await skus({ tags: 'red' })).toEqual(['a1', 'a2']);
    expect(await skus({ tags: { $all: ['red', 'blue'] } })).toEqual(['a1']);
    expect(await skus({ tags: { $size: 0 } })).toEqual(['b1']);
    expect(await skus({ 'size.h': { $in: [10, 30] } })).toEqual(['a1', 'b1']);
    expect(await skus({ sku: /^b/ })).toEqual(['b1', 'b2']);
    expect(await skus({ sku: { $nin: ['a1', 'b2'] } })).toEqual(['a2', 'b1']);
    expect(await skus({ $expr: { $gt: ['$size.h', { $multiply: ['$size.w', 2] }] } })).toEqual(['a2', 'b1']);
    expect(await skus({ $and: [{ qty: { $ne: null } }, { qty: { $not: { $gt: 10 } } }] })).toEqual(['a1']);
  });

  it('projects, sorts, skips and limits', async () => {
    const scores = fresh('paging');
    await scores.insertMany([3, 1, 4, 1, 5, 9, 2, 6].map((score, i) => ({ i, score, extra: 'x' })));
    const page = await scores
      .find({}, { projection: { _id: 0, score: 1, i: 1 } })
      .sort({ score: -1, i: 1 })
      .skip(1)
      .limit(3)
      .toArray();
    expect(page).toEqual([
      { i: 7, score: 6 },
      { i: 4, score: 5 },
      { i: 2, score: 4 },
    ]);
    const excluded = await scores.findOne({ i: 0 }, { projection: { extra: 0, _id: 0 } });
    expect(excluded).toEqual({ i: 0, score: 3 });
  });

  it('supports $slice and $elemMatch projections', async () => {
    const posts = fresh('array_projection');
    await posts.insertOne({ _id: 1 as never, comments: [{ by: 'a' }, { by: 'b' }, { by: 'c' }] });
    expect(await posts.findOne({}, { projection: { comments: { $slice: 2 } } })).toEqual({
      _id: 1,
      comments: [{ by: 'a' }, { by: 'b' }],
    });
    expect(await posts.findOne({}, { projection: { comments: { $elemMatch: { by: 'b' } } } })).toEqual({
      _id: 1,
      comments: [{ by: 'b' }],
    });
    expect(await posts.findOne({ 'comments.by': 'c' }, { projection: { 'comments.$': 1 } })).toEqual({
      _id: 1,
      comments: [{ by: 'c' }],
    });
  });

  it('counts and lists distinct values, flattening arrays', async () => {
    const tagged = fresh('distinct');
    await tagged.insertMany([{ t: ['a', 'b'] }, { t: 'b' }, { t: 'c' }, { other: 1 }]);
    expect((await tagged.distinct('t')).sort()).toEqual(['a', 'b', 'c']);
    expect(await tagged.distinct('t', { t: 'c' })).toEqual(['c']);
    expect(await tagged.countDocuments({ t: 'b' })).toBe(2);
    expect(await tagged.estimatedDocumentCount()).toBe(4);
    expect(await store.db.command({ count: 'distinct', query: { t: 'b' }, limit: 1 })).toMatchObject({
      n: 1,
      ok: 1,
    });
  });

  it('returns an indexed $in lookup in index order', async () => {
    const ordered = fresh('index_order');
    await ordered.insertMany([{ _id: 2 }, { _id: 3 }, { _id: 1 }] as never[]);
    const found = await ordered.find({ _id: { $in: [3, 1, 2] } } as never).toArray();
    expect(found.map((doc) => doc._id)).toEqual([1, 2, 3]);
  });

  it('answers queries on a missing collection with nothing', async () => {
    const missing = fresh('never_created');
    expect(await missing.find({ a: 1 }).toArray()).toEqual([]);
    expect(await missing.countDocuments()).toBe(0);
    expect(await missing.distinct('a')).toEqual([]);
  });
});

describe('replace, delete and findOneAnd*', () => {
  it('replaces a whole document, keeping its _id', async () => {
    const docs = fresh('replace');
    const { insertedId } = await docs.insertOne({ a: 1, b: 2 });
    const result = await docs.replaceOne({ _id: insertedId }, { c: 3 });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await docs.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
  });

  it('deletes one or many', async () => {
    const docs = fresh('delete');
    await docs.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await docs.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await docs.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await docs.deleteMany({ k: 99 })).deletedCount).toBe(0);
    expect(await docs.countDocuments()).toBe(1);
  });

  it('finds and updates, returning the document before or after', async () => {
    const counters = fresh('find_and_modify');
    await counters.insertOne({ _id: 'c' as never, n: 1, hidden: true });
    const before = await counters.findOneAndUpdate({ _id: 'c' as never }, { $inc: { n: 1 } });
    expect(before).toMatchObject({ n: 1 });
    const after = await counters.findOneAndUpdate(
      { _id: 'c' as never },
      { $inc: { n: 1 } },
      { returnDocument: 'after', projection: { hidden: 0 } },
    );
    expect(after).toEqual({ _id: 'c', n: 3 });
    const raw = await store.db.command({
      findAndModify: 'find_and_modify',
      query: { _id: 'c' },
      update: { $inc: { n: 1 } },
      new: true,
    });
    expect(raw).toMatchObject({ lastErrorObject: { n: 1, updatedExisting: true }, value: { n: 4 }, ok: 1 });
  });

  it('finds and modifies the first document in sort order', async () => {
    const queue = fresh('sorted_find_and_modify');
    await queue.insertMany([
      { p: 2, name: 'mid' },
      { p: 1, name: 'low' },
      { p: 3, name: 'high' },
    ]);
    const taken = await queue.findOneAndDelete({}, { sort: { p: -1 } });
    expect(taken).toMatchObject({ name: 'high' });
    const replaced = await queue.findOneAndReplace(
      {},
      { p: 0, name: 'replaced' },
      { sort: { p: 1 }, returnDocument: 'after' },
    );
    expect(replaced).toMatchObject({ p: 0, name: 'replaced' });
    expect((await queue.find({}, { sort: { p: 1 } }).toArray()).map((d) => d.name)).toEqual([
      'replaced',
      'mid',
    ]);
  });

  it('upserts through findOneAndUpdate and reports the upserted id', async () => {
    const docs = fresh('find_and_modify_upsert');
    const raw = await store.db.command({
      findAndModify: 'find_and_modify_upsert',
      query: { key: 'k1' },
      update: { $set: { v: 1 } },
      upsert: true,
      new: true,
    });
    expect(raw.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(raw.lastErrorObject.upserted).toBeInstanceOf(ObjectId);
    expect(raw.value).toMatchObject({ key: 'k1', v: 1 });
    const none = await docs.findOneAndUpdate({ key: 'absent' }, { $set: { v: 1 } });
    expect(none).toBeNull();
  });

  it('rejects a findAndModify with both remove and update', async () => {
    await expect(
      store.db.command({
        findAndModify: 'find_and_modify',
        query: {},
        remove: true,
        update: { $set: { a: 1 } },
      }),
    ).rejects.toMatchObject({ code: 9 });
  });
});

describe('unacknowledged writes', () => {
  it('applies w:0 writes without a reply (moreToCome)', async () => {
    // One pooled connection: the acknowledged read below travels behind the unacknowledged writes.
    const single = await MongoClient.connect(store.mongo.uri, { maxPoolSize: 1 });
    const docs = single.db(store.db.databaseName).collection('unacknowledged');
    const result = await docs.insertOne({ fireAndForget: true }, { writeConcern: { w: 0 } });
    expect(result.acknowledged).toBe(false);
    await docs.updateOne({ fireAndForget: true }, { $set: { seen: 1 } }, { writeConcern: { w: 0 } });
    const seen = await docs.findOne({ fireAndForget: true });
    await single.close();
    expect(seen).toMatchObject({ seen: 1 });
  });
});
