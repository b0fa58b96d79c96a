import { Binary, Decimal128, Long, ObjectId, deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { applyUpdate } from '../update/update-document.js';
import { ENCODE_OPTIONS } from '../wire/reply-encoding.js';
import { DECODE_OPTIONS } from '../wire/wire-messages.js';
import { encodeDerived } from './derived-encoding.js';
import { SeededRandom } from '../../seed/seeded-random.js';

// An update's result, encoded by copying what it shares with the stored document, must be the bytes
// `serialize` writes for it. Differential test: seeded random documents, seeded random updates applied by
// the store's own update engine, every result compared byte for byte.
function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const FIELDS = ['a', 'b', 'c', 'days', 'lots', 'name', 'tags'];

function randomValue(random: () => number, depth: number): unknown {
  const roll = random();
  if (depth < 3 && roll < 0.15) return randomDocument(random, depth + 1);
  if (depth < 3 && roll < 0.3)
    return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
  const scalars: unknown[] = [
    Math.floor(random() * 1000),
    random() * 1000,
    -0,
    2 ** 40,
    `s${Math.floor(random() * 50)}`,
    'héllo ☃',
    random() < 0.5,
    null,
    new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 365))),
    new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
    new Binary(Buffer.from([1, 2, 3])),
    Decimal128.fromString('1.5'),
    /ab+c/i,
  ];
  return scalars[Math.floor(random() * scalars.length)];
}

function randomDocument(random: () => number, depth = 0): Document {
  const doc: Document = {};
  for (const field of FIELDS) if (random() < 0.6) doc[field] = randomValue(random, depth);
  return doc;
}

/** A path into `doc`, through embedded documents and arrays that exist, or a new field. */
function randomPath(random: () => number, doc: Document): string {
  const parts: string[] = [];
  let current: unknown = doc;
  for (let depth = 0; depth < 3; depth += 1) {
    if (Array.isArray(current) && current.length > 0 && random() < 0.7) {
      const i = Math.floor(random() * current.length);
      parts.push(String(i));
      current = current[i];
    } else if (current && typeof current === 'object' && !Array.isArray(current) && random() < 0.7) {
      const names = Object.keys(current).filter((name) => name !== '_id');
      const name =
        names.length > 0 && random() < 0.8
          ? names[Math.floor(random() * names.length)]
          : FIELDS[Math.floor(random() * FIELDS.length)];
      parts.push(name);
      current = (current as Document)[name];
    } else break;
  }
  return parts.length > 0 ? parts.join('.') : 'fresh';
}

function randomUpdate(random: () => number, doc: Document): Document {
  const update: Document = {};
  const used = new Set<string>();
  for (let i = 0; i < 1 + Math.floor(random() * 3); i += 1) {
    const path = randomPath(random, doc);
    // Two operators on one path, or on a path and its prefix, conflict; keep the first.
    if ([...used].some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`))) continue;
    used.add(path);
    const op = ['$set', '$set', '$unset', '$inc', '$push', '$pull', '$min', '$rename'][
      Math.floor(random() * 8)
    ];
    const operand =
      op === '$unset'
        ? ''
        : op === '$inc'
          ? 1
          : op === '$rename'
            ? `renamed${i}`
            : op === '$pull'
              ? null
              : randomValue(random, 2);
    if (op === '$rename' && (path.includes('.') || used.has(`renamed${i}`))) continue;
    update[op] = { ...(update[op] as Document | undefined), [path]: operand };
  }
  return Object.keys(update).length > 0 ? update : { $set: { fresh: 1 } };
}

describe('encoding an update result from the stored document', () => {
  it('writes exactly the bytes serialize writes, for random updates of random documents', () => {
    const random = seededRandom(11);
    let derived = 0;
    let refused = 0;
    for (let n = 0; n < 3000; n += 1) {
      const original = { _id: n, ...randomDocument(random) };
      const baseBytes = serialize(original, ENCODE_OPTIONS);
      const base = deserialize(baseBytes, DECODE_OPTIONS);
      const update = randomUpdate(random, base);
      let next: Document;
      try {
        const applied = applyUpdate(base, update, { filter: {}, inserting: false });
        if (!applied.modified) continue;
        next = applied.doc;
      } catch {
        refused += 1; // an update MongoDB refuses for this document (a $inc of a string, say)
        continue;
      }
      const expected = Buffer.from(serialize(next, ENCODE_OPTIONS));
      const actual = Buffer.from(encodeDerived(next, base, baseBytes));
      if (!actual.equals(expected))
        throw new Error(`${JSON.stringify(update)} on ${JSON.stringify(original)}: bytes differ`);
      expect(deserialize(actual, DECODE_OPTIONS)).toEqual(next);
      derived += 1;
    }
    // Enough updates must apply, or this test proves little (random paths often cross a scalar).
    expect(derived).toBeGreaterThan(refused);
    expect(derived).toBeGreaterThan(1500);
  });

  it('copies untouched values as stored: a 64-bit integer stays one', () => {
    const baseBytes = serialize({ _id: 1, big: Long.fromNumber(7), nested: { n: Long.fromNumber(8) } });
    const base = deserialize(baseBytes, DECODE_OPTIONS);
    expect(base.big).toBe(7); // promoted to a number when read
    const { doc } = applyUpdate(
      base,
      { $set: { other: 1, 'nested.m': 2 } },
      { filter: {}, inserting: false },
    );
    const stored = deserialize(encodeDerived(doc, base, baseBytes), { promoteLongs: false });
    expect(stored.big).toBeInstanceOf(Long);
    expect(stored.nested.n).toBeInstanceOf(Long);
    expect(stored.nested.m).toBe(2);
    // Serializing the decoded document would have written them as 32-bit integers.
    expect(deserialize(serialize(doc), { promoteLongs: false }).big).not.toBeInstanceOf(Long);
  });

  it('encodes a document that shares nothing with the base as serialize does', () => {
    const baseBytes = serialize({ _id: 1, a: 1 });
    const base = deserialize(baseBytes, DECODE_OPTIONS);
    const next = { _id: 2, b: [1, { c: 'x' }] };
    expect(Buffer.from(encodeDerived(next, base, baseBytes))).toEqual(
      Buffer.from(serialize(next, ENCODE_OPTIONS)),
    );
  });
});
