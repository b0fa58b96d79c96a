import { ALL_MEMBERS, buildItemPopularity } from './item-popularity.js';

describe('buildItemPopularity', () => {
  it('ranks items by the share of each segment’s members who buy them, and over everyone', () => {
    const model = buildItemPopularity([
      { segment: 'growing', purchased: new Set(['a/x', 'b/y']) },
      { segment: 'growing', purchased: new Set(['a/x']) },
      { segment: 'lapsed', purchased: new Set(['b/y']) },
      { segment: null, purchased: new Set(['c/z']) },
    ]);
    expect(model.bySegment.growing).toEqual([
      { item: 'a/x', share: 1 },
      { item: 'b/y', share: 0.5 },
    ]);
    expect(model.bySegment.lapsed).toEqual([{ item: 'b/y', share: 1 }]);
    expect(model.bySegment[ALL_MEMBERS]).toEqual([
      { item: 'a/x', share: 0.5 },
      { item: 'b/y', share: 0.5 },
      { item: 'c/z', share: 0.25 },
    ]);
  });
});
