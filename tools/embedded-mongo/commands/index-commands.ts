import type { Document } from 'bson';
import type { IndexSpec } from '../storage/collection-index.js';
import { ID_INDEX_NAME } from '../storage/collection.js';
import type { Collection } from '../storage/collection.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';
import { collectionNameArg, documentArrayArg } from './command-arguments.js';
import type { CommandHandler } from './command-context.js';

/** Key types other than ascending/descending/hashed need text or geo machinery. */
function checkKeyPattern(key: unknown): asserts key is Record<string, unknown> {
  if (!isPlainDocument(key) || Object.keys(key).length === 0) {
    throw new CommandError(ErrorCode.CannotCreateIndex, 'Index keys cannot be an empty field.');
  }
  for (const [field, direction] of Object.entries(key)) {
    if (field.length === 0)
      throw new CommandError(ErrorCode.CannotCreateIndex, 'Index keys cannot be an empty field.');
    if (direction === 'hashed' || (typeof direction === 'number' && direction !== 0)) continue;
    if (typeof direction === 'string') {
      throw new CommandError(
        ErrorCode.CannotCreateIndex,
        `${direction} indexes are not supported by the embedded store (field '${field}')`,
      );
    }
    throw new CommandError(
      ErrorCode.CannotCreateIndex,
      `Values in the index key pattern can only be numbers or strings, found ${JSON.stringify(direction)} for '${field}'`,
    );
  }
}

/** The server's default index name: fields and directions joined by underscores (`email_1_brand_-1`). */
function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

/** Options that do not change what the index holds; two specs differing only here are the same index. */
const COSMETIC_OPTIONS = new Set(['v', 'name', 'key', 'background', 'ns']);

function optionsOf(spec: Document): string {
  const options: Document = {};
  for (const key of Object.keys(spec).sort()) if (!COSMETIC_OPTIONS.has(key)) options[key] = spec[key];
  return encodeValue(options);
}

/** The server tells indexes apart by key pattern, partial filter and collation: others may share a key. */
function identityOf(spec: Document): string {
  return encodeValue([spec.key, spec.partialFilterExpression ?? null, spec.collation ?? null]);
}

function normalizeSpec(raw: Document): IndexSpec {
  checkKeyPattern(raw.key);
  if (raw.name !== undefined && typeof raw.name !== 'string') {
    throw new CommandError(ErrorCode.TypeMismatch, "The field 'name' must be a string");
  }
  if (raw.partialFilterExpression !== undefined && !isPlainDocument(raw.partialFilterExpression)) {
    throw new CommandError(ErrorCode.TypeMismatch, "The field 'partialFilterExpression' must be an object");
  }
  const { v: _v, background: _background, ns: _ns, ...rest } = raw;
  const spec: IndexSpec = {
    v: 2,
    ...rest,
    key: { ...raw.key },
    name: (raw.name as string) ?? defaultIndexName(raw.key),
  };
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  return spec;
}

/** An identical existing index makes creation a no-op; a clashing one is the server's conflict error. */
function existingEquivalent(collection: Collection, spec: IndexSpec): boolean {
  for (const existing of collection.indexSpecs) {
    const sameName = existing.name === spec.name;
    const sameIdentity = identityOf(existing) === identityOf(spec);
    if (!sameName && !sameIdentity) continue;
    if (
      sameName &&
      sameIdentity &&
      (optionsOf(existing) === optionsOf(spec) || existing.name === ID_INDEX_NAME)
    ) {
      return true;
    }
    if (sameName && !sameIdentity) {
      throw new CommandError(
        ErrorCode.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
      );
    }
    if (sameName) {
      throw new CommandError(
        ErrorCode.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
      );
    }
    throw new CommandError(
      ErrorCode.IndexOptionsConflict,
      `Index already exists with a different name: ${existing.name}`,
    );
  }
  return false;
}

const createIndexes: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'createIndexes');
  const specs = documentArrayArg(body, 'createIndexes', 'indexes').map(normalizeSpec);
  if (specs.length === 0)
    throw new CommandError(ErrorCode.BadValue, 'Must specify at least one index to create');
  const created = context.catalog.collection(context.dbName, name) === undefined;
  const collection = context.catalog.ensureCollection(context.dbName, name);
  const before = collection.indexSpecs.length;
  const fresh = specs.filter((spec) => !existingEquivalent(collection, spec));
  // All-or-nothing, like the server: a failing index (e.g. duplicates in existing data) adds none.
  const added: string[] = [];
  try {
    for (const spec of fresh) {
      collection.createIndex(spec);
      added.push(spec.name);
    }
  } catch (err) {
    for (const indexName of added) collection.indexes.delete(indexName);
    throw err;
  }
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexSpecs.length,
    createdCollectionAutomatically: created,
    ok: 1,
  };
  if (fresh.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'listIndexes');
  const collection = context.catalog.collection(context.dbName, name);
  if (!collection) {
    throw new CommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${context.dbName}.${name}`);
  }
  const cursorOptions = isPlainDocument(body.cursor) ? body.cursor : {};
  return context.cursors.open(
    `${context.dbName}.${name}`,
    collection.indexSpecs.map((spec) => ({ ...spec })),
    {
      batchSize: typeof cursorOptions.batchSize === 'number' ? cursorOptions.batchSize : undefined,
    },
  );
};

function indexNamesToDrop(collection: Collection, index: unknown): string[] {
  if (index === '*') return [...collection.indexes.keys()];
  const names = Array.isArray(index) ? index : [index];
  return names.map((entry) => {
    if (typeof entry === 'string') {
      if (entry === ID_INDEX_NAME) throw new CommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
      if (!collection.indexes.has(entry)) {
        throw new CommandError(ErrorCode.IndexNotFound, `index not found with name [${entry}]`);
      }
      return entry;
    }
    if (isPlainDocument(entry)) {
      const match = collection.indexSpecs.find((spec) => encodeValue(spec.key) === encodeValue(entry));
      if (!match)
        throw new CommandError(
          ErrorCode.IndexNotFound,
          `can't find index with key: ${JSON.stringify(entry)}`,
        );
      if (match.name === ID_INDEX_NAME)
        throw new CommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
      return match.name;
    }
    throw new CommandError(ErrorCode.TypeMismatch, "BSON field 'dropIndexes.index' is the wrong type");
  });
}

const dropIndexes: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'dropIndexes');
  const collection = context.catalog.collection(context.dbName, name);
  if (!collection)
    throw new CommandError(ErrorCode.NamespaceNotFound, `ns not found ${context.dbName}.${name}`);
  const before = collection.indexSpecs.length;
  for (const indexName of indexNamesToDrop(collection, body.index)) collection.indexes.delete(indexName);
  return { nIndexesWas: before, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
