import { BenefitFeedbackStore, COUNTS_HELD_MS } from './benefit-feedback-store.js';

type Models = ConstructorParameters<typeof BenefitFeedbackStore>;

/** Stats and feedback collections in memory, counting the reads of the stats. */
function stores() {
  const stats = new Map<string, Record<string, unknown>>();
  const feedback = new Map<string, Record<string, unknown>>();
  let statsReads = 0;
  const Stats = {
    find: (filter: { tier: string }) => ({
      lean: async () => {
        statsReads += 1;
        return [...stats.values()].filter((row) => row.tier === filter.tier);
      },
    }),
    updateOne: async (
      filter: { _id: string },
      update: { $inc: Record<string, number>; $setOnInsert: Record<string, unknown> },
    ) => {
      const row = stats.get(filter._id) ?? { _id: filter._id, ...update.$setOnInsert };
      for (const [key, by] of Object.entries(update.$inc)) row[key] = ((row[key] as number) ?? 0) + by;
      stats.set(filter._id, row);
    },
  } as unknown as Models[1];
  const Feedback = {
    findById: (id: string) => ({ lean: async () => feedback.get(id) ?? null }),
    create: async (doc: Record<string, unknown>) => void feedback.set(doc._id as string, doc),
  } as unknown as Models[0];
  return { Stats, Feedback, reads: () => statsReads };
}

describe('feedback counts per tier, held for a moment', () => {
  it('reads a tier once while held, again after the time, and at once after an answer this process records', async () => {
    let clock = 0;
    const { Stats, Feedback, reads } = stores();
    const store = new BenefitFeedbackStore(Feedback, Stats, () => clock);
    await Promise.all([store.countsForTier('GOLD'), store.countsForTier('GOLD')]);
    await store.countsForTier('CLASSIC');
    expect(reads()).toBe(2);
    clock = COUNTS_HELD_MS - 1;
    expect((await store.countsForTier('GOLD')).size).toBe(0);
    expect(reads()).toBe(2);
    await store.record(
      'M000001',
      { code: 'SL-POPCORN', partner: 'starlight' },
      { action: 'SHOWN', rating: null, tier: 'GOLD', at: new Date(0) },
    );
    expect((await store.countsForTier('GOLD')).get('SL-POPCORN')?.shown).toBe(1);
    expect(reads()).toBe(3);
    await store.countsForTier('CLASSIC');
    expect(reads()).toBe(3);
    clock = COUNTS_HELD_MS;
    await store.countsForTier('CLASSIC');
    expect(reads()).toBe(4);
  });
});
