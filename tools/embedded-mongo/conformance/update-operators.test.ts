import type { Document } from 'mongodb';
import { useConformanceDatabase } from './test-fixture.js';

let counter = 0;

const store = useConformanceDatabase('update');

/** Applies `update` to a fresh copy of `doc` and returns the stored result without `_id`. */
async function applied(
  doc: Document,
  update: Document | Document[],
  options: Document = {},
): Promise<Document> {
  const collection = store.db.collection(`apply_${(counter += 1)}`);
  await collection.insertOne({ _id: 1 as never, ...doc });
  await collection.updateOne({ _id: 1 as never, ...(options.filter ?? {}) }, update, options);
  const { _id, ...rest } = (await collection.findOne({ _id: 1 as never }))!;
  return rest;
}

describe('field operators', () => {
  it('$set creates nested paths and $unset removes fields', async () => {
    expect(await applied({ a: 1 }, { $set: { 'b.c': 2, a: 3 } })).toEqual({ a: 3, b: { c: 2 } });
    expect(await applied({ a: 1, b: 2 }, { $unset: { a: '' } })).toEqual({ b: 2 });
  });

  it('$inc and $mul do arithmetic, creating missing fields', async () => {
    expect(await applied({ n: 1 }, { $inc: { n: 2, m: 5 } })).toEqual({ n: 3, m: 5 });
    expect(await applied({ n: 4 }, { $mul: { n: 2.5 } })).toEqual({ n: 10 });
  });

  it('$min, $max, $rename and $currentDate', async () => {
    expect(await applied({ lo: 5, hi: 5 }, { $min: { lo: 3 }, $max: { hi: 9 } })).toEqual({ lo: 3, hi: 9 });
    expect(await applied({ old: 'v' }, { $rename: { old: 'renamed' } })).toEqual({ renamed: 'v' });
    const stamped = await applied({}, { $currentDate: { at: true } });
    expect(stamped.at).toBeInstanceOf(Date);
  });

  it('$bit applies bitwise and/or/xor', async () => {
    expect(await applied({ flags: 0b1010 }, { $bit: { flags: { and: 0b0110 } } })).toEqual({ flags: 0b0010 });
    expect(await applied({ flags: 0b1010 }, { $bit: { flags: { or: 0b0001 } } })).toEqual({ flags: 0b1011 });
  });
});

describe('array operators', () => {
  it('$push with $each, $position, $sort and $slice', async () => {
    expect(await applied({ a: [1] }, { $push: { a: 2 } })).toEqual({ a: [1, 2] });
    expect(await applied({ a: [3, 1] }, { $push: { a: { $each: [5, 2], $sort: 1, $slice: 3 } } })).toEqual({
      a: [1, 2, 3],
    });
    expect(await applied({ a: [1, 2] }, { $push: { a: { $each: [0], $position: 0 } } })).toEqual({
      a: [0, 1, 2],
    });
  });

  it('$addToSet keeps values unique', async () => {
    expect(await applied({ a: [1, 2] }, { $addToSet: { a: { $each: [2, 3] } } })).toEqual({ a: [1, 2, 3] });
  });

  it('$pop, $pull and $pullAll remove elements', async () => {
    expect(await applied({ a: [1, 2, 3] }, { $pop: { a: -1 } })).toEqual({ a: [2, 3] });
    expect(await applied({ a: [1, 5, 9] }, { $pull: { a: { $gte: 5 } } })).toEqual({ a: [1] });
    expect(await applied({ a: [{ k: 1 }, { k: 2 }] }, { $pull: { a: { k: 2 } } })).toEqual({ a: [{ k: 1 }] });
    expect(await applied({ a: [1, 2, 1, 3] }, { $pullAll: { a: [1, 3] } })).toEqual({ a: [2] });
  });

  it('the positional $ updates the element matched by the filter', async () => {
    const result = await applied(
      {
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 1 },
        ],
      },
      { $inc: { 'items.$.qty': 5 } },
      { filter: { 'items.sku': 'b' } },
    );
    expect(result).toEqual({
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 6 },
      ],
    });
  });

  it('arrayFilters select the elements to update', async () => {
    const result = await applied(
      { grades: [{ g: 80 }, { g: 95 }, { g: 90 }] },
      { $set: { 'grades.$[high].top': true } },
      { arrayFilters: [{ 'high.g': { $gte: 90 } }] },
    );
    expect(result).toEqual({ grades: [{ g: 80 }, { g: 95, top: true }, { g: 90, top: true }] });
  });
});

describe('update statements', () => {
  it('updates one or many and reports matched and modified counts', async () => {
    const docs = store.db.collection('multi');
    await docs.insertMany([
      { k: 1, v: 0 },
      { k: 1, v: 0 },
      { k: 2, v: 0 },
    ]);
    expect(await docs.updateOne({ k: 1 }, { $set: { v: 1 } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    expect(await docs.updateMany({ k: 1 }, { $set: { v: 1 } })).toMatchObject({
      matchedCount: 2,
      modifiedCount: 1,
    });
    expect(await docs.updateMany({}, { $inc: { v: 1 } })).toMatchObject({
      matchedCount: 3,
      modifiedCount: 3,
    });
    expect(await docs.updateOne({ k: 99 }, { $set: { v: 1 } })).toMatchObject({
      matchedCount: 0,
      modifiedCount: 0,
    });
  });

  it('upserts from the filter equalities, applying $setOnInsert only on insert', async () => {
    const docs = store.db.collection('upserts');
    const first = await docs.updateOne(
      { tenant: 't1', 'profile.code': 7 },
      { $set: { seen: 1 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(first).toMatchObject({ matchedCount: 0, upsertedCount: 1 });
    expect(first.upsertedId).toBeDefined();
    const second = await docs.updateOne(
      { tenant: 't1', 'profile.code': 7 },
      { $set: { seen: 2 }, $setOnInsert: { createdBy: 'ignored' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const stored = await docs.findOne({ tenant: 't1' }, { projection: { _id: 0 } });
    expect(stored).toEqual({ tenant: 't1', profile: { code: 7 }, seen: 2, createdBy: 'upsert' });
  });

  it('upserts a replacement document, taking _id from the filter', async () => {
    const docs = store.db.collection('replacement_upserts');
    const result = await docs.replaceOne({ _id: 'fixed' as never }, { name: 'x' }, { upsert: true });
    expect(result.upsertedId).toBe('fixed');
    expect(await docs.findOne({ _id: 'fixed' as never })).toEqual({ _id: 'fixed', name: 'x' });
  });

  it('applies pipeline updates', async () => {
    expect(
      await applied({ a: 2, b: 3 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'a' }]),
    ).toEqual({
      b: 3,
      sum: 5,
    });
  });

  it('bulkWrite mixes inserts, updates and deletes in order', async () => {
    const docs = store.db.collection('bulk');
    const result = await docs.bulkWrite([
      { insertOne: { document: { _id: 1 as never, v: 1 } } },
      { updateOne: { filter: { _id: 1 as never }, update: { $inc: { v: 1 } } } },
      { insertOne: { document: { _id: 2 as never, v: 1 } } },
      { deleteOne: { filter: { _id: 2 as never } } },
      { updateOne: { filter: { _id: 3 as never }, update: { $set: { v: 3 } }, upsert: true } },
    ]);
    expect(result).toMatchObject({
      insertedCount: 2,
      matchedCount: 1,
      modifiedCount: 1,
      deletedCount: 1,
      upsertedCount: 1,
    });
    expect(await docs.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, v: 2 },
      { _id: 3, v: 3 },
    ]);
  });
});

describe('update errors', () => {
  const docs = () => store.db.collection('errors');

  beforeAll(async () => {
    await docs().insertOne({ _id: 'e' as never, n: 1, s: 'text' });
  });

  it('refuses to change _id (ImmutableField)', async () => {
    await expect(docs().updateOne({ _id: 'e' as never }, { $set: { _id: 'other' } })).rejects.toMatchObject({
      code: 66,
    });
  });

  it('refuses conflicting paths in one update', async () => {
    await expect(
      docs().updateOne({ _id: 'e' as never }, { $set: { n: 1 }, $inc: { n: 1 } }),
    ).rejects.toMatchObject({
      code: 40,
    });
  });

  it('refuses unknown modifiers', async () => {
    await expect(
      store.db.command({ update: 'errors', updates: [{ q: { _id: 'e' }, u: { $frobnicate: { n: 1 } } }] }),
    ).resolves.toMatchObject({ writeErrors: [{ index: 0, code: 9 }] });
  });

  it('refuses $inc on a non-numeric field', async () => {
    await expect(docs().updateOne({ _id: 'e' as never }, { $inc: { s: 1 } })).rejects.toMatchObject({
      code: 14,
    });
  });
});
