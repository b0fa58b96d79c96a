import { emptyBehaviour } from '../../shared/domain/behaviour.js';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import type { RfmInput } from './rfm-scores.js';
import { buildRfmModel, rfmInputFromBehaviours, scoreRfm } from './rfm-scores.js';

function behaviour(partial: Partial<BrandBehaviour>): BrandBehaviour {
  return { ...emptyBehaviour('p'), ...partial };
}

/** 100 buyers: member i (1-100) bought i days ago, i times, for 1000·i fen; plus 20 members who did not buy. */
const population: RfmInput[] = [
  ...Array.from({ length: 100 }, (_, k) => ({
    recencyDays: k + 1,
    frequency: k + 1,
    monetaryMinor: 1000 * (k + 1),
  })),
  ...Array.from({ length: 20 }, () => ({ recencyDays: null, frequency: 0, monetaryMinor: 0 })),
];

describe('rfmInputFromBehaviours', () => {
  it('adds purchases and spend across brands and takes the latest purchase', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const input = rfmInputFromBehaviours(
      [
        behaviour({
          partner: 'a',
          purchaseCount: 2,
          spendMinor: 5000,
          lastPurchaseAt: '2026-02-01T00:00:00.000Z',
        }),
        behaviour({
          partner: 'b',
          purchaseCount: 3,
          spendMinor: 7000,
          lastPurchaseAt: '2026-02-20T00:00:00.000Z',
        }),
        behaviour({ partner: 'c' }),
      ],
      now,
    );
    expect(input).toEqual({ recencyDays: 9, frequency: 5, monetaryMinor: 12_000 });
  });

  it('has no recency without a purchase', () => {
    expect(rfmInputFromBehaviours([behaviour({ browseCount: 3 })], new Date())).toEqual({
      recencyDays: null,
      frequency: 0,
      monetaryMinor: 0,
    });
  });
});

describe('buildRfmModel', () => {
  it('takes the quintile breakpoints over buyers only (worked example)', () => {
    const model = buildRfmModel(population);
    // Nearest rank on 100 sorted values: q20 is the value at index round(0.2 × 99) = 20, i.e. 21.
    expect(model.breakpoints).toEqual({
      recency: [21, 41, 60, 80],
      frequency: [21, 41, 60, 80],
      monetary: [21_000, 41_000, 60_000, 80_000],
    });
    expect(model.population).toBe(100);
    expect(model.version).toMatch(/^rfm-[0-9a-f]{12}$/);
    expect(buildRfmModel([...population].reverse()).version).toBe(model.version);
  });
});

describe('scoreRfm', () => {
  const model = buildRfmModel(population);

  it('scores recent, frequent, big spenders 5-5-5 and the opposite 1-1-1', () => {
    expect(scoreRfm({ recencyDays: 3, frequency: 95, monetaryMinor: 99_000 }, model)).toEqual({
      recency: 5,
      frequency: 5,
      monetary: 5,
      segment: 'CHAMPIONS',
    });
    expect(scoreRfm({ recencyDays: 300, frequency: 1, monetaryMinor: 500 }, model)).toEqual({
      recency: 1,
      frequency: 1,
      monetary: 1,
      segment: 'LOST',
    });
  });

  it('puts a value on a breakpoint in the lower quintile', () => {
    // frequency 21 = q20 → not above it → 1; 22 → 2. Recency 21 = q20 → still the most recent fifth → 5.
    expect(scoreRfm({ recencyDays: 21, frequency: 21, monetaryMinor: 21_000 }, model)).toMatchObject({
      recency: 5,
      frequency: 1,
      monetary: 1,
    });
    expect(scoreRfm({ recencyDays: 22, frequency: 22, monetaryMinor: 21_001 }, model)).toMatchObject({
      recency: 4,
      frequency: 2,
      monetary: 2,
    });
  });

  it('gives each fifth of the population its own score', () => {
    const counts = [0, 0, 0, 0, 0];
    for (const m of population) {
      const s = scoreRfm(m, model);
      if (s) counts[s.frequency - 1] += 1;
    }
    expect(counts).toEqual([21, 20, 19, 20, 20]);
  });

  it('is null without a purchase in the window', () => {
    expect(scoreRfm({ recencyDays: null, frequency: 0, monetaryMinor: 0 }, model)).toBeNull();
  });

  it('lets ties share a score: with many one-time buyers, all of them score F = 1', () => {
    const tied = buildRfmModel(
      Array.from({ length: 50 }, (_, i) => ({
        recencyDays: i,
        frequency: i < 30 ? 1 : 2 + i,
        monetaryMinor: 100,
      })),
    );
    expect(scoreRfm({ recencyDays: 5, frequency: 1, monetaryMinor: 100 }, tied)?.frequency).toBe(1);
    expect(scoreRfm({ recencyDays: 5, frequency: 40, monetaryMinor: 100 }, tied)?.frequency).toBe(4);
  });
});
