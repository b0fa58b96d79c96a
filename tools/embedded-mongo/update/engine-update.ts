import { updateOne } from 'mingo';
import type { Document } from 'bson';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { copyDocument } from '../storage/document-copy.js';
import type { NativeResult, UpdateTarget } from './native-update.js';
import { PositionalResolver } from './positional-path.js';
import { isNumeric, nonArrayFieldError, nonNumericFieldError } from './update-errors.js';
import { encodeValue, valueAtPath } from '../storage/value-keys.js';

const NUMERIC_OPERATORS = new Set(['$inc', '$mul']);
const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

/** Type checks the query engine skips silently but the server reports (e.g. `$inc` on a string). */
function checkOperandTypes(doc: Document, update: Document): void {
  for (const [operator, fields] of Object.entries(update)) {
    const numeric = NUMERIC_OPERATORS.has(operator);
    if (!numeric && !ARRAY_OPERATORS.has(operator)) continue;
    for (const path of Object.keys(fields as Document)) {
      if (path.includes('$')) continue;
      const current = valueAtPath(doc, path);
      if (current === undefined) continue;
      if (numeric && !isNumeric(current)) throw nonNumericFieldError(operator, doc, path, current);
      if (!numeric && !Array.isArray(current)) throw nonArrayFieldError(doc, path, current);
    }
  }
}

/**
 * Replaces each positional `$` by the index it stands for in this document, so the engine is given
 * literal paths: it then needs no filter, and two positional paths under one array (`links.$.a`,
 * `links.$.b`) are not mistaken for a conflict.
 */
function withPositionsResolved(doc: Document, update: Document, target: UpdateTarget): Document {
  let resolver: PositionalResolver | undefined;
  const out: Document = {};
  for (const [operator, fields] of Object.entries(update)) {
    if (operator === '$setOnInsert' && !target.inserting) {
      out[operator] = fields;
      continue;
    }
    const resolved: Document = {};
    for (const [path, operand] of Object.entries(fields as Document)) {
      const parts = path.split('.');
      if (!parts.includes('$')) {
        resolved[path] = operand;
        continue;
      }
      resolver ??= new PositionalResolver(doc, target.filter, target.inserting);
      resolved[resolver.resolve(parts).join('.')] = operand;
    }
    out[operator] = resolved;
  }
  return out;
}

/** The query engine checks some of the server's rules itself; give its complaints the server's codes. */
function classifyEngineError(err: unknown): CommandError {
  const error = asCommandError(err, ErrorCode.BadValue);
  if (error.message.includes("immutable field '_id'")) {
    return new CommandError(ErrorCode.ImmutableField, error.message.replace(/\.$/, ''));
  }
  return error;
}

/**
 * Applies a pipeline update, or an operator update the native path does not cover (`$bit`, `$pop`,
 * `$pullAll`, `$push` modifiers, arrayFilters...), with the query engine, on a deep copy of `doc`.
 */
export function applyWithEngine(
  doc: Document,
  update: Document | Document[],
  target: UpdateTarget & { arrayFilters?: Document[] },
): NativeResult {
  const working = [copyDocument(doc)];
  let modifier: Document | Document[] = update;
  let onInsert: Document | undefined;
  if (!Array.isArray(update)) {
    checkOperandTypes(doc, update);
    const { $setOnInsert, ...rest } = withPositionsResolved(doc, update, target);
    modifier = rest;
    if (target.inserting && $setOnInsert !== undefined) onInsert = $setOnInsert as Document;
  }
  try {
    const config = { arrayFilters: target.arrayFilters, cloneMode: 'deep' as const };
    // The caller already matched the document, so the engine gets no filter to re-check.
    if (Array.isArray(modifier) || Object.keys(modifier).length > 0)
      updateOne(working, {}, modifier as Parameters<typeof updateOne>[2], config);
    if (onInsert) updateOne(working, {}, { $set: onInsert }, config);
  } catch (err) {
    throw classifyEngineError(err);
  }
  const next = working[0];
  return { doc: next, modified: encodeValue(next) !== encodeValue(doc) };
}
