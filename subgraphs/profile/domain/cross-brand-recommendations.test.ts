import { recommendCrossBrand } from './cross-brand-recommendations.js';
import { buildItemPopularity } from './item-popularity.js';
import type { ItemActivity } from './item-similarity.js';
import { trainItemSimilarity } from './item-similarity.js';

const act = (purchases: number, browses = 0): ItemActivity => ({ purchases, browses, interactions: 0 });

// Tech learners at Mindspark also read tech books at Inkwell; fitness members go to the cinema.
const training = [
  ...Array.from(
    { length: 6 },
    () =>
      new Map([
        ['mindspark/technology', act(2)],
        ['inkwell/technology', act(1)],
      ]),
  ),
  ...Array.from(
    { length: 4 },
    () =>
      new Map([
        ['pulsefit/health', act(3)],
        ['starlight/entertainment', act(1)],
      ]),
  ),
  new Map([
    ['mindspark/technology', act(1)],
    ['starlight/entertainment', act(1)],
  ]),
];
const similarity = trainItemSimilarity(training, { minCommonMembers: 1 });
const popularity = buildItemPopularity([
  ...training
    .slice(0, 6)
    .map(() => ({ segment: 'growing', purchased: new Set(['mindspark/technology', 'inkwell/technology']) })),
  ...training.slice(6, 10).map(() => ({
    segment: 'high value',
    purchased: new Set(['pulsefit/health', 'starlight/entertainment']),
  })),
]);
const partnerNames = {
  mindspark: 'Mindspark Academy',
  inkwell: 'Inkwell Books',
  starlight: 'Starlight Cinemas',
};

describe('recommendCrossBrand', () => {
  it('recommends what similar members buy, with the strength-weighted mean similarity as score', () => {
    const [first] = recommendCrossBrand(
      similarity,
      popularity,
      { activity: new Map([['mindspark/technology', act(1)]]), segment: null },
      { partnerNames, limit: 1 },
    );
    const sim = similarity.neighbours['mindspark/technology'].find(
      (n) => n.item === 'inkwell/technology',
    )!.similarity;
    expect(first).toEqual({
      partner: 'inkwell',
      category: 'technology',
      score: Math.round(sim * 1000) / 1000,
      reason: 'Members who buy technology at Mindspark Academy also buy technology at Inkwell Books.',
    });
  });

  it('never recommends what the member already buys, but may recommend what they only browsed', () => {
    const recommendations = recommendCrossBrand(similarity, popularity, {
      activity: new Map([
        ['mindspark/technology', act(1)],
        ['inkwell/technology', act(0, 4)],
      ]),
      segment: 'growing',
    });
    const items = recommendations.map((r) => `${r.partner}/${r.category}`);
    expect(items).not.toContain('mindspark/technology');
    expect(items[0]).toBe('inkwell/technology');
  });

  it('falls back to popularity in the member’s segment for a new member', () => {
    const recommendations = recommendCrossBrand(
      similarity,
      popularity,
      { activity: new Map(), segment: 'high value' },
      { partnerNames },
    );
    expect(recommendations.map((r) => [r.partner, r.category, r.score])).toEqual([
      ['pulsefit', 'health', 1],
      ['starlight', 'entertainment', 1],
    ]);
    expect(recommendations[1].reason).toBe(
      'Popular with "high value" members: 100% buy entertainment at Starlight Cinemas.',
    );
  });

  it('uses popularity across the programme for an unknown segment, and fills places collaborative filtering leaves', () => {
    const fresh = recommendCrossBrand(
      similarity,
      popularity,
      { activity: new Map(), segment: 'no such segment' },
      { limit: 3 },
    );
    expect(fresh[0].reason).toMatch(/^Popular with members across the programme: 60% buy/);
    const filled = recommendCrossBrand(similarity, popularity, {
      activity: new Map([['pulsefit/health', act(1)]]),
      segment: 'growing',
    });
    expect(filled[0]).toMatchObject({ partner: 'starlight', category: 'entertainment' });
    expect(filled.slice(1).every((r) => r.reason.startsWith('Popular with "growing" members'))).toBe(true);
    expect(filled.length).toBe(3); // starlight by CF, then mindspark and inkwell technology by popularity
  });
});
