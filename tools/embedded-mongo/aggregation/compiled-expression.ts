import type { Document } from 'bson';
import { encodeValue } from '../storage/value-keys.js';

/**
 * A small compiler for the aggregation expressions that group-heavy pipelines use (field paths, literals,
 * object expressions, `$add`, `$cond`, comparisons, `$and`/`$or`/`$not`, `$dateToString` in UTC, `$size`,
 * `$ifNull`, `$isArray`, date parts, and `$filter`/`$map`/`$anyElementTrue` with the variables they bind).
 * What it cannot compile returns null at compile time; what it cannot evaluate exactly as MongoDB would (an
 * array on a path, a comparison across types, a missing value where the result would depend on how missing
 * is told apart from null) throws `NotCompiled` at run time. The caller then runs the stage in the general
 * engine from the same, untouched input, so the compiled path is only ever a faster way to the same result.
 */
export class NotCompiled extends Error {
  constructor(reason: string) {
    super(`not compiled: ${reason}`);
  }
}

/**
 * The variables `$filter` and `$map` bind (`as`), by name; a compiled expression reads only variables its
 * enclosing operators bound, so `vars` is undefined outside them.
 */
export type Variables = Record<string, unknown>;
export type CompiledExpression = (doc: Document, vars?: Variables) => unknown;

const MISSING_VALUE = undefined;
const NO_VARIABLES: ReadonlySet<string> = new Set();

/**
 * Compiles `expr`, or returns null when the general engine must run it. `scope` holds the variables bound
 * around it (system variables such as `$$ROOT` and `$$NOW`, and a pipeline's `let`, stay with the engine).
 */
export function compileExpression(
  expr: unknown,
  scope: ReadonlySet<string> = NO_VARIABLES,
): CompiledExpression | null {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return compileVariable(expr.slice(2), scope);
    if (expr.startsWith('$')) return compilePath(expr.slice(1));
    return () => expr;
  }
  if (expr === null || typeof expr === 'number' || typeof expr === 'boolean') return () => expr;
  if (expr instanceof Date) return () => expr;
  if (Array.isArray(expr)) {
    const items = compileArgs(expr, scope);
    if (!items) return null;
    return (doc, vars) =>
      items.map((item) => {
        const value = item(doc, vars);
        if (value === MISSING_VALUE) throw new NotCompiled('a missing value in an array expression');
        return value;
      });
  }
  if (typeof expr !== 'object') return null;
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0].startsWith('$'))
    return compileOperator(keys[0], (expr as Document)[keys[0]], scope);
  if (keys.some((k) => k.startsWith('$') || k.includes('.'))) return null;
  const fields = keys.map((k) => [k, compileExpression((expr as Document)[k], scope)] as const);
  if (fields.some(([, f]) => f === null)) return null;
  return (doc, vars) => {
    const out: Document = {};
    for (const [k, f] of fields) {
      const value = f!(doc, vars);
      if (value === MISSING_VALUE) throw new NotCompiled('a missing field in an object expression');
      out[k] = value;
    }
    return out;
  };
}

/** The value at `parts` below `start`; an array on the way is the general engine's (it maps over it). */
function valueAt(start: unknown, parts: readonly string[]): unknown {
  let value = start;
  for (const part of parts) {
    if (value === null || value === undefined) return MISSING_VALUE;
    if (Array.isArray(value)) throw new NotCompiled('an array on a field path');
    if (typeof value !== 'object' || value instanceof Date) return MISSING_VALUE;
    value = (value as Document)[part];
  }
  return value;
}

function compilePath(path: string): CompiledExpression | null {
  if (path.length === 0) return null;
  const parts = path.split('.');
  if (parts.some((part) => part.length === 0)) return null;
  if (parts.length === 1) {
    const [field] = parts;
    return (doc) => doc[field];
  }
  if (parts.length === 2) {
    // The common `$object.field` (a summary's `firstOf.<month>`), without the general walk.
    const [outer, inner] = parts;
    return (doc) => {
      const value = doc[outer];
      if (value === null || typeof value !== 'object') return MISSING_VALUE;
      if (Array.isArray(value)) throw new NotCompiled('an array on a field path');
      return value instanceof Date ? MISSING_VALUE : (value as Document)[inner];
    };
  }
  return (doc) => valueAt(doc, parts);
}

/** `$$name` or `$$name.a.b` for a variable an enclosing `$filter` or `$map` binds. */
function compileVariable(path: string, scope: ReadonlySet<string>): CompiledExpression | null {
  const [name, ...parts] = path.split('.');
  if (!scope.has(name) || parts.some((part) => part.length === 0)) return null;
  return (_doc, vars) => valueAt(vars![name], parts);
}

const isNullish = (v: unknown): boolean => v === null || v === undefined;

/** MongoDB's truthiness: false, null, missing and zero are false; everything else true. */
const truthy = (v: unknown): boolean => !(v === false || v === null || v === undefined || v === 0);

function compileArgs(args: unknown, scope: ReadonlySet<string>, count?: number): CompiledExpression[] | null {
  const list = Array.isArray(args) ? args : [args];
  if (count !== undefined && list.length !== count) return null;
  const compiled = list.map((arg) => compileExpression(arg, scope));
  return compiled.some((c) => c === null) ? null : (compiled as CompiledExpression[]);
}

/** The order of two numbers, two strings or two dates (negative, zero, positive); other pairs throw. */
function order(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) throw new NotCompiled('a comparison with NaN'); // below every number
    return a - b;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new NotCompiled('a comparison across types');
}

/** A value whose type `$eq` can tell by JavaScript identity: numbers, strings, booleans, null and dates. */
const isScalar = (v: unknown): boolean =>
  v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date;

/**
 * `$eq`: same-typed scalars by value; scalars of different types (a string and a boolean, null and a number)
 * are never equal, nor is a missing value equal to a value that is there and not null. A missing value against
 * null or another missing one, documents, arrays and BSON wrappers (a Long equals the number it holds) are the
 * general engine's.
 */
function equal(a: unknown, b: unknown): boolean {
  if (a === MISSING_VALUE || b === MISSING_VALUE) {
    const other = a === MISSING_VALUE ? b : a;
    if (other === MISSING_VALUE || other === null || !isScalar(other))
      throw new NotCompiled('$eq of a missing value with null, missing or a compound value');
    return false;
  }
  if (!isScalar(a) || !isScalar(b)) throw new NotCompiled('$eq of a compound or BSON value');
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Number.isNaN(a) || Number.isNaN(b)) throw new NotCompiled('$eq of NaN');
  return a === b;
}

const COMPARISONS: Record<string, (a: unknown, b: unknown) => boolean> = {
  $gt: (a, b) => order(a, b) > 0,
  $gte: (a, b) => order(a, b) >= 0,
  $lt: (a, b) => order(a, b) < 0,
  $lte: (a, b) => order(a, b) <= 0,
  $eq: (a, b) => equal(a, b),
  $ne: (a, b) => !equal(a, b),
};

/** An operator's single argument, given bare or as a one-element list. */
function compileOne(args: unknown, scope: ReadonlySet<string>): CompiledExpression | null {
  const compiled = compileArgs(args, scope, 1);
  return compiled ? compiled[0] : null;
}

/**
 * Evaluates `each` for every element of the input with the element bound to its variable, handing the
 * element and the value to `collect`; a null or missing input gives null (`$filter` and `$map`).
 */
function boundLoop(
  spec: NonNullable<ReturnType<typeof compileArrayOperator>>,
  op: string,
  collect: (item: unknown, value: unknown, out: unknown[]) => void,
): CompiledExpression {
  const { input, as, each } = spec;
  return (doc, vars) => {
    const list = arrayInput(input(doc, vars), op);
    if (!list) return null;
    const local: Variables = { ...vars };
    const out: unknown[] = [];
    for (const item of list) {
      local[as] = item;
      collect(item, each(doc, local), out);
    }
    return out;
  };
}

/** The spec of `$filter` / `$map`: its input, the variable it binds, and the per-element expression. */
function compileArrayOperator(
  args: unknown,
  scope: ReadonlySet<string>,
  body: 'cond' | 'in',
): { input: CompiledExpression; as: string; each: CompiledExpression } | null {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const spec = args as Document;
  if (Object.keys(spec).some((k) => k !== 'input' && k !== 'as' && k !== body)) return null; // e.g. limit
  const as = spec.as ?? 'this';
  if (typeof as !== 'string' || !/^[a-z][A-Za-z0-9_]*$/.test(as)) return null;
  const input = compileExpression(spec.input, scope);
  const each = compileExpression(spec[body], new Set([...scope, as]));
  return input && each ? { input, as, each } : null;
}

/** The input array of `$filter` / `$map` (null for a missing or null input); anything else is an error. */
function arrayInput(value: unknown, op: string): unknown[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) throw new NotCompiled(`${op} of a non-array`);
  return value;
}

function compileOperator(op: string, args: unknown, scope: ReadonlySet<string>): CompiledExpression | null {
  if (op === '$literal') return () => args;
  if (op in COMPARISONS) {
    const pair = compileArgs(args, scope, 2);
    if (!pair) return null;
    const [left, right] = pair;
    const test = COMPARISONS[op];
    return (doc, vars) => test(left(doc, vars), right(doc, vars));
  }
  switch (op) {
    case '$and':
    case '$or': {
      const terms = compileArgs(args, scope);
      if (!terms) return null;
      const stopOn = op === '$or';
      return (doc, vars) => {
        for (const term of terms) if (truthy(term(doc, vars)) === stopOn) return stopOn;
        return !stopOn;
      };
    }
    case '$not': {
      const arg = compileOne(args, scope);
      return arg && ((doc, vars) => !truthy(arg(doc, vars)));
    }
    case '$isArray': {
      const arg = compileOne(args, scope);
      return arg && ((doc, vars) => Array.isArray(arg(doc, vars)));
    }
    case '$anyElementTrue':
    case '$allElementsTrue': {
      const arg = compileOne(args, scope);
      if (!arg) return null;
      const any = op === '$anyElementTrue';
      return (doc, vars) => {
        const list = arg(doc, vars);
        if (!Array.isArray(list)) throw new NotCompiled(`${op} of a non-array`);
        return any ? list.some(truthy) : list.every(truthy);
      };
    }
    case '$filter': {
      const spec = compileArrayOperator(args, scope, 'cond');
      return (
        spec &&
        boundLoop(spec, op, (item, keep, out) => {
          if (truthy(keep)) out.push(item);
        })
      );
    }
    case '$map': {
      const spec = compileArrayOperator(args, scope, 'in');
      return (
        spec &&
        boundLoop(spec, op, (_item, value, out) => {
          if (value === MISSING_VALUE) throw new NotCompiled('$map to a missing value');
          out.push(value);
        })
      );
    }
    case '$add': {
      const terms = compileArgs(args, scope);
      if (!terms) return null;
      return (doc, vars) => {
        let sum = 0;
        let date = false;
        for (const term of terms) {
          const v = term(doc, vars);
          if (isNullish(v)) return null;
          if (v instanceof Date) {
            if (date) throw new NotCompiled('two dates added');
            date = true;
            sum += v.getTime();
          } else if (typeof v === 'number') sum += v;
          else throw new NotCompiled('$add of a non-number');
        }
        return date ? new Date(sum) : sum;
      };
    }
    case '$cond': {
      const parts = Array.isArray(args)
        ? compileArgs(args, scope, 3)
        : compileArgs([(args as Document)?.if, (args as Document)?.then, (args as Document)?.else], scope, 3);
      if (!parts) return null;
      const [test, then, otherwise] = parts;
      return (doc, vars) => (truthy(test(doc, vars)) ? then(doc, vars) : otherwise(doc, vars));
    }
    case '$ifNull': {
      const parts = compileArgs(args, scope);
      if (!parts || parts.length < 2) return null;
      const candidates = parts.slice(0, -1);
      const fallback = parts[parts.length - 1];
      return (doc, vars) => {
        for (const part of candidates) {
          const v = part(doc, vars);
          if (!isNullish(v)) return v;
        }
        return fallback(doc, vars);
      };
    }
    case '$size': {
      const arg = compileOne(args, scope);
      if (!arg) return null;
      return (doc, vars) => {
        const v = arg(doc, vars);
        if (!Array.isArray(v)) throw new NotCompiled('$size of a non-array');
        return v.length;
      };
    }
    case '$year':
    case '$month':
    case '$dayOfMonth': {
      if (typeof args === 'object' && args !== null && !Array.isArray(args) && !(args instanceof Date))
        if ('timezone' in args || 'date' in args) return null;
      const arg = compileOne(args, scope);
      if (!arg) return null;
      const part =
        op === '$year'
          ? (d: Date) => d.getUTCFullYear()
          : op === '$month'
            ? (d: Date) => d.getUTCMonth() + 1
            : (d: Date) => d.getUTCDate();
      return (doc, vars) => {
        const v = arg(doc, vars);
        if (!(v instanceof Date)) throw new NotCompiled(`${op} of a non-date`);
        return part(v);
      };
    }
    case '$dateToString':
      return compileDateToString(args, scope);
    default:
      return null;
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const DATE_PARTS: Record<string, (d: Date) => string> = {
  Y: (d) => pad(d.getUTCFullYear(), 4),
  m: (d) => pad(d.getUTCMonth() + 1, 2),
  d: (d) => pad(d.getUTCDate(), 2),
  H: (d) => pad(d.getUTCHours(), 2),
  M: (d) => pad(d.getUTCMinutes(), 2),
  S: (d) => pad(d.getUTCSeconds(), 2),
  L: (d) => pad(d.getUTCMilliseconds(), 3),
  '%': () => '%',
};

function compileDateToString(args: unknown, scope: ReadonlySet<string>): CompiledExpression | null {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const spec = args as Document;
  if (Object.keys(spec).some((k) => k !== 'format' && k !== 'date')) return null; // timezone, onNull
  if (typeof spec.format !== 'string') return null;
  const pieces: ((d: Date) => string)[] = [];
  const format = spec.format;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      const ch = format[i];
      pieces.push(() => ch);
      continue;
    }
    const part = DATE_PARTS[format[i + 1]];
    if (!part) return null;
    pieces.push(part);
    i += 1;
  }
  const date = compileExpression(spec.date, scope);
  if (!date) return null;
  return (doc, vars) => {
    const v = date(doc, vars);
    if (isNullish(v)) return null;
    if (!(v instanceof Date)) throw new NotCompiled('$dateToString of a non-date');
    let out = '';
    for (const piece of pieces) out += piece(v);
    return out;
  };
}

/** The key two values share exactly when MongoDB groups them together (null and missing alike). */
export const groupKeyOf = (value: unknown): string => encodeValue(value);
