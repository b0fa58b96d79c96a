import { Timestamp } from 'bson';
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { CommandError, ErrorCode } from '../command-error.js';
import { copyValue } from '../storage/document-copy.js';
import { DocumentWriter, EngineNeeded } from './document-writer.js';
import type { Location } from './document-writer.js';
import { PositionalResolver } from './positional-path.js';
import { isNumeric, nonArrayFieldError, nonNumericFieldError, pathNotViableError } from './update-errors.js';
import type { FieldUpdate } from './update-plan.js';
import { encodeValue, sameValue } from '../storage/value-keys.js';

export interface UpdateTarget {
  /** The query that selected the document; resolves the positional `$`. */
  filter: Document;
  /** True when the update builds a new document for an upsert: `$setOnInsert` applies. */
  inserting: boolean;
}

export interface NativeResult {
  doc: Document;
  modified: boolean;
}

interface Step {
  update: FieldUpdate;
  parts: string[];
  /** The path as named in error messages (the positional `$` resolved). */
  path: string;
}

/**
 * Field names compare as strings, except that two array indexes compare as numbers: the order in which
 * the server (5.0+) applies the fields of an update, which decides the order of fields it creates.
 */
function comparePart(a: string, b: string): number {
  if (a === b) return 0;
  if (isIndex(a) && isIndex(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : 1;
}

function isIndex(part: string): boolean {
  if (part.length > 1 && part.charCodeAt(0) === 48) return false;
  for (let i = 0; i < part.length; i += 1) {
    const code = part.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return part.length > 0;
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const order = comparePart(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (prefix[i] !== path[i]) return false;
  return true;
}

/**
 * Two positional paths (or a positional and a literal one) may turn out to name the same element only
 * once the position is known, e.g. `a.$.b` and `a.0.b`; the server then reports the conflict.
 */
function assertNoResolvedConflict(steps: Step[]): void {
  const paths = steps.map((step) => step.parts);
  for (const step of steps) if (step.update.kind === 'rename') paths.push(step.update.operand.parts);
  paths.sort(comparePaths);
  for (let i = 1; i < paths.length; i += 1) {
    if (isPrefix(paths[i - 1], paths[i])) {
      throw new CommandError(
        ErrorCode.ConflictingUpdateOperators,
        `Update created a conflict at '${paths[i].join('.')}'`,
      );
    }
  }
}

let lastTimestampSeconds = 0;
let timestampIncrement = 0;

/** A `$currentDate: {$type: 'timestamp'}` value: seconds plus an increment unique within the second. */
function nextTimestamp(now: number): Timestamp {
  const seconds = Math.floor(now / 1000);
  timestampIncrement = seconds === lastTimestampSeconds ? timestampIncrement + 1 : 1;
  lastTimestampSeconds = seconds;
  return new Timestamp({ t: seconds, i: timestampIncrement });
}

/**
 * Applies field updates the way the server does: fields in its order (see `comparePart`), missing
 * documents created along dotted paths, arrays indexed and padded by numeric segments, type errors
 * and non-viable paths reported with the server's codes. The original document is not modified.
 * Returns undefined when the document needs a case left to the query engine.
 */
export function applyFieldUpdates(
  doc: Document,
  updates: readonly FieldUpdate[],
  target: UpdateTarget,
): NativeResult | undefined {
  const steps: Step[] = [];
  let resolver: PositionalResolver | undefined;
  for (const update of updates) {
    if (update.onInsertOnly && !target.inserting) continue;
    if (update.kind !== 'rename' && update.parts.includes('$')) {
      resolver ??= new PositionalResolver(doc, target.filter, target.inserting);
      const parts = resolver.resolve(update.parts);
      steps.push({ update, parts, path: parts.join('.') });
    } else {
      steps.push({ update, parts: update.parts, path: update.path });
    }
  }
  if (steps.length > 1) steps.sort((a, b) => comparePaths(a.parts, b.parts));
  if (resolver) assertNoResolvedConflict(steps);
  const writer = new DocumentWriter(doc);
  let now: number | undefined;
  try {
    for (const step of steps) {
      if (step.update.kind === 'currentDate') now ??= Date.now();
      applyStep(writer, step, doc, now ?? 0);
    }
  } catch (err) {
    if (err instanceof EngineNeeded) return undefined;
    throw err;
  }
  return { doc: writer.current, modified: writer.changed };
}

function viable(location: Location): Location {
  const blocked = location.blocked;
  if (blocked) throw pathNotViableError(blocked.field, blocked.elementName, blocked.element);
  return location;
}

function applyStep(writer: DocumentWriter, step: Step, doc: Document, now: number): void {
  const { update, parts, path } = step;
  switch (update.kind) {
    case 'set': {
      const { value } = viable(writer.locate(parts));
      if (value === undefined || !sameValue(value, update.operand))
        writer.write(parts, copyValue(update.operand));
      return;
    }
    case 'unset': {
      const { value, inArray, blocked } = writer.locate(parts);
      if (blocked || value === undefined || (inArray && value === null)) return;
      writer.remove(parts);
      return;
    }
    case 'inc':
    case 'mul': {
      const { value } = viable(writer.locate(parts));
      if (value === undefined) {
        writer.write(parts, update.kind === 'inc' ? update.operand : 0);
        return;
      }
      if (typeof value !== 'number') {
        // Long and Decimal128 arithmetic keeps its own rules; the engine handles it as before.
        if (isNumeric(value)) throw new EngineNeeded();
        throw nonNumericFieldError(`$${update.kind}`, doc, path, value);
      }
      const next = update.kind === 'inc' ? value + update.operand : value * update.operand;
      if (!sameValue(next, value)) writer.write(parts, next);
      return;
    }
    case 'min':
    case 'max': {
      const { value } = viable(writer.locate(parts));
      const order = value === undefined ? 0 : compare(value, update.operand);
      const replace = value === undefined || (update.kind === 'min' ? order > 0 : order < 0);
      if (replace) writer.write(parts, copyValue(update.operand));
      return;
    }
    case 'currentDate': {
      const { value } = viable(writer.locate(parts));
      const next = update.operand ? nextTimestamp(now) : new Date(now);
      if (value === undefined || !sameValue(value, next)) writer.write(parts, next);
      return;
    }
    case 'push':
    case 'addToSet': {
      const { value } = viable(writer.locate(parts));
      if (value !== undefined && !Array.isArray(value)) throw nonArrayFieldError(doc, path, value);
      const existing = value ?? [];
      const added =
        update.kind === 'push' ? update.operand.map(copyValue) : newMembers(existing, update.operand);
      if (value === undefined || added.length > 0) writer.write(parts, [...existing, ...added]);
      return;
    }
    case 'pull': {
      const { value, blocked } = writer.locate(parts);
      if (blocked || value === undefined) return;
      if (!Array.isArray(value)) throw nonArrayFieldError(doc, path, value);
      const matches = update.operand();
      const kept = value.filter((element) => !matches(element));
      if (kept.length !== value.length) writer.write(parts, kept);
      return;
    }
    case 'rename': {
      const from = update.operand.parts;
      const source = writer.locate(from);
      if (source.blocked || source.value === undefined) return;
      const destination = writer.locate(parts);
      // The server refuses renames into or out of arrays with messages of its own; the engine answers.
      if (source.throughArray || destination.throughArray) throw new EngineNeeded();
      viable(destination);
      writer.remove(from);
      writer.write(parts, source.value);
      return;
    }
  }
}

/** `$addToSet`: the values not already in the array (nor earlier in the list), copied. */
function newMembers(existing: readonly unknown[], values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  for (const member of existing) seen.add(encodeValue(member));
  const added: unknown[] = [];
  for (const value of values) {
    const key = encodeValue(value);
    if (seen.has(key)) continue;
    seen.add(key);
    added.push(copyValue(value));
  }
  return added;
}
