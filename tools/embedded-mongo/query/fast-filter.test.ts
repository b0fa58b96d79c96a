import { Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import { Query } from 'mingo';
import { compileFastFilter } from './fast-filter.js';
import { compileFilter } from './find-documents.js';

// Fast filters must decide exactly as the query engine does, or leave the document to it (undefined).
// Differential test: seeded random documents of mixed shapes against seeded random filters.
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
const SCALARS: unknown[] = [0, 1, 2, -1, 2.5, 'a', 'b', 'ab', '', true, false, null, day(0), day(3), day(10)];
const ODD: unknown[] = [
  [1, 2],
  ['a'],
  [],
  [null],
  [1, 'a', null],
  [day(3), 2],
  [[1], 1],
  [{ x: 1 }],
  { x: 1 },
  {},
  Long.fromNumber(2),
  new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
  NaN,
  /a/,
];

function randomDocument(random: () => number, i: number): Document {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const value = () => (random() < 0.15 ? pick(ODD) : pick(SCALARS));
  const doc: Document = { _id: i };
  for (const field of ['a', 'b', 'c']) if (random() < 0.85) doc[field] = value();
  const roll = random();
  if (roll < 0.6) doc.n = { x: value(), y: value() };
  else if (roll < 0.7) doc.n = pick([null, 5, 'text', [{ x: 1 }], day(1)]);
  return doc;
}

function randomFilter(random: () => number, depth = 0): Document {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const field = () => pick(['a', 'b', 'c', 'n.x', 'n.y', 'missing', 'n.x.z']);
  const operand = () => pick(SCALARS);
  const condition = (): unknown => {
    switch (pick(['literal', 'eq', 'ne', 'range', 'range', 'in', 'nin', 'exists', 'type'])) {
      case 'literal':
        return operand();
      case 'eq':
        return { $eq: operand() };
      case 'ne':
        return { $ne: operand() };
      case 'range': {
        const bound = pick(SCALARS.filter((v) => v !== null));
        const out: Document = { [pick(['$gt', '$gte', '$lt', '$lte'])]: bound };
        if (random() < 0.5)
          out[pick(['$gt', '$gte', '$lt', '$lte'])] = pick(SCALARS.filter((v) => v !== null));
        return out;
      }
      case 'in':
        return { $in: [operand(), operand(), operand()].slice(0, 1 + Math.floor(random() * 3)) };
      case 'nin':
        return { $nin: [operand(), operand()] };
      case 'exists':
        return { $exists: random() < 0.5 };
      default:
        return { $type: pick(['string', 'number', 'bool', 'date', 'null']) };
    }
  };
  const filter: Document = {};
  const clauses = 1 + Math.floor(random() * 2);
  for (let i = 0; i < clauses; i += 1) filter[field()] = condition();
  if (depth === 0 && random() < 0.3) {
    const op = random() < 0.5 ? '$and' : '$or';
    filter[op] = [randomFilter(random, 1), randomFilter(random, 1)];
  }
  return filter;
}

describe('fast filters', () => {
  it('decide every document they decide exactly as the query engine does', () => {
    const random = seededRandom(7);
    const docs = Array.from({ length: 200 }, (_, i) => randomDocument(random, i));
    let decided = 0;
    let undecided = 0;
    for (let f = 0; f < 600; f += 1) {
      const filter = randomFilter(random);
      const fast = compileFastFilter(filter);
      expect(fast).not.toBeNull();
      // The store compiles the engine's query only for a document the fast filter leaves open
      // (`fastFilterQuery`): that is sound only if every filter compiled here is one the engine accepts.
      expect(() => compileFilter(filter)).not.toThrow();
      const engine = new Query(filter);
      for (const doc of docs) {
        const verdict = fast!(doc);
        if (verdict === undefined) {
          undecided += 1;
          continue;
        }
        decided += 1;
        if (verdict !== engine.test(doc)) {
          throw new Error(`${JSON.stringify(filter)} on ${JSON.stringify(doc)}: fast ${verdict}`);
        }
      }
    }
    // Most documents must be decided here, or this test proves little.
    expect(decided).toBeGreaterThan(undecided * 2);
  });

  it('leaves filters with other operators to the engine', () => {
    expect(compileFastFilter({ a: { $regex: 'x' } })).toBeNull();
    expect(compileFastFilter({ a: /x/ })).toBeNull();
    expect(compileFastFilter({ a: { $elemMatch: { b: 1 } } })).toBeNull();
    expect(compileFastFilter({ a: { b: 1 } })).toBeNull();
    expect(compileFastFilter({ a: [1, 2] })).toBeNull();
    expect(compileFastFilter({ 'a.0': 1 })).toBeNull();
    expect(compileFastFilter({ $expr: { $eq: ['$a', 1] } })).toBeNull();
    expect(compileFastFilter({ $nor: [{ a: 1 }] })).toBeNull();
    expect(compileFastFilter({ a: { $gte: null } })).toBeNull();
    expect(compileFastFilter({ a: { $exists: 1 } })).toBeNull();
    expect(compileFastFilter({ a: { $type: 'objectId' } })).toBeNull();
    expect(compileFastFilter({ a: NaN })).toBeNull();
    expect(compileFastFilter({ a: Long.fromNumber(1) })).toBeNull();
  });

  it('reads arrays of scalars element by element, and leaves other arrays and wrapped values to the engine', () => {
    const fast = compileFastFilter({ 'n.x': { $gte: 1 }, a: 'a' })!;
    expect(fast({ a: 'a', n: { x: 2 } })).toBe(true);
    expect(fast({ a: 'a', n: { x: [0, 2] } })).toBe(true);
    expect(fast({ a: 'a', n: { x: [0, 'z'] } })).toBe(false);
    expect(fast({ a: 'b', n: { x: [{ y: 1 }] } })).toBe(false); // decided by the other clause
    expect(fast({ a: 'a', n: { x: [{ y: 1 }] } })).toBeUndefined();
    expect(fast({ a: 'a', n: [{ x: 2 }] })).toBeUndefined();
    const guard = compileFastFilter({ _id: 'day', ids: { $ne: 'e2' } })!;
    expect(guard({ _id: 'day', ids: ['e1', 'e3'] })).toBe(true);
    expect(guard({ _id: 'day', ids: ['e1', 'e2'] })).toBe(false);
    expect(compileFastFilter({ tags: { $type: 'string' } })!({ tags: ['a'] })).toBeUndefined();
    expect(fast({ a: 'a', n: { x: Long.fromNumber(2) } })).toBeUndefined();
    expect(fast({ a: 'a', n: 'text' })).toBe(false);
  });
});
