import { useConformanceDatabase } from './test-fixture.js';

const orders = [
  { _id: 1, member: 'm1', brand: 'north', amount: 30, items: ['tea', 'cake'] },
  { _id: 2, member: 'm2', brand: 'north', amount: 50, items: ['coffee'] },
  { _id: 3, member: 'm1', brand: 'south', amount: 20, items: [] },
  { _id: 4, member: 'm3', brand: 'south', amount: 70, items: ['tea'] },
];
const members = [
  { _id: 'm1', name: 'Ada' },
  { _id: 'm2', name: 'Grace' },
];

const store = useConformanceDatabase('aggregation', {
  seed: async (db) => {
    await db.collection('orders').insertMany(orders as never[]);
    await db.collection('members').insertMany(members as never[]);
  },
});

const run = (pipeline: object[]) => store.db.collection('orders').aggregate(pipeline).toArray();

describe('aggregation stages', () => {
  it('$match, $group, $sort', async () => {
    expect(
      await run([
        { $match: { amount: { $gte: 30 } } },
        { $group: { _id: '$brand', total: { $sum: '$amount' }, orders: { $sum: 1 } } },
        { $sort: { total: -1 } },
      ]),
    ).toEqual([
      { _id: 'north', total: 80, orders: 2 },
      { _id: 'south', total: 70, orders: 1 },
    ]);
  });

  it('$project, $addFields, $skip, $limit', async () => {
    expect(
      await run([
        { $sort: { _id: 1 } },
        { $addFields: { doubled: { $multiply: ['$amount', 2] } } },
        { $project: { _id: 0, member: 1, doubled: 1 } },
        { $skip: 1 },
        { $limit: 2 },
      ]),
    ).toEqual([
      { member: 'm2', doubled: 100 },
      { member: 'm1', doubled: 40 },
    ]);
  });

  it('$unwind and $count', async () => {
    expect(await run([{ $unwind: '$items' }, { $count: 'lines' }])).toEqual([{ lines: 4 }]);
    expect(
      await run([{ $unwind: { path: '$items', preserveNullAndEmptyArrays: true } }, { $count: 'lines' }]),
    ).toEqual([{ lines: 5 }]);
  });

  it('leaves stored documents untouched when stages rewrite their input', async () => {
    await run([{ $unwind: { path: '$items', includeArrayIndex: 'at' } }, { $set: { 'extra.flag': true } }]);
    expect(await store.db.collection('orders').findOne({ _id: 1 as never })).toEqual(orders[0]);
  });

  it('$lookup joins a collection of the same database', async () => {
    const joined = await run([
      { $match: { _id: { $in: [1, 4] } } },
      { $lookup: { from: 'members', localField: 'member', foreignField: '_id', as: 'who' } },
      { $project: { _id: 1, who: '$who.name' } },
      { $sort: { _id: 1 } },
    ]);
    expect(joined).toEqual([
      { _id: 1, who: ['Ada'] },
      { _id: 4, who: [] },
    ]);
  });

  it('$lookup with a pipeline and let variables', async () => {
    const joined = await store.db
      .collection('members')
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            let: { id: '$_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$member', '$$id'] } } },
              { $group: { _id: null, spent: { $sum: '$amount' } } },
            ],
            as: 'spending',
          },
        },
        { $project: { spent: { $first: '$spending.spent' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { _id: 'm1', spent: 50 },
      { _id: 'm2', spent: 50 },
    ]);
  });

  it('$facet runs sub-pipelines over the same input', async () => {
    const [facets] = await run([
      {
        $facet: {
          byBrand: [{ $group: { _id: '$brand', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          biggest: [{ $sort: { amount: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
        },
      },
    ]);
    expect(facets).toEqual({
      byBrand: [
        { _id: 'north', n: 2 },
        { _id: 'south', n: 2 },
      ],
      biggest: [{ _id: 4 }],
    });
  });

  it('$out replaces the target collection with the results', async () => {
    await store.db.collection('brand_totals').insertOne({ _id: 'stale' as never });
    const returned = await run([
      { $group: { _id: '$brand', total: { $sum: '$amount' } } },
      { $out: 'brand_totals' },
    ]);
    expect(returned).toEqual([]);
    expect(
      await store.db
        .collection('brand_totals')
        .find({}, { sort: { _id: 1 } })
        .toArray(),
    ).toEqual([
      { _id: 'north', total: 80 },
      { _id: 'south', total: 90 },
    ]);
  });

  it('$merge inserts new documents and merges into matching ones', async () => {
    const target = store.db.collection('member_totals');
    await target.insertOne({ _id: 'm1' as never, note: 'kept', total: 0 });
    await run([
      { $group: { _id: '$member', total: { $sum: '$amount' } } },
      { $merge: { into: 'member_totals' } },
    ]);
    expect(await target.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'm1', note: 'kept', total: 50 },
      { _id: 'm2', total: 50 },
      { _id: 'm3', total: 70 },
    ]);
    await run([
      { $match: { member: 'm2' } },
      { $project: { _id: '$member', total: { $literal: -1 } } },
      { $merge: { into: 'member_totals', whenMatched: 'keepExisting', whenNotMatched: 'discard' } },
    ]);
    expect(await target.findOne({ _id: 'm2' as never })).toEqual({ _id: 'm2', total: 50 });
  });

  it('returns large results through cursor batches', async () => {
    const many = store.db.collection('many');
    await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const results = await many.aggregate([{ $sort: { i: -1 } }], { batchSize: 20 }).toArray();
    expect(results).toHaveLength(250);
    expect(results[0].i).toBe(249);
    expect(results[249].i).toBe(0);
  });

  it('rejects unknown stages', async () => {
    await expect(run([{ $frobnicate: {} }])).rejects.toMatchObject({ code: 40324 });
  });
});
