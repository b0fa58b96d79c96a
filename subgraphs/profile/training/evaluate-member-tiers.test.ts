import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { emptyBehaviour } from '../../shared/domain/behaviour.js';
import { buildPopulationModel } from '../../shared/domain/population-model.js';
import type { TierStore } from '../data/tier-store.js';
import type { StoredTier } from '../domain/tier-evaluation.js';
import { evaluateMemberTiers } from './evaluate-member-tiers.js';

/** A tier store in memory that applies the same "only over the evaluation it read" guard as the real one. */
function memoryTierStore() {
  const tiers = new Map<string, StoredTier>();
  const store = {
    tiersOf: async (ids: readonly string[]) =>
      new Map(ids.filter((id) => tiers.has(id)).map((id) => [id, tiers.get(id)!])),
    save: async (rows: { memberId: string; previousEvaluatedAt: string | null; tier: StoredTier }[]) => {
      for (const row of rows) {
        if ((tiers.get(row.memberId)?.evaluatedAt ?? null) === row.previousEvaluatedAt)
          tiers.set(row.memberId, row.tier);
      }
    },
  } as unknown as TierStore;
  return { store, tiers };
}

const spending = (spendMinor: number): BrandBehaviour => ({
  ...emptyBehaviour('mindspark', 365),
  purchaseCount: spendMinor > 0 ? 1 : 0,
  spendMinor,
});

// A population where spend alone decides: 100 members spending 0 … 99,000 minor units.
const population = buildPopulationModel({
  spend: Array.from({ length: 100 }, (_, i) => i * 1000),
  activity: Array.from({ length: 100 }, (_, i) => i),
  interaction: Array.from({ length: 100 }, () => 0),
});

describe('evaluateMemberTiers', () => {
  it('keeps a falling member at their tier through one monthly grace period, then moves them down', async () => {
    const { store, tiers } = memoryTierStore();
    const settings = { store, populationModel: population };
    const quiet = () => undefined;
    const run = (spend: number, at: string) =>
      evaluateMemberTiers(
        [{ memberId: 'M1', behaviours: [spending(spend)], purchaseDays: [] }],
        settings,
        new Date(at),
        quiet,
      );

    await run(99_000, '2026-01-15T00:00:00Z');
    const top = tiers.get('M1')!.code;
    expect(top).not.toBe('BASIC');

    const fell = await run(0, '2026-02-15T00:00:00Z');
    expect(fell.changes.grace).toBe(1);
    expect(tiers.get('M1')!.code).toBe(top);
    expect(tiers.get('M1')!.grace).toMatchObject({ sincePeriod: '2026-02', qualifiedFor: 'BASIC' });

    const again = await run(0, '2026-02-28T00:00:00Z'); // the same period: still the one grace period
    expect(again.changes).toMatchObject({ grace: 0, downgrade: 0 });
    expect(tiers.get('M1')!.code).toBe(top);

    const down = await run(0, '2026-03-15T00:00:00Z');
    expect(down.changes.downgrade).toBe(1);
    expect(tiers.get('M1')!.code).toBe('BASIC');
    expect(tiers.get('M1')!.history.map((h) => h.change)).toEqual(['initial', 'grace', 'downgrade']);
    // The brands the evaluation scored, so that a later revocation of one of them can set the tier aside.
    expect(tiers.get('M1')!.partners).toEqual(['mindspark']);
  });
});
