import type { Query } from 'mingo/query';
import { compileFilter } from '../query/find-documents.js';
import { encodeValue, isPlainDocument, sameValue } from '../storage/value-keys.js';

/** Decides whether `$pull` removes one array element. */
export type ElementTest = (element: unknown) => boolean;

/** Query operators that apply to a whole document rather than to a field's value. */
const DOCUMENT_LEVEL_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$expr',
  '$where',
  '$comment',
  '$jsonSchema',
]);

/**
 * The server's three ways of reading a `$pull` value:
 * - a document of field conditions (`{score: {$gt: 8}}`) is a query that element documents must match;
 * - an operator document (`{$in: [...]}`, `{$gte: 5}`) or a regex is a condition on the element itself;
 * - anything else removes the elements equal to it.
 */
export function compilePullCondition(spec: unknown): ElementTest {
  if (isPlainDocument(spec)) {
    const first = Object.keys(spec)[0];
    if (first === undefined || !first.startsWith('$') || DOCUMENT_LEVEL_OPERATORS.has(first)) {
      const query = compileFilter(spec);
      return (element) => isPlainDocument(element) && query.test(element);
    }
    return valueCondition(spec);
  }
  if (spec instanceof RegExp) return valueCondition(spec);
  return (element) => sameValue(element, spec);
}

/** A condition on the element's value, tested the way a query tests a field holding it. */
function valueCondition(condition: unknown): ElementTest {
  let query: Query | undefined;
  const viaQuery = (element: unknown) => (query ??= compileFilter({ v: condition })).test({ v: element });
  const members = scalarMembers(condition);
  if (!members) {
    query = compileFilter({ v: condition });
    return viaQuery;
  }
  // `{$in: [scalars]}` (the usual "remove these ids") is a set lookup; an element that is itself an
  // array matches when any of its members does, which the query decides.
  const { strings, others } = members;
  return (element) => {
    if (typeof element === 'string') return strings.has(element);
    if (Array.isArray(element)) return viaQuery(element);
    return others.size > 0 && others.has(encodeValue(element));
  };
}

function isScalar(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (value instanceof Date) return true;
  return (value as { _bsontype?: string } | null)?._bsontype === 'ObjectId';
}

function scalarMembers(condition: unknown): { strings: Set<string>; others: Set<string> } | undefined {
  if (!isPlainDocument(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1 || keys[0] !== '$in' || !Array.isArray(condition.$in)) return undefined;
  const strings = new Set<string>();
  const others = new Set<string>();
  for (const member of condition.$in as unknown[]) {
    if (!isScalar(member)) return undefined;
    if (typeof member === 'string') strings.add(member);
    else others.add(encodeValue(member));
  }
  return { strings, others };
}
