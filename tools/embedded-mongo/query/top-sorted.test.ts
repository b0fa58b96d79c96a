import { describe, expect, it } from '@jest/globals';
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { topSorted } from './top-sorted.js';

/** A small deterministic generator, so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function documents(n: number, seed: number): Document[] {
  const random = lcg(seed);
  const day = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    _id: `e${i}`,
    published: false,
    // Few distinct values: many ties, which a stable sort leaves in their order.
    receivedAt: new Date(day + Math.floor(random() * 20) * 1000),
    amount: Math.floor(random() * 10) - 3.5,
    name: ['b', 'a', 'B', 'é', 'ab', ''][Math.floor(random() * 6)],
    nested: { rank: Math.floor(random() * 5) },
  }));
}

const fullSort = (docs: Document[], sort: Document): Document[] =>
  new Aggregator([{ $sort: sort }]).run(docs) as Document[];

describe('topSorted', () => {
  const docs = documents(3_000, 7);
  const sorts: Document[] = [
    { receivedAt: 1 },
    { receivedAt: -1 },
    { amount: 1, name: -1 },
    { name: 1 },
    { 'nested.rank': -1, receivedAt: 1 },
  ];
  for (const sort of sorts) {
    for (const keep of [1, 200, 700]) {
      it(`keeps the first ${keep} of a full stable sort by ${JSON.stringify(sort)}`, () => {
        const top = topSorted(docs, sort, keep);
        expect(top?.map((d) => d._id)).toEqual(
          fullSort(docs, sort)
            .slice(0, keep)
            .map((d) => d._id),
        );
      });
    }
  }

  it('leaves to the full sort keys that are missing, null, arrays or of mixed types', () => {
    const base = documents(10, 3);
    expect(topSorted([...base, { _id: 'x' }], { receivedAt: 1 }, 3)).toBeUndefined();
    expect(topSorted([...base, { _id: 'x', amount: null }], { amount: 1 }, 3)).toBeUndefined();
    expect(topSorted([...base, { _id: 'x', amount: [1, 2] }], { amount: 1 }, 3)).toBeUndefined();
    expect(topSorted([...base, { _id: 'x', amount: '1' }], { amount: 1 }, 3)).toBeUndefined();
    expect(
      topSorted([...base, { _id: 'x', nested: [{ rank: 1 }] }], { 'nested.rank': 1 }, 3),
    ).toBeUndefined();
  });
});
