import type { Document } from 'bson';
import { isPlainDocument } from '../storage/value-keys.js';

/**
 * A filter's common shapes compiled to plain comparisons: field paths without arrays along them, compared
 * with `$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin`, `$exists` and `$type` against strings,
 * numbers, booleans, dates and null, joined by `$and` and `$or`. The query engine spends microseconds a
 * document on such a filter; reporting pipelines and scans test it on every document of a collection.
 *
 * The verdict is three-valued: `true` or `false` when the document holds only what this module models
 * (scalars of those types, embedded documents on the way, arrays of such scalars at the end of the path),
 * `undefined` when it holds anything else (an array on the way, an array of documents, a BSON wrapper such as
 * a 64-bit integer or an ObjectId, NaN) and the general engine must decide for that document. A filter with any other operator does not compile at all (null).
 */
export type FastFilter = (doc: Document) => boolean | undefined;

/** What a value is, for comparison: only these kinds are decided here. */
type Kind = 'missing' | 'null' | 'number' | 'string' | 'bool' | 'date';

type Scalar = { kind: Kind; value: unknown };

/**
 * A field's value and its kind (an array of such scalars is `elements`), or undefined when this module
 * cannot tell.
 */
type Resolved = Scalar | { kind: 'array'; elements: Scalar[] } | undefined;

const MISSING: Resolved = { kind: 'missing', value: undefined };
const NULL: Resolved = { kind: 'null', value: null };

function kindOf(value: unknown): Kind | undefined {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? undefined : 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? 'date' : undefined;
  }
}

type Resolver = (doc: Document) => Resolved;

/** Reads a dotted path; undefined (the engine decides) when an array or a non-document stands on the way. */
function compilePath(path: string): Resolver | null {
  const parts = path.split('.');
  // Numeric parts address array positions (and `$` parts are operators): left to the engine.
  if (parts.some((part) => part === '' || /^\d+$/.test(part) || part.startsWith('$'))) return null;
  const resolveLeaf = (value: unknown): Resolved => {
    if (value === undefined) return MISSING;
    if (value === null) return NULL;
    if (Array.isArray(value)) {
      const elements: Scalar[] = [];
      for (const element of value) {
        const kind = element === undefined ? undefined : kindOf(element);
        if (!kind) return undefined; // documents, arrays or wrappers inside: the engine's
        elements.push({ kind, value: element });
      }
      return { kind: 'array', elements };
    }
    const kind = kindOf(value);
    return kind ? { kind, value } : undefined;
  };
  if (parts.length === 1) {
    const [field] = parts;
    return (doc) => resolveLeaf(doc[field]);
  }
  return (doc) => {
    let current: unknown = doc;
    for (let i = 0; i < parts.length - 1; i += 1) {
      current = (current as Document)[parts[i]];
      if (current === undefined || current === null) return MISSING;
      // A scalar on the way has no fields: the path is missing. Arrays and wrappers are the engine's.
      if (typeof current !== 'object') return MISSING;
      if (!isPlainDocument(current)) return undefined;
    }
    return resolveLeaf((current as Document)[parts[parts.length - 1]]);
  };
}

/**
 * A test of one scalar. On an array, MongoDB applies each operator to the elements: `holds` by any element,
 * and a negated operator (`$ne`, `$nin`) holds when its positive form holds for none. Tests without an array
 * reading (`elementwise: false`) leave arrays to the engine.
 */
interface Test {
  holds: (value: Scalar) => boolean;
  negated: boolean;
  elementwise: boolean;
}

const positive = (holds: Test['holds']): Test => ({ holds, negated: false, elementwise: true });
const negation = (test: Test): Test => ({ ...test, negated: true });
const wholeValue = (holds: Test['holds']): Test => ({ holds, negated: false, elementwise: false });

function verdictOf(test: Test, resolved: Exclude<Resolved, undefined>): boolean | undefined {
  if (resolved.kind === 'array') {
    if (!test.elementwise) return undefined;
    const any = resolved.elements.some(test.holds);
    return test.negated ? !any : any;
  }
  const holds = test.holds(resolved);
  return test.negated ? !holds : holds;
}

function constantKind(value: unknown): Kind | undefined {
  const kind = kindOf(value);
  return kind === 'missing' ? undefined : kind;
}

function sameValue(kind: Kind, a: unknown, b: unknown): boolean {
  return kind === 'date' ? (a as Date).getTime() === (b as Date).getTime() : a === b;
}

function equalsTest(operand: unknown): Test | null {
  const kind = constantKind(operand);
  if (!kind) return null;
  if (kind === 'null') return positive((r) => r.kind === 'null' || r.kind === 'missing');
  return positive((r) => r.kind === kind && sameValue(kind, r.value, operand));
}

function order(kind: Kind, a: unknown, b: unknown): number {
  if (kind === 'date') return (a as Date).getTime() - (b as Date).getTime();
  if (kind === 'bool') return Number(a) - Number(b);
  return (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
}

function comparisonTest(op: string, operand: unknown): Test | null {
  const kind = constantKind(operand);
  // A bound of null matches null and missing fields in ways best left to the engine.
  if (!kind || kind === 'null') return null;
  const accept =
    op === '$gt'
      ? (c: number) => c > 0
      : op === '$gte'
        ? (c: number) => c >= 0
        : op === '$lt'
          ? (c: number) => c < 0
          : (c: number) => c <= 0;
  // Values of another type never compare (MongoDB's type bracketing).
  return positive((r) => r.kind === kind && accept(order(kind, r.value, operand)));
}

const TYPE_ALIASES: Record<string, (kind: Kind) => boolean> = {
  string: (kind) => kind === 'string',
  number: (kind) => kind === 'number',
  bool: (kind) => kind === 'bool',
  date: (kind) => kind === 'date',
  null: (kind) => kind === 'null',
};

function operatorTest(op: string, operand: unknown): Test | null {
  switch (op) {
    case '$eq':
      return equalsTest(operand);
    case '$ne': {
      const eq = equalsTest(operand);
      return eq && negation(eq);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return comparisonTest(op, operand);
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) return null;
      const tests = operand.map(equalsTest);
      if (tests.some((test) => !test)) return null;
      const any = positive((r) => tests.some((test) => test!.holds(r)));
      return op === '$in' ? any : negation(any);
    }
    case '$exists':
      if (typeof operand !== 'boolean') return null;
      return wholeValue((r) => (r.kind !== 'missing') === operand);
    case '$type': {
      const alias = typeof operand === 'string' ? TYPE_ALIASES[operand] : undefined;
      return alias ? wholeValue((r) => alias(r.kind)) : null;
    }
    default:
      return null;
  }
}

/** One field's condition: a constant (equality) or a document of operators, all of which must hold. */
function compileCondition(path: string, condition: unknown): FastFilter | null {
  const resolve = compilePath(path);
  if (!resolve) return null;
  let tests: Test[];
  if (isPlainDocument(condition)) {
    const ops = Object.keys(condition);
    if (ops.length === 0 || !ops.every((op) => op.startsWith('$'))) return null;
    const compiled = ops.map((op) => operatorTest(op, condition[op]));
    if (compiled.some((test) => !test)) return null;
    tests = compiled as Test[];
  } else {
    const eq = equalsTest(condition);
    if (!eq) return null;
    tests = [eq];
  }
  if (tests.length === 1) {
    const [test] = tests;
    return (doc) => {
      const resolved = resolve(doc);
      return resolved && verdictOf(test, resolved);
    };
  }
  return (doc) => {
    const resolved = resolve(doc);
    if (!resolved) return undefined;
    let verdict: boolean | undefined = true;
    for (const test of tests) {
      const one = verdictOf(test, resolved);
      if (one === false) return false;
      if (one === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** All must hold: false as soon as one is false, undefined when none is false but one is undecided. */
function allOf(parts: FastFilter[]): FastFilter {
  if (parts.length === 1) return parts[0];
  return (doc) => {
    let verdict: boolean | undefined = true;
    for (const part of parts) {
      const one = part(doc);
      if (one === false) return false;
      if (one === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** One must hold: true as soon as one is true, undefined when none is true but one is undecided. */
function anyOf(parts: FastFilter[]): FastFilter {
  return (doc) => {
    let verdict: boolean | undefined = false;
    for (const part of parts) {
      const one = part(doc);
      if (one === true) return true;
      if (one === undefined) verdict = undefined;
    }
    return verdict;
  };
}

function compileClauses(clauses: unknown): FastFilter[] | null {
  if (!Array.isArray(clauses) || clauses.length === 0) return null;
  const parts = clauses.map((clause) => (isPlainDocument(clause) ? compileFastFilter(clause) : null));
  return parts.some((part) => !part) ? null : (parts as FastFilter[]);
}

/** The filter compiled, or null when it uses anything this module does not decide. */
export function compileFastFilter(filter: Document): FastFilter | null {
  const parts: FastFilter[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    let part: FastFilter | null;
    if (key === '$and' || key === '$or') {
      const clauses = compileClauses(condition);
      if (!clauses) return null;
      part = key === '$and' ? allOf(clauses) : anyOf(clauses);
    } else if (key.startsWith('$')) {
      return null;
    } else {
      part = compileCondition(key, condition);
    }
    if (!part) return null;
    parts.push(part);
  }
  return parts.length === 0 ? () => true : allOf(parts);
}
