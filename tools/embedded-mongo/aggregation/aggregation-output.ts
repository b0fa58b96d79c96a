import { updateOne } from 'mingo';
import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import { Collection, idKeyOf } from '../storage/collection.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { copyDocument } from '../storage/document-copy.js';
import { matchingDocuments } from '../update/write-operations.js';
import { isPlainDocument, valueAtPath } from '../storage/value-keys.js';

interface Target {
  db: string;
  coll: string;
}

function targetOf(spec: unknown, dbName: string, stage: string): Target {
  if (typeof spec === 'string') return { db: dbName, coll: spec };
  if (isPlainDocument(spec) && typeof spec.coll === 'string') {
    return { db: typeof spec.db === 'string' ? spec.db : dbName, coll: spec.coll };
  }
  throw new CommandError(ErrorCode.FailedToParse, `${stage} requires a collection name or { db, coll }`);
}

/**
 * `$out`: the target's contents are replaced by the results. The new contents are built in a
 * scratch collection carrying the target's indexes first, so a duplicate key leaves the target intact.
 */
export function writeOut(catalog: Catalog, dbName: string, spec: unknown, results: Document[]): void {
  const target = targetOf(spec, dbName, '$out');
  const existing = catalog.collection(target.db, target.coll);
  const scratch = new Collection(target.db, target.coll, existing?.options ?? {});
  try {
    for (const index of existing?.indexes.values() ?? []) scratch.createIndex(index.spec);
    for (const doc of results) scratch.insert(doc);
    const collection = existing ?? catalog.ensureCollection(target.db, target.coll);
    collection.removeAll();
    for (const doc of scratch.documents()) collection.insert(doc);
  } finally {
    scratch.removeAll();
  }
}

type WhenMatched = 'replace' | 'keepExisting' | 'merge' | 'fail' | Document[];

/** `$merge`: each result is matched on the `on` fields and inserted, replaced, merged or rejected. */
export function writeMerge(catalog: Catalog, dbName: string, spec: unknown, results: Document[]): void {
  const options: Document = isPlainDocument(spec) && spec.into !== undefined ? spec : { into: spec };
  const target = targetOf(options.into, dbName, '$merge');
  const on: string[] =
    options.on === undefined ? ['_id'] : Array.isArray(options.on) ? options.on : [options.on];
  const whenMatched = (options.whenMatched ?? 'merge') as WhenMatched;
  const whenNotMatched = (options.whenNotMatched ?? 'insert') as string;
  const collection = catalog.ensureCollection(target.db, target.coll);
  for (const result of results) {
    const filter: Document = {};
    for (const field of on) filter[field] = valueAtPath(result, field) ?? null;
    const [match] =
      on.every((field) => field === '_id') && result._id === undefined
        ? []
        : matchingDocuments(collection, filter, true);
    if (!match) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail') {
        throw new CommandError(
          ErrorCode.MergeStageNoMatchingDocument,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      collection.insert(result);
      continue;
    }
    const id = idKeyOf(match._id);
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') {
      throw new CommandError(
        ErrorCode.DuplicateKey,
        `E11000 duplicate key error collection: ${collection.namespace} index: _id_`,
        {
          keyPattern: { _id: 1 },
          keyValue: { _id: match._id },
        },
      );
    }
    if (whenMatched === 'replace') collection.replace(id, { ...copyDocument(result), _id: match._id });
    else if (whenMatched === 'merge')
      collection.replace(id, { ...match, ...copyDocument(result), _id: match._id });
    else if (Array.isArray(whenMatched)) {
      const working = [copyDocument(match)];
      try {
        updateOne(working, {}, whenMatched as never, { let: { new: result, ...(options.let ?? {}) } });
      } catch (err) {
        throw asCommandError(err);
      }
      collection.replace(id, { ...working[0], _id: match._id });
    } else {
      throw new CommandError(
        ErrorCode.BadValue,
        `unsupported whenMatched mode: ${JSON.stringify(whenMatched)}`,
      );
    }
  }
}
