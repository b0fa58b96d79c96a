import type { Document } from 'bson';
import { asCommandError } from '../command-error.js';
import { runDelete, runUpdate, insertDocument } from '../update/write-operations.js';
import type { UpdateStatement } from '../update/write-operations.js';
import {
  assertSimpleCollation,
  booleanArg,
  collectionNameArg,
  documentArrayArg,
} from './command-arguments.js';
import type { CommandContext, CommandHandler } from './command-context.js';

/**
 * Runs the statements of a write command. Ordered writes stop at the first failure; unordered ones
 * carry on. Failures become `writeErrors` entries (duplicate keys carry keyPattern/keyValue) while
 * the command itself answers ok: 1, as the server does.
 */
function runStatements<T>(
  statements: T[],
  ordered: boolean,
  run: (statement: T, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i += 1) {
    try {
      run(statements[i], i);
    } catch (err) {
      writeErrors.push(asCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Document, writeErrors: Document[]): Document {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

const insert: CommandHandler = (body, context: CommandContext) => {
  const name = collectionNameArg(body, 'insert');
  const documents = documentArrayArg(body, 'insert', 'documents');
  const collection = context.catalog.ensureCollection(context.dbName, name);
  let n = 0;
  const writeErrors = runStatements(documents, body.ordered !== false, (doc) => {
    insertDocument(collection, doc, booleanArg(body, 'bypassDocumentValidation'));
    n += 1;
  });
  context.stats.opcounters.insert += documents.length;
  return withWriteErrors({ n, ok: 1 }, writeErrors);
};

const update: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'update');
  const statements = documentArrayArg(body, 'update', 'updates') as UpdateStatement[];
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runStatements(statements, body.ordered !== false, (statement, index) => {
    assertSimpleCollation(statement);
    const outcome = runUpdate(
      context.catalog,
      context.dbName,
      name,
      statement,
      booleanArg(body, 'bypassDocumentValidation'),
    );
    n += outcome.matched;
    nModified += outcome.modified;
    if (outcome.upsertedId !== undefined) {
      n += 1;
      upserted.push({ index, _id: outcome.upsertedId });
    }
  });
  context.stats.opcounters.update += statements.length;
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, writeErrors);
};

const remove: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'delete');
  const statements = documentArrayArg(body, 'delete', 'deletes');
  let n = 0;
  const writeErrors = runStatements(statements, body.ordered !== false, (statement) => {
    assertSimpleCollation(statement);
    const collection = context.catalog.collection(context.dbName, name);
    n += runDelete(collection, (statement.q as Document) ?? {}, statement.limit === 1);
  });
  context.stats.opcounters.delete += statements.length;
  return withWriteErrors({ n, ok: 1 }, writeErrors);
};

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
