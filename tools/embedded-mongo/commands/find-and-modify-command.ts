import type { Document } from 'bson';
import { idKeyOf } from '../storage/collection.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { findDocuments, projectDocuments } from '../query/find-documents.js';
import { applyUpdate, buildUpsertDocument } from '../update/update-document.js';
import type { UpdateSpec } from '../update/update-document.js';
import { checkUpdateStatement, insertDocument } from '../update/write-operations.js';
import { assertValid } from '../storage/document-validation.js';
import { assertSimpleCollation, booleanArg, collectionNameArg, documentArg } from './command-arguments.js';
import type { CommandHandler } from './command-context.js';

function readArguments(body: Document) {
  const remove = booleanArg(body, 'remove');
  const update = body.update as UpdateSpec | undefined;
  const returnNew = booleanArg(body, 'new');
  if (remove && update !== undefined) {
    throw new CommandError(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
  }
  if (!remove && update === undefined) {
    throw new CommandError(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
  }
  if (remove && returnNew)
    throw new CommandError(ErrorCode.FailedToParse, 'Cannot specify both new=true and remove=true');
  if (remove && booleanArg(body, 'upsert')) {
    throw new CommandError(ErrorCode.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  }
  assertSimpleCollation(body);
  return {
    filter: documentArg(body, 'findAndModify', 'query') ?? {},
    sort: documentArg(body, 'findAndModify', 'sort'),
    projection: documentArg(body, 'findAndModify', 'fields'),
    arrayFilters: body.arrayFilters as Document[] | undefined,
    remove,
    update,
    returnNew,
    upsert: booleanArg(body, 'upsert'),
    bypassValidation: booleanArg(body, 'bypassDocumentValidation'),
  };
}

/** findAndModify: one document, atomically found and removed / updated / upserted. */
const findAndModify: CommandHandler = (body, context) => {
  const name = collectionNameArg(body, 'findAndModify');
  const args = readArguments(body);
  if (args.update !== undefined)
    checkUpdateStatement({ q: args.filter, u: args.update, upsert: args.upsert });
  const shape = (doc: Document | null): Document | null => {
    if (!doc || !args.projection || Object.keys(args.projection).length === 0) return doc;
    return projectDocuments([doc], args.projection, args.filter)[0] ?? null;
  };
  const existing = context.catalog.collection(context.dbName, name);
  const [target] = findDocuments(existing, { filter: args.filter, sort: args.sort, limit: 1 }).docs;

  if (args.remove) {
    if (!existing || !target) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    existing.remove(idKeyOf(target._id));
    context.stats.opcounters.delete += 1;
    return { lastErrorObject: { n: 1 }, value: shape(target), ok: 1 };
  }

  const update = args.update as UpdateSpec;
  context.stats.opcounters.update += 1;
  if (existing && target) {
    const applied = applyUpdate(target, update, {
      filter: args.filter,
      arrayFilters: args.arrayFilters,
      inserting: false,
    });
    let after = target;
    if (applied.modified) {
      assertValid(existing, applied.doc, { bypass: args.bypassValidation, previous: target });
      after = existing.replace(idKeyOf(target._id), applied.doc, { owned: true, base: target });
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shape(args.returnNew ? after : target),
      ok: 1,
    };
  }
  if (!args.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const collection = existing ?? context.catalog.ensureCollection(context.dbName, name);
  const inserted = insertDocument(
    collection,
    buildUpsertDocument(args.filter, update, args.arrayFilters),
    args.bypassValidation,
    true,
  );
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
    value: args.returnNew ? shape(inserted) : null,
    ok: 1,
  };
};

export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify,
  findandmodify: findAndModify,
};
