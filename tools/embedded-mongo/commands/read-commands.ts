import { Long } from 'bson';
import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { notePlan } from '../query/query-planner.js';
import { findDocuments } from '../query/find-documents.js';
import { EMPTY_ARRAY, MISSING, encodeValue, valuesAtPath } from '../storage/value-keys.js';
import {
  arrayArg,
  assertSimpleCollation,
  booleanArg,
  collectionNameArg,
  documentArg,
  nonNegativeArg,
  numberArg,
} from './command-arguments.js';
import type { CommandHandler } from './command-context.js';

export function readFindArguments(body: Document) {
  assertSimpleCollation(body);
  if (booleanArg(body, 'tailable')) {
    throw new CommandError(
      ErrorCode.BadValue,
      'error processing query: tailable cursor requested on non capped collection',
    );
  }
  const rawLimit = numberArg(body, 'find', 'limit');
  const limit = rawLimit === undefined ? undefined : Math.abs(rawLimit);
  return {
    filter: documentArg(body, 'find', 'filter'),
    sort: documentArg(body, 'find', 'sort'),
    projection: documentArg(body, 'find', 'projection'),
    skip: nonNegativeArg(body, 'find', 'skip'),
    limit,
    variables: documentArg(body, 'find', 'let'),
    // A negative limit is the legacy spelling of "one batch, then close".
    singleBatch: booleanArg(body, 'singleBatch') || (rawLimit !== undefined && rawLimit < 0),
    batchSize: nonNegativeArg(body, 'find', 'batchSize'),
  };
}

const find: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'find');
  const args = readFindArguments(body);
  const collection = context.catalog.collection(context.dbName, name);
  const { docs } = findDocuments(collection, args);
  context.stats.opcounters.query += 1;
  return context.cursors.open(`${context.dbName}.${name}`, docs, {
    batchSize: args.batchSize,
    singleBatch: args.singleBatch,
    noTimeout: booleanArg(body, 'noCursorTimeout'),
  });
};

function cursorIdOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if ((value as { _bsontype?: string } | null)?._bsontype === 'Long') return (value as Long).toNumber();
  throw new CommandError(
    ErrorCode.TypeMismatch,
    "BSON field 'getMore.getMore' is the wrong type, expected type 'long'",
  );
}

const getMore: CommandHandler = (body, context) => {
  const id = cursorIdOf(body.getMore);
  const collection = body.collection;
  if (typeof collection !== 'string') {
    throw new CommandError(
      ErrorCode.FailedToParse,
      "BSON field 'getMore.collection' is missing but a required field",
    );
  }
  context.stats.opcounters.getmore += 1;
  return context.cursors.getMore(
    id,
    `${context.dbName}.${collection}`,
    numberArg(body, 'getMore', 'batchSize'),
  );
};

const killCursors: CommandHandler = (body, context) => {
  collectionNameArg(body, 'killCursors');
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of arrayArg(body, 'killCursors', 'cursors')) {
    const id = cursorIdOf(raw);
    (context.cursors.kill(id) ? killed : notFound).push(Long.fromNumber(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'count');
  assertSimpleCollation(body);
  const collection = context.catalog.collection(context.dbName, name);
  const filter = documentArg(body, 'count', 'query');
  const skip = nonNegativeArg(body, 'count', 'skip') ?? 0;
  const limit = Math.abs(numberArg(body, 'count', 'limit') ?? 0);
  context.stats.opcounters.command += 1;
  if (collection && (filter === undefined || Object.keys(filter).length === 0)) {
    // Counting a whole collection reads its size, as the server's fast count does (estimatedDocumentCount).
    notePlan(collection.namespace, {}, { stage: 'RECORD_STORE_FAST_COUNT' }, 0);
    const n = Math.max(collection.size - skip, 0);
    return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
  }
  const { docs } = findDocuments(collection, { filter, skip, limit });
  return { n: docs.length, ok: 1 };
};

/** `distinct` flattens arrays one level, like the server, and de-duplicates by BSON equality. */
const distinct: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'distinct');
  assertSimpleCollation(body);
  const key = body.key;
  if (typeof key !== 'string' || key.length === 0) {
    throw new CommandError(
      ErrorCode.TypeMismatch,
      "BSON field 'distinct.key' is the wrong type, expected type 'string'",
    );
  }
  const collection = context.catalog.collection(context.dbName, name);
  const { docs } = findDocuments(collection, { filter: documentArg(body, 'distinct', 'query') });
  const seen = new Map<string, unknown>();
  const parts = key.split('.');
  for (const doc of docs) {
    for (const value of valuesAtPath(doc, parts)) {
      if (value === MISSING || value === EMPTY_ARRAY) continue;
      const encoded = encodeValue(value);
      if (!seen.has(encoded)) seen.set(encoded, value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
