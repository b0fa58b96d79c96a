import type { Document } from 'mongodb';
import { planStages, uniqueDbName, useConformanceDatabase } from './test-fixture.js';

const store = useConformanceDatabase('plans', {
  seed: async (db) => {
    const accounts = db.collection('accounts');
    await accounts.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: `A${String(i).padStart(4, '0')}` as unknown as never,
        memberId: i % 3 === 0 ? null : `M${i}`,
        email: i % 2 === 0 ? `e${i}@x` : undefined,
        guardHeld: i % 50 === 0 ? true : undefined,
        appliedAt: new Date(1_000_000 + i),
        state: i % 10 === 0 ? 'received' : 'applied',
      })),
    );
    await accounts.createIndex(
      { memberId: 1 },
      { name: 'by_type', partialFilterExpression: { memberId: { $type: 'string' } } },
    );
    await accounts.createIndex(
      { memberId: 1, _id: 1 },
      { name: 'by_range', partialFilterExpression: { memberId: { $gt: '' } } },
    );
    await accounts.createIndex({ email: 1 }, { sparse: true });
    await accounts.createIndex({ appliedAt: 1 }, { partialFilterExpression: { guardHeld: true } });
    await accounts.createIndex({ state: 1, appliedAt: 1 });
  },
});

async function explainFind(filter: Document, sort?: Document): Promise<Document> {
  const explained = await store.db.command({
    explain: { find: 'accounts', filter, ...(sort ? { sort } : {}) },
    verbosity: 'executionStats',
  });
  return explained;
}

/** The index the winning plan reads, or 'COLLSCAN'. */
async function chosen(filter: Document, sort?: Document): Promise<string> {
  const plan = (await explainFind(filter, sort)).queryPlanner.winningPlan as Document;
  const stages = planStages(plan);
  if (stages.includes('COLLSCAN')) return 'COLLSCAN';
  const names: string[] = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    const name = (node as { indexName?: unknown }).indexName;
    if (typeof name === 'string') names.push(name);
    Object.values(node).forEach(visit);
  };
  visit(plan);
  return names[0] ?? stages[0];
}

describe('which index a query uses, as on the server', () => {
  it('uses a partial index only when the query implies its filter', async () => {
    // An equality on a string does not imply { $type: 'string' }: the server scans.
    expect(await chosen({ memberId: 'M1', state: 'x' })).not.toBe('by_type');
    // It does imply { $gt: '' }, for one value and for a list of strings.
    expect(await chosen({ memberId: 'M1' })).toBe('by_range');
    expect(await chosen({ memberId: { $in: ['M1', 'M2'] } })).toBe('by_range');
    // null is not a string greater than '': the partial index cannot hold the answer.
    expect(await chosen({ memberId: null })).toBe('COLLSCAN');
  });

  it('returns the same accounts through the partial index as a scan would', async () => {
    const found = await store.db
      .collection('accounts')
      .find({ memberId: { $in: ['M1', 'M2', 'M3'] } })
      .toArray();
    expect(found.map((d) => d.memberId).sort()).toEqual(['M1', 'M2']);
    const unlinked = await store.db.collection('accounts').countDocuments({ memberId: null });
    expect(unlinked).toBe(100);
  });

  it('uses a sparse index for a non-null equality, never for an equality to null', async () => {
    expect(await chosen({ email: 'e2@x' })).toBe('email_1');
    expect(await chosen({ email: null })).toBe('COLLSCAN');
    expect(await store.db.collection('accounts').countDocuments({ email: null })).toBe(150);
  });

  it('reads a small implied partial index for a range on its key', async () => {
    const filter = { guardHeld: true, state: 'received', appliedAt: { $lte: new Date(1_000_200) } };
    expect(await chosen(filter)).toBe('appliedAt_1');
    const found = await store.db.collection('accounts').find(filter).toArray();
    expect(found.map((d) => d._id)).toEqual(['A0000', 'A0050', 'A0100', 'A0150', 'A0200']);
    // Without guardHeld the partial index may not answer.
    expect(await chosen({ appliedAt: { $lte: new Date(1_000_200) } })).toBe('COLLSCAN');
  });

  it('pages by _id through the _id index, in order, examining only the page', async () => {
    const page = await explainFind({ _id: { $gt: 'A0100' } }, { _id: 1 });
    expect(planStages(page.queryPlanner.winningPlan)).toContain('IXSCAN');
    expect(planStages(page.queryPlanner.winningPlan)).not.toContain('COLLSCAN');
    const docs = await store.db
      .collection('accounts')
      .find({ _id: { $gt: 'A0100' } as never })
      .sort({ _id: 1 })
      .limit(3)
      .toArray();
    expect(docs.map((d) => d._id)).toEqual(['A0101', 'A0102', 'A0103']);
    const last = await store.db.collection('accounts').find({}).sort({ _id: -1 }).limit(2).toArray();
    expect(last.map((d) => d._id)).toEqual(['A0299', 'A0298']);
    expect(await chosen({}, { _id: 1 })).toBe('_id_');
  });
});

describe('the profiler', () => {
  it('records each query with its plan summary in system.profile while the level is 2', async () => {
    const profiled = store.client.db(uniqueDbName('profile'));
    try {
      const items = profiled.collection('items');
      await items.insertMany([{ k: 1 }, { k: 2 }]);
      await items.createIndex({ k: 1 });
      expect(await profiled.command({ profile: 2 })).toMatchObject({ was: 0, ok: 1 });
      await items.findOne({ k: 1 });
      await items.findOne({ other: 1 });
      await items.updateOne({ k: 2 }, { $set: { seen: true } });
      expect(await profiled.command({ profile: 0 })).toMatchObject({ was: 2 });
      const entries = await profiled
        .collection('system.profile')
        .find({ ns: `${profiled.databaseName}.items` })
        .toArray();
      const summaries = entries.filter((e) => e.op !== 'insert').map((e) => [e.op, e.planSummary]);
      expect(summaries).toEqual([
        ['query', 'IXSCAN { k: 1 }'],
        ['query', 'COLLSCAN'],
        ['update', 'IXSCAN { k: 1 }'],
      ]);
      await items.findOne({ other: 2 });
      expect(await profiled.collection('system.profile').countDocuments({ op: 'query' })).toBe(2);
    } finally {
      await profiled.dropDatabase();
    }
  });

  it('refuses a level outside -1..2', async () => {
    await expect(store.db.command({ profile: 5 })).rejects.toMatchObject({ code: 2 });
  });
});
