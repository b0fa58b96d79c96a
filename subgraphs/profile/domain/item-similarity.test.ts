import type { ItemActivity } from './item-similarity.js';
import { interestStrength, itemKey, parseItemKey, trainItemSimilarity } from './item-similarity.js';

const bought = (purchases = 1): ItemActivity => ({ purchases, browses: 0, interactions: 0 });

describe('interestStrength', () => {
  it('is ln(1 + purchases + 0.5·interactions + 0.2·browses)', () => {
    expect(interestStrength({ purchases: 2, interactions: 2, browses: 5 })).toBeCloseTo(
      Math.log(1 + 2 + 1 + 1),
      12,
    );
    expect(interestStrength({ purchases: 0, interactions: 0, browses: 0 })).toBe(0);
  });
});

describe('trainItemSimilarity', () => {
  it('computes cosine similarity between items’ member vectors (worked example)', () => {
    // u1 and u2 buy A and B, u3 buys A and C; every strength is ln 2, so it cancels:
    // sim(A, B) = 2 / (√3 · √2), sim(A, C) = 1 / (√3 · 1); B and C share no member.
    const model = trainItemSimilarity(
      [
        new Map([
          ['p/A', bought()],
          ['q/B', bought()],
        ]),
        new Map([
          ['p/A', bought()],
          ['q/B', bought()],
        ]),
        new Map([
          ['p/A', bought()],
          ['r/C', bought()],
        ]),
      ],
      { minCommonMembers: 1 },
    );
    expect(model.items).toEqual(['p/A', 'q/B', 'r/C']);
    expect(model.neighbours['p/A'].map((n) => n.item)).toEqual(['q/B', 'r/C']);
    expect(model.neighbours['p/A'][0].similarity).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(model.neighbours['p/A'][1].similarity).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(model.neighbours['q/B']).toEqual([
      { item: 'p/A', similarity: model.neighbours['p/A'][0].similarity },
    ]);
    expect(model.neighbours['r/C'].map((n) => n.item)).toEqual(['p/A']);
  });

  it('drops pairs with fewer common members than the minimum and keeps the top neighbours', () => {
    const members = [
      ...Array.from(
        { length: 3 },
        () =>
          new Map([
            ['a/1', bought()],
            ['b/1', bought()],
          ]),
      ),
      new Map([
        ['a/1', bought()],
        ['c/1', bought()],
      ]),
      ...Array.from(
        { length: 4 },
        () =>
          new Map([
            ['a/1', bought()],
            ['d/1', bought()],
          ]),
      ),
    ];
    const model = trainItemSimilarity(members, { minCommonMembers: 3, neighbours: 1 });
    expect(model.neighbours['a/1'].map((n) => n.item)).toEqual(['d/1']);
    expect(
      trainItemSimilarity(members, { minCommonMembers: 3 }).neighbours['a/1'].map((n) => n.item),
    ).toEqual(['d/1', 'b/1']);
  });
});

describe('itemKey', () => {
  it('round-trips partner and category', () => {
    expect(parseItemKey(itemKey('inkwell', 'arts'))).toEqual({ partner: 'inkwell', category: 'arts' });
  });
});
