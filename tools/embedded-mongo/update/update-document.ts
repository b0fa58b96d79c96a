import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { copyDocument, copyValue } from '../storage/document-copy.js';
import { applyWithEngine } from './engine-update.js';
import { applyFieldUpdates } from './native-update.js';
import type { UpdateTarget } from './native-update.js';
import { bsonTypeName, isNumeric } from './update-errors.js';
import { planFieldUpdates } from './update-plan.js';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';

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

export interface AppliedUpdate {
  /**
   * The updated document. It shares nothing with the update command; unchanged parts may be shared
   * with `doc`, which is never mutated, so the result can be stored without another copy.
   */
  doc: Document;
  modified: boolean;
}

interface ApplyOptions extends UpdateTarget {
  arrayFilters?: Document[];
}

/** An update prepared once per statement and applied to each document it selects. */
export type CompiledUpdate = (doc: Document, target: UpdateTarget) => AppliedUpdate;

/**
 * Prepares an operator, pipeline or replacement update. Operator updates made of the common field
 * operators are applied natively; the rest (and documents with cases the native path leaves out,
 * such as Decimal128 arithmetic) go to the query engine.
 */
export function compileUpdate(update: UpdateSpec, arrayFilters?: Document[]): CompiledUpdate {
  if (!isPipelineUpdate(update) && !isOperatorUpdate(update)) return (doc) => replaceDocument(doc, update);
  const fields = isPipelineUpdate(update) ? undefined : planFieldUpdates(update, arrayFilters);
  return (doc, target) => {
    const applied =
      (fields && applyFieldUpdates(doc, fields, target)) ??
      applyWithEngine(doc, update, { ...target, arrayFilters });
    assertIdUnchanged(doc, applied.doc);
    return applied;
  };
}

/** Applies an operator, pipeline or replacement update to `doc`; `doc` itself is untouched. */
export function applyUpdate(doc: Document, update: UpdateSpec, options: ApplyOptions): AppliedUpdate {
  return compileUpdate(update, options.arrayFilters)(doc, options);
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
