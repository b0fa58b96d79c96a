import { emptyBehaviour } from '../../shared/domain/behaviour.js';
import { SeededRandom } from '../../../tools/seed/seeded-random.js';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import type { ValueFeatures } from './value-segments.js';
import {
  valueFeaturesFromBehaviours,
  assignSegment,
  fitValueSegments,
  labelSegment,
  labelSegments,
  logScaledFeatures,
} from './value-segments.js';

/**
 * Four kinds of members, well apart in log space: big recent spenders at several brands, lapsed big
 * spenders, active small spenders, and members who bought once long ago.
 */
function population(seed: number, perKind = 150): ValueFeatures[] {
  const random = new SeededRandom(seed);
  const jitter = (centre: number) => Math.max(0, Math.round(centre * random.logNormal(0, 0.15)));
  const kinds = [
    () => ({
      spendMinor: jitter(800_000),
      purchases: jitter(40),
      recencyDays: jitter(4),
      brandsActive: 4,
      interactions: jitter(12),
    }),
    () => ({
      spendMinor: jitter(500_000),
      purchases: jitter(25),
      recencyDays: jitter(250),
      brandsActive: 2,
      interactions: jitter(3),
    }),
    () => ({
      spendMinor: jitter(40_000),
      purchases: jitter(6),
      recencyDays: jitter(10),
      brandsActive: 3,
      interactions: jitter(8),
    }),
    () => ({
      spendMinor: jitter(5_000),
      purchases: 1,
      recencyDays: jitter(300),
      brandsActive: 1,
      interactions: 0,
    }),
  ];
  const members: ValueFeatures[] = [];
  for (let i = 0; i < perKind; i++) for (const kind of kinds) members.push(kind());
  return members;
}

describe('fitValueSegments', () => {
  const members = population(1);
  const model = fitValueSegments(members, { seed: 7 });

  it('finds the four kinds by silhouette and names them by the documented rule', () => {
    expect(model.k).toBe(4);
    expect(model.silhouette).toBeGreaterThan(0.6);
    expect(model.silhouetteByK.map((s) => s.k)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(Math.max(...model.silhouetteByK.map((s) => s.silhouette))).toBe(model.silhouette);
    expect([...model.sizes].sort()).toEqual([150, 150, 150, 150]);
    // One probe from each kind lands in its own segment, with the name the rule gives that kind.
    const probes = members.slice(0, 4).map((m) => assignSegment(model, m).label);
    expect(probes).toEqual(['high value', 'at risk', 'growing', 'lapsed']);
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const again = fitValueSegments(members, { seed: 7 });
    expect(again).toEqual(model);
    const stored = JSON.parse(JSON.stringify(model));
    for (const m of members.slice(0, 40)) expect(assignSegment(stored, m)).toEqual(assignSegment(model, m));
  });

  it('assigns every training member to the segment k-means put it in', () => {
    const bySegment = new Array<number>(model.k).fill(0);
    for (const m of members) bySegment[assignSegment(model, m).segment] += 1;
    expect(bySegment).toEqual(model.sizes);
  });

  it('standardises: the log features have mean 0 and standard deviation 1 over the population', () => {
    const z = members.map((m) =>
      logScaledFeatures(m, 365).map((v, i) => (v - model.means[i]) / model.stds[i]),
    );
    for (let i = 0; i < 5; i++) {
      const mean = z.reduce((s, r) => s + r[i], 0) / z.length;
      const sd = Math.sqrt(z.reduce((s, r) => s + (r[i] - mean) ** 2, 0) / z.length);
      expect(mean).toBeCloseTo(0, 10);
      expect(sd).toBeCloseTo(1, 10);
    }
  });

  it('refuses a population too small for the k range, or a bad range', () => {
    expect(() => fitValueSegments(members.slice(0, 8))).toThrow('more members than kMax');
    expect(() => fitValueSegments(members, { kMin: 5, kMax: 4 })).toThrow('kMin ≤ kMax');
  });
});

describe('valueFeaturesFromBehaviours', () => {
  const empty: BrandBehaviour = { ...emptyBehaviour('p') };

  it('adds the brands up and counts the brands with any activity', () => {
    const features = valueFeaturesFromBehaviours(
      [
        {
          ...empty,
          partner: 'a',
          purchaseCount: 3,
          spendMinor: 9000,
          interactionCount: 2,
          lastPurchaseAt: '2026-02-20T00:00:00.000Z',
        },
        { ...empty, partner: 'b', browseCount: 4, referralCount: 1 },
        { ...empty, partner: 'c' },
      ],
      new Date('2026-03-01T00:00:00Z'),
    );
    expect(features).toEqual({
      spendMinor: 9000,
      purchases: 3,
      recencyDays: 9,
      brandsActive: 2,
      interactions: 3,
    });
  });
});

describe('logScaledFeatures', () => {
  it('takes ln(1 + x), spend in yuan, and the whole window for a member who never bought', () => {
    expect(
      logScaledFeatures(
        { spendMinor: 99_900, purchases: 0, recencyDays: null, brandsActive: 1, interactions: 0 },
        365,
      ),
    ).toEqual([Math.log(1000), 0, Math.log(366), Math.log(2), 0]);
  });
});

describe('labelSegment', () => {
  it.each([
    [[1, 1, 0.6, 0, 0], 'at risk'],
    [[-1, -0.5, 0.9, 0, 0], 'lapsed'],
    [[1.2, 0.8, -0.4, 0, 0], 'high value'],
    [[0.2, -0.1, -0.2, -1, -1], 'growing'],
    [[-0.6, -0.6, 0, 0.6, 0.6], 'growing'],
    [[-0.6, -0.6, 0, 0, 0], 'occasional'],
  ])('%j → %p', (centroid, label) => {
    expect(labelSegment(centroid)).toBe(label);
  });

  it('numbers segments that share a name, highest value first', () => {
    expect(
      labelSegments([
        [0.1, 0.1, 0, 0, 0],
        [2, 2, 0, 0, 0],
        [0.5, 0.5, 0, 0, 0],
      ]),
    ).toEqual(['growing 2', 'high value', 'growing']);
  });

  it('calls the most valuable active segment "high value" from 0.5, the others from 0.75', () => {
    expect(
      labelSegments([
        [0.7, 0.7, -0.6, 0.8, 0.8], // value 0.7: the best active segment
        [-2, -1.7, 1.4, -1.2, -0.7],
        [0.1, -0.2, 0.1, -0.4, -0.4],
      ]),
    ).toEqual(['high value', 'lapsed', 'occasional']);
    expect(labelSegment([0.7, 0.7, -0.6, 0, 0])).toBe('growing');
    // A lapsing segment is never the "most valuable active" one.
    expect(
      labelSegments([
        [0.7, 0.7, 0.6, 0, 0],
        [0.2, 0.2, 0, 0, 0],
      ]),
    ).toEqual(['at risk', 'growing']);
  });
});
