import type { Document } from 'bson';
import type { CompiledExpression } from './compiled-expression.js';
import { NotCompiled, compileExpression, groupKeyOf } from './compiled-expression.js';
import { fastFilterQuery } from '../query/find-documents.js';
import { isPlainDocument } from '../storage/value-keys.js';

/** A stage run without the general engine; throws `NotCompiled` when it meets what it cannot do exactly. */
export type CompiledStage = (docs: readonly Document[]) => Document[];

/**
 * `$group`, `$unwind` and common `$match` filters compiled to plain loops: on large collections they are most of a reporting
 * pipeline's time, and the general engine spends several microseconds a document on them. Other stages, and
 * any spec outside what `compiled-expression.ts` knows, return null and run in the general engine.
 */
export function compileStage(stage: Document): CompiledStage | null {
  const [name] = Object.keys(stage);
  if (name === '$group') return compileGroup(stage.$group);
  if (name === '$unwind') return compileUnwind(stage.$unwind);
  if (name === '$match') return compileMatch(stage.$match);
  return null;
}

/** A `$match` the fast filters decide, the query engine deciding the documents they leave open. */
function compileMatch(filter: unknown): CompiledStage | null {
  const query = isPlainDocument(filter) ? fastFilterQuery(filter) : null;
  return query && ((docs) => docs.filter((doc) => query.test(doc)));
}

interface Accumulator {
  start(): unknown;
  add(state: unknown, doc: Document): unknown;
  finish(state: unknown): unknown;
}

function comparableOrThrow(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new NotCompiled('$min/$max across types');
}

const present = (value: unknown, op: string): unknown => {
  if (value === undefined) throw new NotCompiled(`${op} of a missing value`);
  return value;
};

function compileAccumulator(spec: unknown): Accumulator | null {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return null;
  const keys = Object.keys(spec);
  if (keys.length !== 1) return null;
  const op = keys[0];
  const arg = (spec as Document)[op];
  if (op === '$count') {
    if (typeof arg !== 'object' || arg === null || Object.keys(arg).length > 0) return null;
    return { start: () => 0, add: (n) => (n as number) + 1, finish: (n) => n };
  }
  const expr: CompiledExpression | null = compileExpression(arg);
  if (!expr) return null;
  switch (op) {
    case '$sum':
      return {
        start: () => 0,
        add: (sum, doc) => {
          const v = expr(doc);
          return typeof v === 'number' ? (sum as number) + v : sum; // MongoDB skips non-numbers
        },
        finish: (sum) => sum,
      };
    case '$avg':
      return {
        start: () => ({ sum: 0, n: 0 }),
        add: (s, doc) => {
          const v = expr(doc);
          const acc = s as { sum: number; n: number };
          if (typeof v === 'number') {
            acc.sum += v;
            acc.n += 1;
          }
          return acc;
        },
        finish: (s) => {
          const acc = s as { sum: number; n: number };
          return acc.n === 0 ? null : acc.sum / acc.n;
        },
      };
    case '$min':
    case '$max': {
      const better = op === '$min' ? (c: number) => c < 0 : (c: number) => c > 0;
      return {
        start: () => null,
        add: (best, doc) => {
          const v = expr(doc);
          if (v === null || v === undefined) return best;
          return best === null || better(comparableOrThrow(v, best)) ? v : best;
        },
        finish: (best) => best,
      };
    }
    case '$first':
      return {
        start: () => undefined,
        add: (first, doc) => (first === undefined ? present(expr(doc), op) : first),
        finish: (first) => first ?? null,
      };
    case '$last':
      return { start: () => null, add: (_, doc) => present(expr(doc), op), finish: (last) => last };
    case '$push':
      return {
        start: () => [],
        add: (list, doc) => ((list as unknown[]).push(present(expr(doc), op)), list),
        finish: (list) => list,
      };
    case '$addToSet':
      return {
        start: () => new Map<string, unknown>(),
        add: (set, doc) => {
          const v = present(expr(doc), op);
          const seen = set as Map<string, unknown>;
          const key = groupKeyOf(v);
          if (!seen.has(key)) seen.set(key, v);
          return seen;
        },
        finish: (set) => [...(set as Map<string, unknown>).values()],
      };
    default:
      return null;
  }
}

function compileGroup(spec: unknown): CompiledStage | null {
  if (typeof spec !== 'object' || spec === null || !('_id' in spec)) return null;
  const id = compileExpression((spec as Document)._id);
  if (!id) return null;
  const fields: [string, Accumulator][] = [];
  for (const [name, acc] of Object.entries(spec as Document)) {
    if (name === '_id') continue;
    if (name.includes('.') || name.startsWith('$')) return null;
    const compiled = compileAccumulator(acc);
    if (!compiled) return null;
    fields.push([name, compiled]);
  }
  return (docs) => {
    const groups = new Map<string, { id: unknown; states: unknown[] }>();
    for (const doc of docs) {
      const value = id(doc) ?? null;
      const key = groupKeyOf(value);
      let group = groups.get(key);
      if (!group) {
        group = { id: value, states: fields.map(([, acc]) => acc.start()) };
        groups.set(key, group);
      }
      for (let i = 0; i < fields.length; i++) group.states[i] = fields[i][1].add(group.states[i], doc);
    }
    const out: Document[] = [];
    for (const group of groups.values()) {
      const row: Document = { _id: group.id };
      fields.forEach(([name, acc], i) => (row[name] = acc.finish(group.states[i])));
      out.push(row);
    }
    return out;
  };
}

function compileUnwind(spec: unknown): CompiledStage | null {
  const path = typeof spec === 'string' ? spec : null;
  if (!path || !path.startsWith('$') || path.startsWith('$$') || path.includes('.')) return null;
  const field = path.slice(1);
  return (docs) => {
    const out: Document[] = [];
    for (const doc of docs) {
      const value = doc[field];
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) {
        out.push(doc);
        continue;
      }
      for (const item of value) out.push({ ...doc, [field]: item });
    }
    return out;
  };
}
