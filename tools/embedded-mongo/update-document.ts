import { updateOne } from 'mingo';
import type { Document } from 'bson';
import { CommandError, ErrorCode, asCommandError } from './command-error.js';
import { copyDocument, copyValue } from './document-copy.js';
import { encodeValue, isPlainDocument, valueAtPath } from './value-keys.js';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$setOnInsert',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
]);
const NUMERIC_OPERATORS = new Set(['$inc', '$mul']);
const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

export type UpdateSpec = Document | Document[];

export function isPipelineUpdate(update: UpdateSpec): update is Document[] {
  return Array.isArray(update);
}

/** An update document whose keys are operators; anything else is a replacement. */
export function isOperatorUpdate(update: UpdateSpec): boolean {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (isPlainDocument(value)) return 'object';
  return typeof value;
}

/** Rejects what the server rejects before touching any document. */
export function validateUpdate(update: UpdateSpec): void {
  if (Array.isArray(update)) return;
  if (!isPlainDocument(update))
    throw new CommandError(ErrorCode.FailedToParse, 'Update argument must be an object');
  if (!isOperatorUpdate(update)) {
    for (const key of Object.keys(update)) {
      if (key.startsWith('$')) {
        throw new CommandError(
          ErrorCode.BadValue,
          `The dollar ($) prefixed field '${key}' in '${key}' is not allowed`,
        );
      }
    }
    return;
  }
  const seen: string[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new CommandError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainDocument(fields)) {
      throw new CommandError(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead. For example: {$mod: {<field>: ...}} not {$set: <value>}`,
      );
    }
    const paths =
      operator === '$rename'
        ? [...Object.keys(fields), ...Object.values(fields).map(String)]
        : Object.keys(fields);
    for (const path of paths) {
      const clash = seen.find(
        (other) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`),
      );
      if (clash !== undefined) {
        throw new CommandError(
          ErrorCode.ConflictingUpdateOperators,
          `Updating the path '${path}' would create a conflict at '${clash}'`,
        );
      }
      seen.push(path);
    }
    if (NUMERIC_OPERATORS.has(operator)) {
      for (const [path, amount] of Object.entries(fields)) {
        if (!isNumeric(amount)) {
          throw new CommandError(
            ErrorCode.TypeMismatch,
            `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(amount)}}`,
          );
        }
      }
    }
  }
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  return bsonType === 'Long' || bsonType === 'Decimal128' || bsonType === 'Int32' || bsonType === 'Double';
}

/** Type checks the query engine skips silently but the server reports (e.g. `$inc` on a string). */
function checkOperandTypes(doc: Document, update: Document): void {
  for (const [operator, fields] of Object.entries(update)) {
    const numeric = NUMERIC_OPERATORS.has(operator);
    if (!numeric && !ARRAY_OPERATORS.has(operator)) continue;
    for (const path of Object.keys(fields as Document)) {
      if (path.includes('$')) continue;
      const current = valueAtPath(doc, path);
      if (current === undefined) continue;
      if (numeric && !isNumeric(current)) {
        throw new CommandError(
          ErrorCode.TypeMismatch,
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`,
        );
      }
      if (!numeric && !Array.isArray(current)) {
        throw new CommandError(
          ErrorCode.BadValue,
          `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${JSON.stringify(doc._id)}}`,
        );
      }
    }
  }
}

export interface AppliedUpdate {
  doc: Document;
  modified: boolean;
}

interface ApplyOptions {
  /** The query that selected the document; resolves the positional `$` operator. */
  filter: Document;
  arrayFilters?: Document[];
  /** True when the update builds a new document for an upsert: `$setOnInsert` applies. */
  inserting: boolean;
}

/** Applies an operator, pipeline or replacement update to a copy of `doc`; `doc` itself is untouched. */
export function applyUpdate(doc: Document, update: UpdateSpec, options: ApplyOptions): AppliedUpdate {
  if (!isPipelineUpdate(update) && !isOperatorUpdate(update)) return replaceDocument(doc, update);
  const working = [copyDocument(doc)];
  let modifier: UpdateSpec = update;
  let onInsert: Document | undefined;
  if (!isPipelineUpdate(update)) {
    checkOperandTypes(doc, update);
    const { $setOnInsert, ...rest } = update;
    modifier = rest;
    if (options.inserting && isPlainDocument($setOnInsert)) onInsert = $setOnInsert;
  }
  try {
    const config = { arrayFilters: options.arrayFilters, cloneMode: 'deep' as const };
    const condition = options.inserting ? {} : options.filter;
    if (isPipelineUpdate(modifier) || Object.keys(modifier).length > 0)
      updateOne(working, condition, modifier as Parameters<typeof updateOne>[2], config);
    if (onInsert) updateOne(working, {}, { $set: onInsert }, config);
  } catch (err) {
    throw classifyEngineError(err);
  }
  const next = working[0];
  assertIdUnchanged(doc, next);
  return { doc: next, modified: encodeValue(next) !== encodeValue(doc) };
}

/** The query engine checks some of the server's rules itself; give its complaints the server's codes. */
function classifyEngineError(err: unknown): CommandError {
  const error = asCommandError(err, ErrorCode.BadValue);
  if (error.message.includes("immutable field '_id'")) {
    return new CommandError(ErrorCode.ImmutableField, error.message.replace(/\.$/, ''));
  }
  return error;
}

function replaceDocument(doc: Document, replacement: Document): AppliedUpdate {
  const { _id, ...rest } = replacement;
  const next = { _id: doc._id, ...copyDocument(rest) };
  if (_id !== undefined && encodeValue(_id) !== encodeValue(doc._id))
    assertIdUnchanged(doc, { ...next, _id });
  return { doc: next, modified: encodeValue(next) !== encodeValue(doc) };
}

function assertIdUnchanged(before: Document, after: Document): void {
  if (before._id === undefined) return;
  if (encodeValue(before._id) !== encodeValue(after._id)) {
    throw new CommandError(
      ErrorCode.ImmutableField,
      `Performing an update on the path '_id' would modify the immutable field '_id'`,
    );
  }
}

/**
 * The document an upsert starts from: the filter's equality conditions (`field: value`, `$eq`,
 * members of a top-level `$and`), dotted paths expanded into embedded documents.
 */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  const visit = (clause: Document) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainDocument(part)) visit(part);
        continue;
      }
      if (field.startsWith('$')) continue;
      if (isPlainDocument(condition) && Object.keys(condition).some((key) => key.startsWith('$'))) {
        // A one-element $in is an equality for upserts, as on the server.
        if ('$eq' in condition) setPath(seed, field, copyValue(condition.$eq));
        else if (
          Array.isArray(condition.$in) &&
          condition.$in.length === 1 &&
          !(condition.$in[0] instanceof RegExp)
        ) {
          setPath(seed, field, copyValue(condition.$in[0]));
        }
        continue;
      }
      if (condition instanceof RegExp) continue;
      setPath(seed, field, copyValue(condition));
    }
  };
  visit(filter);
  return seed;
}

function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainDocument(current[part])) current[part] = {};
    current = current[part] as Document;
  }
  current[parts[parts.length - 1]] = value;
}

/** Builds the new document of an upsert: seed from the filter, then the update (or replacement). */
export function buildUpsertDocument(
  filter: Document,
  update: UpdateSpec,
  arrayFilters?: Document[],
): Document {
  if (!isPipelineUpdate(update) && !isOperatorUpdate(update)) {
    const seedId = upsertSeed(filter)._id;
    const replacement = copyDocument(update);
    if (replacement._id === undefined && seedId !== undefined) return { _id: seedId, ...replacement };
    return replacement;
  }
  const seed = upsertSeed(filter);
  // `_id` is fixed before the update runs so an update touching `_id` is caught like on the server.
  return applyUpdate(seed, update, { filter, arrayFilters, inserting: true }).doc;
}
