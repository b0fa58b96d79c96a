import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { NotCompiled } from './compiled-expression.js';
import { compileStage } from './compiled-stages.js';

// Compiled stages must give exactly what the general engine gives, or give way to it (NotCompiled).
// Differential test: seeded random documents of mixed shapes, each stage run both ways.
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomDocuments(count: number, seed: number): Document[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const doc: Document = {
      _id: i,
      member: pick(['a', 'b', 'c', 'd']),
      partner: pick(['x', 'y', 'z']),
      points: pick([1, 2, 5, 10, -3, 0, 2.5]),
      at: new Date(
        Date.UTC(2026, Math.floor(random() * 12), 1 + Math.floor(random() * 28), Math.floor(random() * 24)),
      ),
      tags: pick([[], ['p'], ['p', 'q'], ['q', 'q']]),
      nested: { kind: pick(['earn', 'redeem']), level: pick([1, 2, 3]) },
    };
    // Some documents lack fields or hold other types, as real collections do.
    if (random() < 0.1) delete doc.points;
    if (random() < 0.05) doc.points = 'seven';
    if (random() < 0.05) doc.partner = null;
    if (random() < 0.05) delete doc.tags;
    if (random() < 0.03) doc.tags = 'solo';
    if (random() < 0.05) delete doc.at;
    return doc;
  });
}

const STAGES: Document[] = [
  { $group: { _id: '$member', total: { $sum: '$points' }, n: { $sum: 1 } } },
  { $group: { _id: '$partner', count: { $count: {} }, avg: { $avg: '$points' } } },
  { $group: { _id: { m: '$member', p: '$partner' }, partners: { $addToSet: '$partner' } } },
  { $group: { _id: '$member', first: { $min: '$at' }, last: { $max: '$at' } } },
  { $group: { _id: '$member', low: { $min: '$points' }, high: { $max: '$points' } } },
  { $group: { _id: null, ids: { $push: '$_id' }, firstId: { $first: '$_id' }, lastId: { $last: '$_id' } } },
  {
    $group: {
      _id: { $dateToString: { format: '%Y-%m', date: { $add: ['$at', 8 * 3_600_000] } } },
      n: { $sum: 1 },
    },
  },
  { $group: { _id: { $dateToString: { format: '%Y-%m-%d %H:%M:%S.%L %%', date: '$at' } }, n: { $sum: 1 } } },
  {
    $group: {
      _id: { $cond: [{ $gte: ['$at', new Date(Date.UTC(2026, 5, 1))] }, 'late', 'early'] },
      n: { $sum: 1 },
    },
  },
  { $group: { _id: { $size: '$tags' }, n: { $sum: 1 } } },
  {
    $group: {
      _id: '$nested.kind',
      levels: { $addToSet: '$nested.level' },
      pts: { $sum: { $ifNull: ['$points', 100] } },
    },
  },
  {
    $group: { _id: { y: { $year: '$at' }, m: { $month: '$at' }, d: { $dayOfMonth: '$at' } }, n: { $sum: 1 } },
  },
  { $group: { _id: { kind: '$nested.kind', big: { $gt: ['$nested.level', 1] } }, n: { $sum: 1 } } },
  { $unwind: '$tags' },
];

const canonical = (docs: Document[]): string[] => docs.map((d) => JSON.stringify(d)).sort();

describe('compiled aggregation stages', () => {
  it('agree with the general engine on every stage they run, over random documents', () => {
    let compiledRuns = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const docs = randomDocuments(300, seed);
      for (const stage of STAGES) {
        const compiled = compileStage(stage);
        expect(compiled).not.toBeNull();
        let expected: Document[];
        try {
          expected = new Aggregator([stage]).run(structuredClone(docs)) as Document[];
        } catch {
          continue; // the engine refuses these documents (e.g. $add of a missing date): nothing to compare
        }
        try {
          const actual = compiled!(docs);
          compiledRuns += 1;
          expect(canonical(actual)).toEqual(canonical(expected));
        } catch (error) {
          if (!(error instanceof NotCompiled)) throw error;
        }
      }
    }
    // Most runs must take the compiled path, or this test proves nothing.
    expect(compiledRuns).toBeGreaterThan(STAGES.length * 5 * 0.5);
  });

  it('leaves what it does not know to the general engine', () => {
    expect(compileStage({ $group: { _id: '$$ROOT', n: { $sum: 1 } } })).toBeNull();
    expect(compileStage({ $group: { _id: '$a', v: { $stdDevPop: '$b' } } })).toBeNull();
    expect(compileStage({ $group: { _id: { $toUpper: '$a' } } })).toBeNull();
    expect(
      compileStage({
        $group: { _id: { $dateToString: { format: '%Y', date: '$at', timezone: 'Asia/Shanghai' } } },
      }),
    ).toBeNull();
    expect(compileStage({ $unwind: { path: '$tags', includeArrayIndex: 'i' } })).toBeNull();
    expect(compileStage({ $unwind: '$a.b' })).toBeNull();
    expect(compileStage({ $project: { a: 1 } })).toBeNull();
  });

  it('gives way at run time where the answer would depend on what it does not model', () => {
    const stage = compileStage({ $group: { _id: '$member', low: { $min: '$v' } } })!;
    expect(() =>
      stage([
        { member: 'a', v: 1 },
        { member: 'a', v: 'one' },
      ]),
    ).toThrow(NotCompiled);
    const onArray = compileStage({ $group: { _id: '$a.b', n: { $sum: 1 } } })!;
    expect(() => onArray([{ a: [{ b: 1 }] }])).toThrow(NotCompiled);
  });
});
