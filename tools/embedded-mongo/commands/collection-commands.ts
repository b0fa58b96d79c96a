import { Query } from 'mingo';
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { checkValidatorSupported } from '../storage/document-validation.js';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';
import { booleanArg, collectionNameArg, documentArg } from './command-arguments.js';
import type { CommandHandler } from './command-context.js';

/** Collection options that need storage features this store does not have. */
const UNSUPPORTED_CREATE_OPTIONS = [
  'capped',
  'timeseries',
  'clusteredIndex',
  'viewOn',
  'changeStreamPreAndPostImages',
];
/** Options kept and reported back by listCollections. */
const KEPT_CREATE_OPTIONS = ['validator', 'validationLevel', 'validationAction', 'collation', 'comment'];

const create: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'create');
  for (const option of UNSUPPORTED_CREATE_OPTIONS) {
    if (body[option] !== undefined && body[option] !== false) {
      throw new CommandError(
        ErrorCode.NotImplemented,
        `create option '${option}' is not supported by the embedded store`,
      );
    }
  }
  checkValidatorSupported(body.validator);
  const options: Document = {};
  for (const option of KEPT_CREATE_OPTIONS) if (body[option] !== undefined) options[option] = body[option];
  // Since 6.0 (SERVER-60064) creating an existing collection with identical options succeeds.
  const existing = context.catalog.collection(context.dbName, name);
  if (existing && encodeValue(existing.options) === encodeValue(options)) return { ok: 1 };
  if (existing) {
    throw new CommandError(
      ErrorCode.NamespaceExists,
      `namespace ${existing.namespace} already exists, but with different options: ${JSON.stringify(existing.options)}`,
    );
  }
  context.catalog.createCollection(context.dbName, name, options);
  return { ok: 1 };
};

/** Since 7.0 dropping a missing collection succeeds; the reply then has no `ns`. */
const drop: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'drop');
  const dropped = context.catalog.dropCollection(context.dbName, name);
  if (!dropped) return { ok: 1 };
  return { nIndexesWas: dropped.indexSpecs.length, ns: dropped.namespace, ok: 1 };
};

const dropDatabase: CommandHandler = (_body, context) => {
  context.catalog.dropDatabase(context.dbName);
  return { dropped: context.dbName, ok: 1 };
};

function collectionInfo(collection: Collection): Document {
  return {
    name: collection.name,
    type: 'collection',
    options: { ...collection.options },
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: CommandHandler = (body, context) => {
  const filter = documentArg(body, 'listCollections', 'filter');
  let infos = context.catalog.collectionsOf(context.dbName).map(collectionInfo);
  if (filter) {
    try {
      const query = new Query(filter);
      infos = infos.filter((info) => query.test(info));
    } catch (err) {
      throw asCommandError(err);
    }
  }
  if (booleanArg(body, 'nameOnly')) infos = infos.map(({ name, type }) => ({ name, type }));
  const cursorOptions = isPlainDocument(body.cursor) ? body.cursor : {};
  return context.cursors.open(`${context.dbName}.$cmd.listCollections`, infos, {
    batchSize: typeof cursorOptions.batchSize === 'number' ? cursorOptions.batchSize : undefined,
  });
};

const listDatabases: CommandHandler = (body, context) => {
  let databases = [...context.catalog.databases.keys()].map((name) => {
    const size = context.catalog.collectionsOf(name).reduce((sum, c) => sum + c.dataSize, 0);
    return { name, sizeOnDisk: size, empty: size === 0 };
  });
  const filter = documentArg(body, 'listDatabases', 'filter');
  if (filter) {
    const query = new Query(filter);
    databases = databases.filter((db) => query.test(db));
  }
  if (booleanArg(body, 'nameOnly')) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  const totalSize = databases.reduce((sum, db) => sum + db.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)), ok: 1 };
};

const collStats: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'collStats');
  const collection = context.catalog.collection(context.dbName, name);
  if (!collection) {
    throw new CommandError(ErrorCode.NamespaceNotFound, `Collection [${context.dbName}.${name}] not found.`);
  }
  const size = collection.dataSize;
  const count = collection.size;
  const indexSizes: Document = {};
  for (const spec of collection.indexSpecs) indexSizes[spec.name] = 0;
  return {
    ns: collection.namespace,
    size,
    count,
    avgObjSize: count === 0 ? 0 : Math.round(size / count),
    storageSize: collection.storageSize,
    capped: false,
    nindexes: collection.indexSpecs.length,
    indexSizes,
    totalIndexSize: 0,
    totalSize: collection.storageSize,
    ok: 1,
  };
};

const dbStats: CommandHandler = (_body, context) => {
  const collections = context.catalog.collectionsOf(context.dbName);
  const objects = collections.reduce((sum, c) => sum + c.size, 0);
  const size = collections.reduce((sum, c) => sum + c.dataSize, 0);
  const storageSize = collections.reduce((sum, c) => sum + c.storageSize, 0);
  return {
    db: context.dbName,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects === 0 ? 0 : size / objects,
    dataSize: size,
    storageSize,
    indexes: collections.reduce((sum, c) => sum + c.indexSpecs.length, 0),
    indexSize: 0,
    totalSize: storageSize,
    scaleFactor: 1,
    ok: 1,
  };
};

function splitNamespace(ns: unknown, field: string): [string, string] {
  const dot = typeof ns === 'string' ? ns.indexOf('.') : -1;
  if (typeof ns !== 'string' || dot <= 0) {
    throw new CommandError(
      ErrorCode.InvalidNamespace,
      `Invalid namespace specified '${String(ns)}' for ${field}`,
    );
  }
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

/** renameCollection runs against `admin` with full namespaces, like the server. */
const renameCollection: CommandHandler = (body, context) => {
  const [fromDb, from] = splitNamespace(body.renameCollection, 'renameCollection');
  const [toDb, to] = splitNamespace(body.to, 'to');
  if (!context.catalog.collection(fromDb, from)) {
    throw new CommandError(
      ErrorCode.NamespaceNotFound,
      'Source collection ' + `${fromDb}.${from} does not exist`,
    );
  }
  if (context.catalog.collection(toDb, to)) {
    if (!booleanArg(body, 'dropTarget'))
      throw new CommandError(ErrorCode.NamespaceExists, 'target namespace exists');
    context.catalog.dropCollection(toDb, to);
  }
  context.catalog.renameCollection(fromDb, from, toDb, to);
  return { ok: 1 };
};

/** collMod: validator changes and TTL changes on an existing index. */
const collMod: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'collMod');
  const collection = context.catalog.collection(context.dbName, name);
  if (!collection)
    throw new CommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${context.dbName}.${name}`);
  checkValidatorSupported(body.validator);
  for (const option of ['validator', 'validationLevel', 'validationAction']) {
    if (body[option] !== undefined) collection.options = { ...collection.options, [option]: body[option] };
  }
  const index = documentArg(body, 'collMod', 'index');
  if (index) {
    const target = [...collection.indexes.values()].find((candidate) => candidate.name === index.name);
    if (!target) throw new CommandError(ErrorCode.IndexNotFound, `cannot find index ${String(index.name)}`);
    if (typeof index.expireAfterSeconds === 'number')
      target.spec.expireAfterSeconds = index.expireAfterSeconds;
  }
  return { ok: 1 };
};

export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  collStats,
  dbStats,
  renameCollection,
  collMod,
};
