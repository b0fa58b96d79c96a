import { Timestamp } from 'mongodb';
import type { Document, UpdateResult } from 'mongodb';
import { embeddedOnly, useConformanceDatabase } from './test-fixture.js';

let counter = 0;

const store = useConformanceDatabase('update_semantics');

interface Outcome {
  result: UpdateResult;
  /** The stored document without `_id`. */
  doc: Document;
}

/** Applies `update` to a fresh copy of `doc` (stored with `_id: 1`) and returns the result and the stored document. */
async function update(
  doc: Document,
  change: Document,
  filter: Document = {},
  options: Document = {},
): Promise<Outcome> {
  const collection = store.db.collection(`semantics_${(counter += 1)}`);
  await collection.insertOne({ _id: 1 as never, ...doc });
  const result = await collection.updateOne({ _id: 1 as never, ...filter }, change, options);
  const { _id, ...rest } = (await collection.findOne({ _id: 1 as never }))!;
  return { result, doc: rest };
}

async function stored(doc: Document, change: Document, filter: Document = {}): Promise<Document> {
  return (await update(doc, change, filter)).doc;
}

async function modifiedCount(doc: Document, change: Document): Promise<number> {
  return (await update(doc, change)).result.modifiedCount;
}

async function failure(doc: Document, change: Document, filter: Document = {}): Promise<unknown> {
  return update(doc, change, filter).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('dotted paths', () => {
  it('creates the missing documents along a path', async () => {
    const change = {
      $inc: { 'days.2026-11-01.categories.arts.spendMinor': 250, 'days.2026-11-01.purchaseCount': 1 },
    };
    const once = await stored({ days: {} }, change);
    expect(once).toEqual({
      days: { '2026-11-01': { categories: { arts: { spendMinor: 250 } }, purchaseCount: 1 } },
    });
    expect(await stored(once, change)).toEqual({
      days: { '2026-11-01': { categories: { arts: { spendMinor: 500 } }, purchaseCount: 2 } },
    });
    expect(await stored({}, { $set: { 'a.b.c': 1 } })).toEqual({ a: { b: { c: 1 } } });
  });

  it('adds new fields in field-name order, whatever the order of the update', async () => {
    const { doc } = await update({ keep: 0 }, { $set: { z: 1, b: 1 }, $inc: { a: 1, 'n.y': 1, 'n.x': 1 } });
    expect(Object.keys(doc)).toEqual(['keep', 'a', 'b', 'n', 'z']);
    expect(Object.keys(doc.n as Document)).toEqual(['x', 'y']);
  });

  it('treats numeric segments as array positions, padding with nulls', async () => {
    expect(await stored({ a: [1, 2, 3] }, { $set: { 'a.1': 'x' } })).toEqual({ a: [1, 'x', 3] });
    expect(await stored({ a: [1] }, { $set: { 'a.4': 9 } })).toEqual({ a: [1, null, null, null, 9] });
    expect(await stored({ a: [] }, { $set: { 'a.10': 'ten', 'a.2': 'two' } })).toEqual({
      a: [null, null, 'two', null, null, null, null, null, null, null, 'ten'],
    });
    expect(await stored({ a: [{ n: 1 }, { n: 5 }] }, { $inc: { 'a.1.n': 1 } })).toEqual({
      a: [{ n: 1 }, { n: 6 }],
    });
    expect(await stored({ a: [] }, { $set: { 'a.1.b': 1 } })).toEqual({ a: [null, { b: 1 }] });
  });

  it('treats numeric segments as field names on documents and missing fields', async () => {
    expect(await stored({ o: { k: 1 } }, { $set: { 'o.0': 'x' } })).toEqual({ o: { k: 1, '0': 'x' } });
    expect(await stored({}, { $set: { 'm.0': 'x' } })).toEqual({ m: { '0': 'x' } });
  });

  it('refuses to create a field below a scalar or a null, or a named field in an array (PathNotViable)', async () => {
    expect(await failure({ s: 'text' }, { $set: { 's.x': 1 } })).toMatchObject({ code: 28 });
    expect(await failure({ n: null }, { $inc: { 'n.count': 1 } })).toMatchObject({ code: 28 });
    expect(await failure({ a: [1, 2] }, { $set: { 'a.x': 1 } })).toMatchObject({ code: 28 });
    expect(await failure({ a: [1, 2] }, { $push: { 'a.0.list': 1 } })).toMatchObject({ code: 28 });
  });

  it('leaves non-viable paths alone for operators that only remove', async () => {
    const unset = await update({ s: 'text', a: [1] }, { $unset: { 's.x': '', 'a.x': '' } });
    expect(unset.result.modifiedCount).toBe(0);
    const pull = await update({ s: 'text' }, { $pull: { 's.list': 1 } });
    expect(pull.result.modifiedCount).toBe(0);
    expect(pull.doc).toEqual({ s: 'text' });
  });

  it('$unset removes document fields and nulls array elements', async () => {
    expect(await stored({ a: { b: 1, c: 2 } }, { $unset: { 'a.b': '' } })).toEqual({ a: { c: 2 } });
    expect(await stored({ a: [1, 2, 3] }, { $unset: { 'a.1': '' } })).toEqual({ a: [1, null, 3] });
  });
});

describe('no-op updates', () => {
  it('reports no modification when nothing changes', async () => {
    expect(await modifiedCount({ a: 1, b: { c: 'x' } }, { $set: { a: 1, 'b.c': 'x' } })).toBe(0);
    expect(await modifiedCount({ n: 5 }, { $inc: { n: 0 } })).toBe(0);
    expect(await modifiedCount({ n: 5 }, { $min: { n: 7 }, $max: { m: 1 } })).toBe(1);
    expect(await modifiedCount({ n: 5 }, { $min: { n: 7 } })).toBe(0);
    expect(await modifiedCount({ n: 5 }, { $max: { n: 3 } })).toBe(0);
    expect(await modifiedCount({ a: [1, 2] }, { $addToSet: { a: 2 } })).toBe(0);
    expect(await modifiedCount({ a: [1, 2] }, { $pull: { a: 3 } })).toBe(0);
    expect(await modifiedCount({ a: 1 }, { $unset: { b: '' } })).toBe(0);
    expect(await modifiedCount({ a: 1 }, { $rename: { b: 'c' } })).toBe(0);
  });

  it('an embedded document with the same fields in another order is a change', async () => {
    expect(await modifiedCount({ d: { x: 1, y: 2 } }, { $set: { d: { y: 2, x: 1 } } })).toBe(1);
  });
});

describe('arithmetic and comparison', () => {
  it('$inc and $mul type rules (TypeMismatch on anything but numbers)', async () => {
    expect(await stored({}, { $mul: { m: 3 } })).toEqual({ m: 0 });
    expect(await failure({ n: null }, { $inc: { n: 1 } })).toMatchObject({ code: 14 });
    expect(await failure({ s: 'x' }, { $mul: { s: 2 } })).toMatchObject({ code: 14 });
    expect(await failure({ d: { n: 1 } }, { $inc: { d: 1 } })).toMatchObject({ code: 14 });
    expect(await stored({ n: 1.5 }, { $inc: { n: -0.5 } })).toEqual({ n: 1 });
  });

  it('$min and $max create missing fields and compare dates', async () => {
    const early = new Date('2025-01-01T00:00:00Z');
    const late = new Date('2026-01-01T00:00:00Z');
    expect(await stored({}, { $min: { first: late }, $max: { last: early } })).toEqual({
      first: late,
      last: early,
    });
    expect(
      await stored({ first: late, last: early }, { $min: { first: early }, $max: { last: late } }),
    ).toEqual({ first: early, last: late });
    // null sorts below every date: $min keeps it.
    expect(await stored({ first: null }, { $min: { first: early } })).toEqual({ first: null });
  });

  it('$currentDate sets a date or a timestamp', async () => {
    const doc = await stored(
      {},
      { $currentDate: { at: true, day: { $type: 'date' }, ts: { $type: 'timestamp' } } },
    );
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.day).toBeInstanceOf(Date);
    expect(doc.ts).toBeInstanceOf(Timestamp);
  });
});

describe('array operators', () => {
  it('$push creates the array, appends values and $each lists', async () => {
    expect(await stored({}, { $push: { a: 1 } })).toEqual({ a: [1] });
    expect(await stored({ a: [1] }, { $push: { a: [2, 3] } })).toEqual({ a: [1, [2, 3]] });
    expect(await stored({ a: [1] }, { $push: { a: { $each: [2, 3] } } })).toEqual({ a: [1, 2, 3] });
    expect(await stored({}, { $push: { 'x.list': { $each: [] } } })).toEqual({ x: { list: [] } });
    expect(await failure({ a: 'text' }, { $push: { a: 1 } })).toMatchObject({ code: 2 });
  });

  it('$addToSet adds only absent values, compared the way the server compares them', async () => {
    expect(await stored({ a: [1, 2] }, { $addToSet: { a: { $each: [2, 3, 3, 4] } } })).toEqual({
      a: [1, 2, 3, 4],
    });
    // Existing duplicates stay; only the added values are checked.
    expect(await stored({ a: [1, 1] }, { $addToSet: { a: 2 } })).toEqual({ a: [1, 1, 2] });
    // Embedded documents are equal only with the same fields in the same order.
    expect(
      await stored(
        { a: [{ x: 1, y: 2 }] },
        {
          $addToSet: {
            a: {
              $each: [
                { x: 1, y: 2 },
                { y: 2, x: 1 },
              ],
            },
          },
        },
      ),
    ).toEqual({
      a: [
        { x: 1, y: 2 },
        { y: 2, x: 1 },
      ],
    });
    expect(await stored({}, { $addToSet: { a: { $each: [5, 5] } } })).toEqual({ a: [5] });
    expect(await failure({ a: { k: 1 } }, { $addToSet: { a: 1 } })).toMatchObject({ code: 2 });
  });

  it('$pull with $in removes the listed values', async () => {
    const doc = { pending: ['e1', 'e2', 'e3', 'e4'] };
    expect(await stored(doc, { $pull: { pending: { $in: ['e2', 'e4', 'e9'] } } })).toEqual({
      pending: ['e1', 'e3'],
    });
    expect(await stored({ n: [1, 2, 3, 'x'] }, { $pull: { n: { $in: [1, 'x'] } } })).toEqual({ n: [2, 3] });
  });

  it('$pull removes equal values; nested arrays must equal the value as a whole', async () => {
    expect(await stored({ a: [1, 2, [1, 2], 1] }, { $pull: { a: 1 } })).toEqual({ a: [2, [1, 2]] });
    expect(await stored({ a: [1, [1, 2], [2, 1]] }, { $pull: { a: [1, 2] } })).toEqual({ a: [1, [2, 1]] });
  });

  it('$pull with a document condition matches element documents', async () => {
    const doc = {
      results: [
        { item: 'A', score: 5 },
        { item: 'B', score: 8, extra: true },
        { item: 'B', score: 4 },
      ],
    };
    expect(await stored(doc, { $pull: { results: { item: 'B', score: { $gte: 8 } } } })).toEqual({
      results: [
        { item: 'A', score: 5 },
        { item: 'B', score: 4 },
      ],
    });
  });

  it('$pull on a field that is not an array fails', async () => {
    expect(await failure({ a: 'text' }, { $pull: { a: 'x' } })).toMatchObject({ code: 2 });
  });
});

describe('$rename', () => {
  it('moves the value, creating the destination path and replacing what was there', async () => {
    expect(await stored({ a: 1, x: {} }, { $rename: { a: 'x.y' } })).toEqual({ x: { y: 1 } });
    expect(await stored({ a: 1, b: 2 }, { $rename: { a: 'b' } })).toEqual({ b: 1 });
    expect(await stored({ n: { a: 1, b: 2 } }, { $rename: { 'n.a': 'n.c' } })).toEqual({ n: { b: 2, c: 1 } });
  });
});

describe('the positional $', () => {
  const links = () => [
    { brand: 'a', consent: { granted: true } },
    { brand: 'b', consent: { granted: true } },
  ];

  it('sets several fields below the matched element in one update', async () => {
    const at = new Date('2026-11-01T10:00:00Z');
    const outcome = await update(
      { links: links() },
      { $set: { 'links.$.consent.granted': false, 'links.$.consent.updatedAt': at } },
      { 'links.brand': 'b' },
    );
    expect(outcome.result.modifiedCount).toBe(1);
    expect(outcome.doc).toEqual({
      links: [
        { brand: 'a', consent: { granted: true } },
        { brand: 'b', consent: { granted: false, updatedAt: at } },
      ],
    });
  });

  it('works with array operators and with modifiers the engine applies', async () => {
    const doc = {
      items: [
        { sku: 'a', log: ['x'] },
        { sku: 'b', log: ['y'] },
      ],
    };
    expect(
      await stored(
        doc,
        { $push: { 'items.$.log': 'z' }, $set: { 'items.$.seen': true } },
        { 'items.sku': 'b' },
      ),
    ).toEqual({
      items: [
        { sku: 'a', log: ['x'] },
        { sku: 'b', log: ['y', 'z'], seen: true },
      ],
    });
    const sliced = await stored(
      doc,
      { $push: { 'items.$.log': { $each: ['p', 'q'], $slice: -2 } }, $set: { 'items.$.seen': true } },
      { items: { $elemMatch: { sku: 'a' } } },
    );
    expect(sliced.items[0]).toEqual({ sku: 'a', log: ['p', 'q'], seen: true });
  });

  it('fails when the filter does not name the array', async () => {
    expect(await failure({ links: links() }, { $set: { 'links.$.brand': 'c' } })).toMatchObject({ code: 2 });
  });

  it('fails when an upsert inserts', async () => {
    const collection = store.db.collection('positional_upsert');
    await expect(
      collection.updateOne({ 'links.brand': 'z' }, { $set: { 'links.$.seen': true } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 2 });
  });

  it('reports a conflict when the position names the same element as another path', async () => {
    expect(
      await failure(
        { links: links() },
        { $set: { 'links.$.brand': 'c', 'links.0.brand': 'd' } },
        { 'links.brand': 'a' },
      ),
    ).toMatchObject({ code: 40 });
  });
});

describe('_id and upserts', () => {
  it('setting _id to its current value is allowed and changes nothing', async () => {
    const outcome = await update({ a: 1 }, { $set: { _id: 1, a: 1 } });
    expect(outcome.result.modifiedCount).toBe(0);
  });

  it('an upsert may take its _id from $setOnInsert when the filter has none', async () => {
    const collection = store.db.collection('upsert_ids');
    const result = await collection.updateOne(
      { name: 'x' },
      { $setOnInsert: { _id: 'chosen' as never, created: true } },
      { upsert: true },
    );
    expect(result.upsertedId).toBe('chosen');
    expect(await collection.findOne({ name: 'x' })).toEqual({ _id: 'chosen', name: 'x', created: true });
  });

  it('an upsert starts from the filter, then adds the update fields in field-name order', async () => {
    const collection = store.db.collection('upsert_order');
    await collection.updateOne(
      { k: 1 },
      { $set: { z: 1, b: 1 }, $setOnInsert: { a: 1, 'c.d': 1 } },
      { upsert: true },
    );
    const doc = (await collection.findOne({ k: 1 }))!;
    expect(Object.keys(doc)).toEqual(['_id', 'k', 'a', 'b', 'c', 'z']);
  });

  it('$setOnInsert conflicts with other operators on the same path even when not inserting', async () => {
    expect(await failure({ a: 1 }, { $set: { a: 2 }, $setOnInsert: { a: 3 } })).toMatchObject({ code: 40 });
  });
});

describe('multi updates', () => {
  it('applies one update to every matching document', async () => {
    const collection = store.db.collection('multi_semantics');
    await collection.insertMany([
      { g: 1, pending: ['a', 'b'], n: 1 },
      { g: 1, pending: ['b', 'c'], n: 2 },
      { g: 1, pending: ['c'], n: 3 },
      { g: 2, pending: ['b'], n: 4 },
    ]);
    const change: Document = { $pull: { pending: { $in: ['b'] } }, $inc: { n: 10 } };
    const result = await collection.updateMany({ g: 1 }, change);
    expect(result).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
    const docs = await collection.find({}, { projection: { _id: 0 }, sort: { n: 1 } }).toArray();
    expect(docs).toEqual([
      { g: 2, pending: ['b'], n: 4 },
      { g: 1, pending: ['a'], n: 11 },
      { g: 1, pending: ['c'], n: 12 },
      { g: 1, pending: ['c'], n: 13 },
    ]);
  });
});

// Updates build new versions of stored documents that share unchanged parts with the old ones; the
// versions an open cursor holds (a feature of the embedded store's snapshots) must stay as they were.

embeddedOnly('document versions (embedded store)', () => {
  it('an open cursor keeps the versions it found while nested fields are updated', async () => {
    const collection = store.db.collection('versions');
    await collection.insertMany([
      { _id: 1 as never, a: { b: { c: 1 } }, list: [{ n: 1 }] },
      { _id: 2 as never, a: { b: { c: 1 } }, list: [{ n: 1 }] },
    ]);
    const cursor = collection.find({}, { batchSize: 1, sort: { _id: 1 } });
    expect(await cursor.next()).toMatchObject({ _id: 1 });
    await collection.updateMany({}, { $inc: { 'a.b.c': 1, 'list.0.n': 1 }, $set: { 'a.x': 1 } });
    expect(await cursor.next()).toEqual({ _id: 2, a: { b: { c: 1 } }, list: [{ n: 1 }] });
    await cursor.close();
    expect(await collection.findOne({ _id: 2 as never })).toEqual({
      _id: 2,
      a: { b: { c: 2 }, x: 1 },
      list: [{ n: 2 }],
    });
  });
});
