import mongoose from 'mongoose';
import { useConformanceDatabase } from './test-fixture.js';

interface Member {
  email: string;
  brand: string;
  points: number;
  tags: string[];
}

const memberSchema = new mongoose.Schema<Member>({
  email: { type: String, required: true, unique: true },
  brand: { type: String, required: true, index: true },
  points: { type: Number, default: 0 },
  tags: { type: [String], default: [] },
});

const store = useConformanceDatabase('mongoose', {
  mongoose: true,
});

describe('mongoose against the store', () => {
  const Member = () => store.connection.model<Member>('Member', memberSchema);

  it('builds the schema indexes on init and lists them', async () => {
    await Member().init();
    const indexes = await Member().listIndexes();
    expect(indexes.map((index) => index.name).sort()).toEqual(['_id_', 'brand_1', 'email_1']);
    expect(indexes.find((index) => index.name === 'email_1')?.unique).toBe(true);
  });

  it('creates, reads, updates and deletes documents', async () => {
    const created = await Member().create({ email: 'ada@example.com', brand: 'north' });
    const found = await Member().findById(created._id).lean();
    expect(found).toMatchObject({ email: 'ada@example.com', brand: 'north', points: 0, tags: [] });
    await Member().updateOne({ _id: created._id }, { $inc: { points: 10 }, $push: { tags: 'gold' } });
    const updated = await Member().findOne({ email: 'ada@example.com' }).lean();
    expect(updated).toMatchObject({ points: 10, tags: ['gold'] });
    const deleted = await Member().deleteOne({ _id: created._id });
    expect(deleted.deletedCount).toBe(1);
    expect(await Member().countDocuments({ email: 'ada@example.com' })).toBe(0);
  });

  it('reports a duplicate email as E11000 with keyValue', async () => {
    await Member().create({ email: 'dup@example.com', brand: 'north' });
    await expect(Member().create({ email: 'dup@example.com', brand: 'south' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'dup@example.com' },
      keyPattern: { email: 1 },
    });
  });

  it('upserts with $setOnInsert and returns the document after the update', async () => {
    const upsert = (brand: string, pointsOnInsert: number) =>
      Member()
        .findOneAndUpdate(
          { email: 'new@example.com' },
          { $set: { brand }, $setOnInsert: { points: pointsOnInsert } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean();
    expect(await upsert('east', 5)).toMatchObject({ email: 'new@example.com', brand: 'east', points: 5 });
    expect(await upsert('west', 99)).toMatchObject({ brand: 'west', points: 5 });
  });

  it('sorts, skips, limits and projects', async () => {
    await Member().insertMany(
      [1, 2, 3, 4, 5].map((i) => ({ email: `rank${i}@example.com`, brand: 'rank', points: i * 10 })),
    );
    const page = await Member()
      .find({ brand: 'rank' })
      .sort({ points: -1 })
      .skip(1)
      .limit(2)
      .select('points -_id')
      .lean();
    expect(page).toEqual([{ points: 40 }, { points: 30 }]);
  });

  it('aggregates and counts distinct values', async () => {
    const totals = await Member().aggregate<{ _id: string; total: number }>([
      { $match: { brand: 'rank' } },
      { $group: { _id: '$brand', total: { $sum: '$points' } } },
    ]);
    expect(totals).toEqual([{ _id: 'rank', total: 150 }]);
    const brands = await Member().distinct('brand');
    expect(brands).toEqual(expect.arrayContaining(['north', 'rank', 'west']));
    expect(new Set(brands).size).toBe(brands.length);
  });

  it('keeps syncIndexes idempotent', async () => {
    const dropped = await Member().syncIndexes();
    expect(dropped).toEqual([]);
  });

  it('creates collections explicitly', async () => {
    const Audit = store.connection.model('Audit', new mongoose.Schema({ at: Date }));
    await Audit.createCollection();
    const names = (await store.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map(
      (c) => c.name,
    );
    expect(names).toEqual(expect.arrayContaining(['audits', 'members']));
  });
});
