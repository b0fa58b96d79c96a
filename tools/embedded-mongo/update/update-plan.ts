import type { Document } from 'bson';
import { compilePullCondition } from './pull-condition.js';
import type { ElementTest } from './pull-condition.js';
import { isPlainDocument } from '../storage/value-keys.js';

/** What each kind of field update carries. */
interface Operands {
  set: unknown;
  unset: null;
  inc: number;
  mul: number;
  min: unknown;
  max: unknown;
  /** True for `{$type: 'timestamp'}`, false for a date. */
  currentDate: boolean;
  /** The values to append (`$each`, or the single operand). */
  push: unknown[];
  addToSet: unknown[];
  /** The element condition, compiled on first use. */
  pull: () => ElementTest;
  /** The field renamed to `path`. */
  rename: { path: string; parts: string[] };
}

export type FieldUpdateKind = keyof Operands;

/**
 * One field of an operator update, in the form the native update applies. `parts` is the dotted path
 * split at the dots; it may hold one positional `$` segment (never for `rename`, whose path is the
 * destination). Every kind has the same properties, so the objects share one shape.
 */
export type FieldUpdate = {
  [K in FieldUpdateKind]: {
    kind: K;
    path: string;
    parts: string[];
    /** `$setOnInsert` fields: applied only when an upsert inserts. */
    onInsertOnly: boolean;
    operand: Operands[K];
  };
}[FieldUpdateKind];

function field<K extends FieldUpdateKind>(
  kind: K,
  path: string,
  parts: string[],
  onInsertOnly: boolean,
  operand: Operands[K],
): FieldUpdate {
  return { kind, path, parts, onInsertOnly, operand } as FieldUpdate;
}

/** Path segments the native update does not take on: the query engine handles (or rejects) them. */
function plainParts(path: string, allowPositional: boolean): string[] | undefined {
  const parts = path.split('.');
  let positional = false;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (part.length === 0 || part === '__proto__') return undefined;
    if (part.charCodeAt(0) !== 36 /* $ */) continue;
    // Only one plain positional `$`, below a field; `$[]` and `$[id]` need arrayFilters support.
    if (part !== '$' || !allowPositional || positional || i === 0) return undefined;
    positional = true;
  }
  return parts;
}

/** `$each` alone; other modifiers (`$position`, `$slice`, `$sort`) are left to the engine. */
function eachValues(operand: unknown, modifiers: readonly string[]): unknown[] | null {
  if (!isPlainDocument(operand)) return [operand];
  const keys = Object.keys(operand);
  if (!keys.some((key) => modifiers.includes(key))) return [operand];
  if (keys.length === 1 && keys[0] === '$each' && Array.isArray(operand.$each)) return operand.$each;
  return null;
}

const PUSH_MODIFIERS = ['$each', '$position', '$slice', '$sort'];
const ADD_TO_SET_MODIFIERS = ['$each'];

function currentDateKind(operand: unknown): boolean | undefined {
  if (operand === true) return false;
  if (isPlainDocument(operand) && Object.keys(operand).length === 1) {
    if (operand.$type === 'date') return false;
    if (operand.$type === 'timestamp') return true;
  }
  return undefined;
}

/**
 * Reads an operator update (already validated) into field updates, or returns undefined when some part
 * of it needs the query engine: `$bit`, `$pop`, `$pullAll`, `$push` modifiers other than `$each`,
 * `$[]`/`$[id]` paths and arrayFilters, non-number arithmetic operands, unusual `$currentDate` specs.
 */
export function planFieldUpdates(
  update: Document,
  arrayFilters: Document[] | undefined,
): FieldUpdate[] | undefined {
  if (arrayFilters !== undefined && arrayFilters !== null) {
    if (!Array.isArray(arrayFilters) || arrayFilters.length > 0) return undefined;
  }
  const out: FieldUpdate[] = [];
  for (const operator of Object.keys(update)) {
    const fields = update[operator] as Document;
    const onInsertOnly = operator === '$setOnInsert';
    for (const path of Object.keys(fields)) {
      const operand = fields[path];
      const parts = plainParts(path, operator !== '$rename');
      if (!parts) return undefined;
      switch (operator) {
        case '$set':
        case '$setOnInsert':
          out.push(field('set', path, parts, onInsertOnly, operand));
          break;
        case '$unset':
          out.push(field('unset', path, parts, onInsertOnly, null));
          break;
        case '$inc':
        case '$mul':
          if (typeof operand !== 'number') return undefined;
          out.push(field(operator === '$inc' ? 'inc' : 'mul', path, parts, onInsertOnly, operand));
          break;
        case '$min':
        case '$max':
          out.push(field(operator === '$min' ? 'min' : 'max', path, parts, onInsertOnly, operand));
          break;
        case '$currentDate': {
          const timestamp = currentDateKind(operand);
          if (timestamp === undefined) return undefined;
          out.push(field('currentDate', path, parts, onInsertOnly, timestamp));
          break;
        }
        case '$push':
        case '$addToSet': {
          const values = eachValues(operand, operator === '$push' ? PUSH_MODIFIERS : ADD_TO_SET_MODIFIERS);
          if (!values) return undefined;
          out.push(field(operator === '$push' ? 'push' : 'addToSet', path, parts, onInsertOnly, values));
          break;
        }
        case '$pull': {
          let compiled: ElementTest | undefined;
          const condition = () => (compiled ??= compilePullCondition(operand));
          out.push(field('pull', path, parts, onInsertOnly, condition));
          break;
        }
        case '$rename': {
          const to = typeof operand === 'string' ? plainParts(operand, false) : undefined;
          if (!to) return undefined;
          out.push(field('rename', operand as string, to, onInsertOnly, { path, parts }));
          break;
        }
        default:
          return undefined;
      }
    }
  }
  return out;
}
