import type { Document } from 'bson';
import { ObjectId } from 'bson';
import { plainProjection, projectWithEngine } from './find-documents.js';
import { SeededRandom } from '../../seed/seeded-random.js';

// A plain projection must give exactly what the query engine gives, field order included.
function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const FIELDS = ['_id', 'a', 'b', 'message', 'nested', 'list', 'missing'];
const VALUES: unknown[] = [
  1,
  'text',
  null,
  true,
  new Date(Date.UTC(2026, 0, 1)),
  { x: 1, y: { z: 2 } },
  [1, { x: 2 }],
  [],
  new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
];

describe('plain projections', () => {
  it('keep exactly the fields the query engine keeps, in the same order', () => {
    const random = seededRandom(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    let compared = 0;
    for (let n = 0; n < 2000; n += 1) {
      const doc: Document = { _id: n };
      for (const field of FIELDS.slice(1, 6)) if (random() < 0.7) doc[field] = pick(VALUES);
      // Fields in a random order, as documents written by different code have them.
      const shuffled = Object.fromEntries(Object.entries(doc).sort(() => random() - 0.5));
      const projection: Document = {};
      const include = random() < 0.5;
      for (const field of FIELDS) {
        if (random() < 0.35)
          projection[field] =
            field === '_id' ? pick([0, 1, true, false]) : include ? pick([1, true]) : pick([0, false]);
      }
      const plain = plainProjection(projection);
      if (!plain) {
        // Only an empty projection, or excluded fields beside a kept `_id` (which the engine refuses).
        const refused =
          Object.keys(projection).length === 0 || projection._id === 1 || projection._id === true;
        expect(refused).toBe(true);
        continue;
      }
      expect(plain(shuffled)).toEqual(projectWithEngine([shuffled], projection, {})[0]);
      expect(Object.keys(plain(shuffled))).toEqual(
        Object.keys(projectWithEngine([shuffled], projection, {})[0]),
      );
      compared += 1;
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it('leaves dotted paths, operators, expressions and mixed kinds to the engine', () => {
    expect(plainProjection({ 'a.b': 1 })).toBeNull();
    expect(plainProjection({ a: { $slice: 1 } })).toBeNull();
    expect(plainProjection({ 'a.$': 1 })).toBeNull();
    expect(plainProjection({ a: 'literal' })).toBeNull();
    expect(plainProjection({ a: 2 })).toBeNull();
    expect(plainProjection({ a: 1, b: 0 })).toBeNull();
    expect(plainProjection({})).toBeNull();
    expect(plainProjection({ a: 0, _id: 1 })).toBeNull();
    expect(plainProjection({ a: 1, _id: 0 })).not.toBeNull();
  });
});
