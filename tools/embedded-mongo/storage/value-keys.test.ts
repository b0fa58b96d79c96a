import fc from 'fast-check';
import { Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { NOT_DECODED, decodeIdKey, encodeValue, sameValue } from './value-keys.js';

/**
 * `sameValue` decides equality without building encodings where it can (arrays, dates and documents element
 * by element); it must always agree with comparing the encodings, which define MongoDB's equality here.
 */
describe('sameValue', () => {
  const scalar = fc.oneof(
    fc.constantFrom(0, -0, 1, 1.5, NaN, Infinity, null, undefined, true, false, '', 'a', '1'),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('a', 'b').map((s) => s),
    fc.integer({ min: 0, max: 2 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n)),
    fc.constant(new Date(NaN)),
    fc.integer({ min: 0, max: 2 }).map((n) => Long.fromNumber(n)),
    fc.integer({ min: 0, max: 2 }).map((n) => new Int32(n)),
    fc.integer({ min: 0, max: 2 }).map((n) => new Double(n)),
    fc.integer({ min: 0, max: 2 }).map((n) => Decimal128.fromString(String(n))),
    fc.constantFrom(new ObjectId('64b7f0c2a1b2c3d4e5f60718'), new ObjectId('64b7f0c2a1b2c3d4e5f60719')),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('document')),
    array: fc.array(tie('value'), { maxLength: 3 }),
    document: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  }));
  /** A value and one built like it (copied, or with one leaf or key order changed), to meet equal pairs often. */
  const pair = fc.tuple(value, value, fc.boolean()).map(([a, b, copy]) => [a, copy ? structuredLike(a) : b]);

  it('agrees with comparing encodings, for scalars, arrays and documents at any depth', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(sameValue(a, b)).toBe(encodeValue(a) === encodeValue(b));
      }),
      { seed: 20_261_202, numRuns: 3_000 },
    );
  });

  it('tells documents apart by field order and ignores undefined fields', () => {
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameValue({ a: 1, x: undefined, b: 2 }, { a: 1, b: 2, y: undefined })).toBe(true);
    expect(sameValue([1, { a: new Date(5) }], [1.0, { a: new Date(5) }])).toBe(true);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: [] }, { a: {} })).toBe(false);
  });
});

/** A copy of `value` with new arrays, documents and dates (equal to it), keys in the same order. */
function structuredLike(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredLike);
  if (value instanceof Date) return new Date(value.getTime());
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === undefined) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredLike(v)]));
  }
  return value;
}

/** `_id` order is built from the `_id` map's keys where they can be read back, instead of from the documents. */
describe('decodeIdKey', () => {
  it('reads strings and ObjectIds back from their keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 's3:abc', 'o', ':', 'n1')),
        (id) => {
          expect(decodeIdKey(encodeValue(id))).toBe(id);
        },
      ),
    );
    const objectId = new ObjectId();
    expect(decodeIdKey(encodeValue(objectId))).toEqual(objectId);
  });

  it('leaves other types to the document', () => {
    for (const id of [1, -0, 2.5, new Date(0), { a: 1 }, null, Long.fromNumber(3), true]) {
      expect(decodeIdKey(encodeValue(id as never))).toBe(NOT_DECODED);
    }
  });
});
