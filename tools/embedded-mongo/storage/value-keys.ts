import { ObjectId } from 'bson';
import type { Document } from 'bson';

/**
 * Canonical string encodings of BSON values, used as hash-map keys by indexes and by `distinct`.
 * Two values get the same encoding exactly when MongoDB's equality treats them as equal:
 * numbers compare by value across int32/int64/double/decimal, ObjectIds by their bytes, Dates by
 * their instant, embedded documents field by field in order. Each encoding is self-delimiting so
 * encodings can be concatenated for compound keys and nested documents.
 */

/** Marks a path that does not exist in a document (indexed like null, but sparse indexes skip it). */
export const MISSING = Symbol('missing');
export type IndexedValue = unknown | typeof MISSING;

const NULL_KEY = 'z';

function bsonTypeOf(value: object): string | undefined {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

function encodeNumber(value: number): string {
  // String(-0) is "0": MongoDB treats -0 and 0 as equal, and NaN as equal to NaN.
  return `n${value}`;
}

export function encodeValue(value: IndexedValue): string {
  if (value === null || value === undefined || value === MISSING) return NULL_KEY;
  switch (typeof value) {
    case 'number':
      return encodeNumber(value);
    case 'string':
      return `s${value.length}:${value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'bigint':
      return `n${value.toString()}`;
    case 'object':
      return encodeObject(value);
    default:
      return `?${String(value)}`;
  }
}

function encodeObject(value: object): string {
  if (Array.isArray(value)) return `[${value.map((item) => encodeValue(item)).join(',')}]`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof RegExp) return `r${JSON.stringify([value.source, value.flags])}`;
  const bsonType = bsonTypeOf(value);
  if (bsonType !== undefined) return encodeBsonValue(bsonType, value);
  return encodeDocument(value as Document);
}

function encodeDocument(doc: Document): string {
  let out = '{';
  for (const key of Object.keys(doc)) {
    if (doc[key] === undefined) continue;
    out += `${JSON.stringify(key)}:${encodeValue(doc[key])},`;
  }
  return `${out}}`;
}

function encodeBsonValue(bsonType: string, value: object): string {
  const v = value as Record<string, unknown> & { toString(): string };
  switch (bsonType) {
    case 'ObjectId':
      return `o${(value as { toHexString(): string }).toHexString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
      return encodeNumber(Number(v.toString()));
    case 'Decimal128': {
      const asNumber = Number(v.toString());
      return Number.isNaN(asNumber) && v.toString() !== 'NaN' ? `n${v.toString()}` : encodeNumber(asNumber);
    }
    case 'Timestamp':
      return `t${v.toString()}`;
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array };
      return `x${binary.sub_type}:${Buffer.from(binary.buffer).toString('base64')}`;
    }
    case 'BSONRegExp': {
      const re = value as { pattern: string; options: string };
      return `r${JSON.stringify([re.pattern, re.options])}`;
    }
    case 'MinKey':
      return 'm';
    case 'MaxKey':
      return 'M';
    case 'BSONSymbol':
      return encodeValue(v.toString());
    default:
      return `${bsonType}${JSON.stringify(String(v))}`;
  }
}

/** Plain embedded document (not an array, Date, RegExp or BSON value class). */
export function isPlainDocument(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp) return false;
  return bsonTypeOf(value) === undefined;
}

/**
 * The values a document has at a dotted path, expanding arrays the way MongoDB's multikey indexes do:
 * arrays met on the way are traversed element by element, a terminal array contributes each element,
 * and an absent path contributes MISSING (indexed as null).
 */
export function valuesAtPath(doc: unknown, parts: readonly string[]): IndexedValue[] {
  const out: IndexedValue[] = [];
  collect(doc, parts, 0, out);
  return out.length === 0 ? [MISSING] : out;
}

function collect(value: unknown, parts: readonly string[], depth: number, out: IndexedValue[]): void {
  if (depth === parts.length) {
    if (value === undefined) out.push(MISSING);
    else if (Array.isArray(value)) {
      // An empty array is indexed as `undefined` by MongoDB: distinct from null, equal to other empties.
      if (value.length === 0) out.push(EMPTY_ARRAY);
      else for (const item of value) out.push(item);
    } else out.push(value);
    return;
  }
  const part = parts[depth];
  if (Array.isArray(value)) {
    const position = /^\d+$/.test(part) ? Number(part) : -1;
    if (position >= 0 && position < value.length) collect(value[position], parts, depth + 1, out);
    let found = false;
    for (const item of value) {
      if (isPlainDocument(item)) {
        collect(item, parts, depth, out);
        found = true;
      }
    }
    if (!found && position < 0) out.push(MISSING);
    return;
  }
  if (isPlainDocument(value)) {
    collect(value[part], parts, depth + 1, out);
    return;
  }
  out.push(MISSING);
}

/** Stands for an empty array in an index key. */
export const EMPTY_ARRAY = Symbol('emptyArray');

/**
 * The value an `encodeValue` key stands for, for the two usual `_id` types (strings and ObjectIds), or
 * `NOT_DECODED`: reading an `_id` from its key spares decoding (or inflating) the document.
 */
export function decodeIdKey(key: string): unknown {
  if (key.charCodeAt(0) === 0x73 /* s */) {
    const colon = key.indexOf(':');
    const value = key.slice(colon + 1);
    if (colon > 1 && Number(key.slice(1, colon)) === value.length) return value;
  } else if (key.length === 25 && key.charCodeAt(0) === 0x6f /* o */ && /^o[0-9a-f]{24}$/.test(key)) {
    return ObjectId.createFromHexString(key.slice(1));
  }
  return NOT_DECODED;
}

export const NOT_DECODED = Symbol('not decoded');

/**
 * A copy of `key` as one flat string. Keys are built by concatenation, which V8 keeps as a tree of parts
 * (each node 32 bytes, holding on to the parts); a key kept in an index map for the life of a document is
 * stored flat instead, about 70 bytes less per key.
 */
export function flatKey(key: string): string {
  return key.length < 13 ? key : (JSON.parse(JSON.stringify(key)) as string);
}

export function encodeIndexedValue(value: IndexedValue): string {
  return value === EMPTY_ARRAY ? 'u' : encodeValue(value);
}

/** The single value at a dotted path without array expansion (undefined when absent). */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainDocument(current)) current = current[part];
    else return undefined;
  }
  return current;
}

/**
 * MongoDB equality of two values (the equality `encodeValue` encodes), with the common primitive
 * cases decided without building encodings.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const typeA = typeof a;
  if (typeA === typeof b) {
    if (typeA === 'string' || typeA === 'boolean') return a === b;
    if (typeA === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
    if (typeA === 'object' && a !== null && b !== null) {
      // Arrays, dates and documents element by element, stopping at the first difference.
      if (Array.isArray(a)) return Array.isArray(b) && sameElements(a, b);
      if (Array.isArray(b)) return false;
      if (a instanceof Date && b instanceof Date) {
        return a.getTime() === b.getTime() || (Number.isNaN(a.getTime()) && Number.isNaN(b.getTime()));
      }
      if (isPlainDocument(a) && isPlainDocument(b)) return sameFields(a, b);
    }
  }
  return encodeValue(a) === encodeValue(b);
}

function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

/** Embedded documents: the same fields in the same order with equal values (undefined fields do not count). */
function sameFields(a: Document, b: Document): boolean {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  let j = 0;
  for (const key of keysA) {
    if (a[key] === undefined) continue;
    while (j < keysB.length && b[keysB[j]] === undefined) j++;
    if (j === keysB.length || keysB[j] !== key || !sameValue(a[key], b[key])) return false;
    j++;
  }
  while (j < keysB.length && b[keysB[j]] === undefined) j++;
  return j === keysB.length;
}
