import type { Document } from 'bson';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';

/**
 * A filter as the server's planner sees it when it decides whether a partial index may answer a query:
 * a tree of `$and`/`$or` over leaf predicates on one path each. Operators the server's rules say nothing
 * about become `opaque` leaves, which imply nothing and are implied by nothing but themselves.
 */
export type FilterExpression =
  | { kind: 'and' | 'or'; children: FilterExpression[] }
  | { kind: 'compare'; path: string; op: ComparisonOp; value: unknown }
  | { kind: 'in'; path: string; values: unknown[]; hasRegex: boolean }
  | { kind: 'exists' | 'type' | 'regex' | 'size' | 'mod' | 'elemMatch'; path: string; operand: unknown }
  | { kind: 'not'; path: string; child: FilterExpression }
  | { kind: 'opaque'; path: string; operand: unknown };

export type ComparisonOp = '$eq' | '$lt' | '$lte' | '$gt' | '$gte';

const COMPARISONS = new Set<string>(['$eq', '$lt', '$lte', '$gt', '$gte']);
const ALWAYS_PRESENT = new Set<string>(['$type', '$regex', '$size', '$mod', '$elemMatch']);

function isRegex(value: unknown): boolean {
  return value instanceof RegExp || (value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp';
}

function allOf(children: FilterExpression[]): FilterExpression {
  return children.length === 1 ? children[0] : { kind: 'and', children };
}

function parseOperator(path: string, op: string, operand: unknown): FilterExpression {
  if (COMPARISONS.has(op)) {
    if (op === '$eq' && isRegex(operand)) return { kind: 'opaque', path, operand };
    return { kind: 'compare', path, op: op as ComparisonOp, value: operand };
  }
  if (op === '$in' && Array.isArray(operand)) {
    return { kind: 'in', path, values: operand.filter((v) => !isRegex(v)), hasRegex: operand.some(isRegex) };
  }
  if (op === '$exists') {
    const exists: FilterExpression = { kind: 'exists', path, operand: true };
    return operand ? exists : { kind: 'not', path, child: exists };
  }
  if (op === '$ne') return { kind: 'not', path, child: parseOperator(path, '$eq', operand) };
  if (op === '$nin') return { kind: 'not', path, child: parseOperator(path, '$in', operand) };
  if (op === '$not') return { kind: 'not', path, child: parseCondition(path, operand) };
  if (ALWAYS_PRESENT.has(op)) return { kind: op.slice(1) as 'type', path, operand };
  return { kind: 'opaque', path, operand: { [op]: operand } };
}

function parseCondition(path: string, condition: unknown): FilterExpression {
  if (isRegex(condition)) return { kind: 'regex', path, operand: condition };
  if (isPlainDocument(condition)) {
    const keys = Object.keys(condition);
    if (keys.length > 0 && keys.every((key) => key.startsWith('$'))) {
      if ('$regex' in condition) return { kind: 'regex', path, operand: condition };
      return allOf(keys.map((op) => parseOperator(path, op, condition[op])));
    }
  }
  return { kind: 'compare', path, op: '$eq', value: condition };
}

/** Parses a query filter (or a `partialFilterExpression`) into the planner's expression tree. */
export function parseFilter(filter: Document): FilterExpression {
  const children: FilterExpression[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or') && Array.isArray(condition)) {
      const parts = condition.filter(isPlainDocument).map(parseFilter);
      children.push(key === '$and' ? allOf(parts) : { kind: 'or', children: parts });
    } else if (key.startsWith('$')) {
      children.push({ kind: 'opaque', path: '', operand: { [key]: condition } });
    } else {
      children.push(parseCondition(key, condition));
    }
  }
  return allOf(children);
}

/** Type classes within which values compare (numbers of every width are one class, as on the server). */
function canonicalType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Long' || bsonType === 'Int32' || bsonType === 'Double' || bsonType === 'Decimal128')
    return 'number';
  if (bsonType === 'BSONSymbol') return 'string';
  return bsonType ?? 'object';
}

/** Orders two values of one canonical type; undefined when this module cannot tell (treated as "no"). */
function compareSameType(a: unknown, b: unknown): number | undefined {
  const type = canonicalType(a);
  if (encodeValue(a) === encodeValue(b)) return 0;
  if (type === 'number') return Number(a) - Number(b);
  if (type === 'string') return String(a) < String(b) ? -1 : 1;
  if (type === 'date') return (a as Date).getTime() - (b as Date).getTime();
  if (type === 'boolean') return Number(a) - Number(b);
  if (type === 'ObjectId') return String(a) < String(b) ? -1 : 1;
  return undefined;
}

const supportsEquality = (op: ComparisonOp) => op === '$eq' || op === '$lte' || op === '$gte';

/** `lhs` and `rhs` are comparisons on one path: does every value `lhs` admits satisfy `rhs`? */
function comparisonImplies(
  lhs: { op: ComparisonOp; value: unknown },
  rhs: { op: ComparisonOp; value: unknown },
): boolean {
  if (canonicalType(lhs.value) !== canonicalType(rhs.value)) return false;
  const lNaN = Number.isNaN(lhs.value);
  const rNaN = Number.isNaN(rhs.value);
  if (lNaN || rNaN) return supportsEquality(lhs.op) && supportsEquality(rhs.op) && lNaN && rNaN;
  const cmp = compareSameType(lhs.value, rhs.value);
  if (cmp === undefined) return false;
  if (lhs.op === rhs.op && cmp === 0) return true;
  const lhsBelow = lhs.op === '$lt' || lhs.op === '$lte' || lhs.op === '$eq';
  const lhsAbove = lhs.op === '$gt' || lhs.op === '$gte' || lhs.op === '$eq';
  if ((rhs.op === '$lt' || rhs.op === '$lte') && lhsBelow) return rhs.op === '$lte' ? cmp <= 0 : cmp < 0;
  if ((rhs.op === '$gt' || rhs.op === '$gte') && lhsAbove) return rhs.op === '$gte' ? cmp >= 0 : cmp > 0;
  return false;
}

function impliesComparison(lhs: FilterExpression, rhs: { path: string; op: ComparisonOp; value: unknown }) {
  if (!('path' in lhs) || lhs.path !== rhs.path) return false;
  if (lhs.kind === 'compare') return comparisonImplies(lhs, rhs);
  if (lhs.kind === 'in' && !lhs.hasRegex)
    return lhs.values.every((value) => comparisonImplies({ op: '$eq', value }, rhs));
  return false;
}

/** Does `lhs` only match documents where `path` exists? */
function impliesExists(lhs: FilterExpression, path: string): boolean {
  if (lhs.kind === 'not') {
    if (lhs.child.kind === 'compare' && lhs.child.path === path)
      return lhs.child.op === '$eq' && lhs.child.value === null;
    if (lhs.child.kind === 'in' && lhs.child.path === path) return lhs.child.values.includes(null);
    return false;
  }
  if (!('path' in lhs) || lhs.path !== path) return false;
  switch (lhs.kind) {
    case 'compare':
      return lhs.value !== null;
    case 'in':
      return !lhs.values.includes(null);
    case 'exists':
    case 'type':
    case 'regex':
    case 'size':
    case 'mod':
    case 'elemMatch':
      return true;
    default:
      return false;
  }
}

function equivalent(a: FilterExpression, b: FilterExpression): boolean {
  return fingerprint(a) === fingerprint(b);
}

function fingerprint(expr: FilterExpression): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `${expr.kind}(${expr.children.map(fingerprint).join(',')})`;
    case 'not':
      return `not(${fingerprint(expr.child)})`;
    case 'compare':
      return `${expr.path} ${expr.op} ${encodeValue(expr.value)}`;
    case 'in':
      return `${expr.path} $in ${expr.values.map((v) => encodeValue(v)).join(',')}${expr.hasRegex ? '/re' : ''}`;
    default:
      return `${expr.path} ${expr.kind} ${encodeValue(expr.operand)}`;
  }
}

/**
 * Whether every document `query` matches also matches `filter`: the server's test for using a partial
 * index (a query may use it only when this holds). It follows the server's rules, including their gaps:
 * a filter of `$type` is implied only by the same `$type`, so `{ a: 'x' }` does not imply
 * `{ a: { $type: 'string' } }` while it does imply `{ a: { $gt: '' } }` and `{ a: { $exists: true } }`.
 */
export function implies(query: FilterExpression, filter: FilterExpression): boolean {
  if (equivalent(query, filter)) return true;
  if (filter.kind === 'or') return filter.children.some((child) => implies(query, child));
  if (filter.kind === 'and') return filter.children.every((child) => implies(query, child));
  if (query.kind === 'and') return query.children.some((child) => implies(child, filter));
  if (query.kind === 'or') return query.children.every((child) => implies(child, filter));
  if (filter.kind === 'compare') return impliesComparison(query, filter);
  if (filter.kind === 'exists') return impliesExists(query, filter.path);
  if (filter.kind === 'in' && !filter.hasRegex) {
    return filter.values.some((value) => impliesComparison(query, { path: filter.path, op: '$eq', value }));
  }
  return false;
}
