import type { Document } from 'bson';
import { encodeValue } from '../storage/value-keys.js';

/**
 * A small compiler for the aggregation expressions that group-heavy pipelines use (field paths, literals,
 * object expressions, `$add`, `$cond`, comparisons, `$dateToString` in UTC, `$size`, `$ifNull`, date parts).
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

export type CompiledExpression = (doc: Document) => unknown;

const MISSING_VALUE = undefined;

export function compileExpression(expr: unknown): CompiledExpression | null {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return null; // variables: the general engine
    if (expr.startsWith('$')) return compilePath(expr.slice(1));
    return () => expr;
  }
  if (expr === null || typeof expr === 'number' || typeof expr === 'boolean') return () => expr;
  if (expr instanceof Date) return () => expr;
  if (Array.isArray(expr)) return null;
  if (typeof expr !== 'object') return null;
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0].startsWith('$'))
    return compileOperator(keys[0], (expr as Document)[keys[0]]);
  if (keys.some((k) => k.startsWith('$') || k.includes('.'))) return null;
  const fields = keys.map((k) => [k, compileExpression((expr as Document)[k])] as const);
  if (fields.some(([, f]) => f === null)) return null;
  return (doc) => {
    const out: Document = {};
    for (const [k, f] of fields) {
      const value = f!(doc);
      if (value === MISSING_VALUE) throw new NotCompiled('a missing field in an object expression');
      out[k] = value;
    }
    return out;
  };
}

function compilePath(path: string): CompiledExpression | null {
  if (path.length === 0) return null;
  const parts = path.split('.');
  return (doc) => {
    let value: unknown = doc;
    for (const part of parts) {
      if (value === null || value === undefined) return MISSING_VALUE;
      if (Array.isArray(value)) throw new NotCompiled('an array on a field path');
      if (typeof value !== 'object' || value instanceof Date) return MISSING_VALUE;
      value = (value as Document)[part];
    }
    return value;
  };
}

const isNullish = (v: unknown): boolean => v === null || v === undefined;

/** MongoDB's truthiness: false, null, missing and zero are false; everything else true. */
const truthy = (v: unknown): boolean => !(v === false || v === null || v === undefined || v === 0);

function compileArgs(args: unknown, count?: number): CompiledExpression[] | null {
  const list = Array.isArray(args) ? args : [args];
  if (count !== undefined && list.length !== count) return null;
  const compiled = list.map(compileExpression);
  return compiled.some((c) => c === null) ? null : (compiled as CompiledExpression[]);
}

function comparable(a: unknown, b: unknown): [number | string, number | string] {
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  if (a instanceof Date && b instanceof Date) return [a.getTime(), b.getTime()];
  throw new NotCompiled('a comparison across types');
}

const COMPARISONS: Record<string, (a: number | string, b: number | string) => boolean> = {
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
  $eq: (a, b) => a === b,
  $ne: (a, b) => a !== b,
};

function compileOperator(op: string, args: unknown): CompiledExpression | null {
  if (op === '$literal') return () => args;
  if (op in COMPARISONS) {
    const pair = compileArgs(args, 2);
    if (!pair) return null;
    const test = COMPARISONS[op];
    return (doc) => {
      const [a, b] = comparable(pair[0](doc), pair[1](doc));
      return test(a, b);
    };
  }
  switch (op) {
    case '$add': {
      const terms = compileArgs(args);
      if (!terms) return null;
      return (doc) => {
        let sum = 0;
        let date = false;
        for (const term of terms) {
          const v = term(doc);
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
        ? compileArgs(args, 3)
        : compileArgs([(args as Document)?.if, (args as Document)?.then, (args as Document)?.else], 3);
      if (!parts) return null;
      const [test, then, otherwise] = parts;
      return (doc) => (truthy(test(doc)) ? then(doc) : otherwise(doc));
    }
    case '$ifNull': {
      const parts = compileArgs(args);
      if (!parts || parts.length < 2) return null;
      return (doc) => {
        for (const part of parts.slice(0, -1)) {
          const v = part(doc);
          if (!isNullish(v)) return v;
        }
        return parts[parts.length - 1](doc);
      };
    }
    case '$size': {
      const [arg] = compileArgs(args, 1) ?? [];
      if (!arg) return null;
      return (doc) => {
        const v = arg(doc);
        if (!Array.isArray(v)) throw new NotCompiled('$size of a non-array');
        return v.length;
      };
    }
    case '$year':
    case '$month':
    case '$dayOfMonth': {
      if (typeof args === 'object' && args !== null && !Array.isArray(args) && !(args instanceof Date))
        if ('timezone' in args || 'date' in args) return null;
      const [arg] = compileArgs(args, 1) ?? [];
      if (!arg) return null;
      const part =
        op === '$year'
          ? (d: Date) => d.getUTCFullYear()
          : op === '$month'
            ? (d: Date) => d.getUTCMonth() + 1
            : (d: Date) => d.getUTCDate();
      return (doc) => {
        const v = arg(doc);
        if (!(v instanceof Date)) throw new NotCompiled(`${op} of a non-date`);
        return part(v);
      };
    }
    case '$dateToString':
      return compileDateToString(args);
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

function compileDateToString(args: unknown): CompiledExpression | null {
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
  const date = compileExpression(spec.date);
  if (!date) return null;
  return (doc) => {
    const v = date(doc);
    if (isNullish(v)) return null;
    if (!(v instanceof Date)) throw new NotCompiled('$dateToString of a non-date');
    let out = '';
    for (const piece of pieces) out += piece(v);
    return out;
  };
}

/** The key two values share exactly when MongoDB groups them together (null and missing alike). */
export const groupKeyOf = (value: unknown): string => encodeValue(value);
