import { RFM_SEGMENTS, rfmSegment } from './rfm-segments.js';

describe('rfmSegment', () => {
  it.each([
    [5, 5, 5, 'CHAMPIONS'],
    [4, 5, 5, 'CHAMPIONS'],
    [3, 4, 4, 'LOYAL'],
    [4, 4, 4, 'LOYAL'],
    [5, 2, 3, 'POTENTIAL_LOYALIST'], // FM = round(2.5) = 3
    [5, 1, 1, 'NEW'],
    [4, 1, 1, 'PROMISING'],
    [3, 2, 2, 'NEEDS_ATTENTION'],
    [2, 5, 4, 'AT_RISK'],
    [1, 5, 5, 'AT_RISK'],
    [2, 1, 2, 'HIBERNATING'], // FM = round(1.5) = 2
    [1, 1, 1, 'LOST'],
  ])('R%p F%p M%p → %p', (recency, frequency, monetary, segment) => {
    expect(rfmSegment({ recency, frequency, monetary })).toBe(segment);
  });

  it('gives every score triple exactly one segment and uses all nine', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) seen.add(rfmSegment({ recency: r, frequency: f, monetary: m }));
    expect([...seen].sort()).toEqual(Object.keys(RFM_SEGMENTS).sort());
  });

  it('keeps the lapsing segments to the two least recent rows, and Champions to recent, high F and M', () => {
    const lapsing = ['LOST', 'HIBERNATING', 'AT_RISK'];
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) {
          const segment = rfmSegment({ recency: r, frequency: f, monetary: m });
          expect(lapsing.includes(segment)).toBe(r <= 2);
          if (segment === 'CHAMPIONS') {
            expect(r).toBeGreaterThanOrEqual(4);
            expect(f + m).toBeGreaterThanOrEqual(7);
          }
        }
  });

  it('refuses scores outside 1-5', () => {
    expect(() => rfmSegment({ recency: 0, frequency: 3, monetary: 3 })).toThrow(
      'recency score must be a whole number 1-5',
    );
    expect(() => rfmSegment({ recency: 3, frequency: 3, monetary: 2.5 })).toThrow('monetary');
  });
});
