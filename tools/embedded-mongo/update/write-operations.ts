import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import { idKeyOf } from '../storage/collection.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { compileFilter, residualQuery } from '../query/find-documents.js';
import { planCandidates } from '../query/query-planner.js';
import {
  buildUpsertDocument,
  compileUpdate,
  isOperatorUpdate,
  isPipelineUpdate,
  validateUpdate,
} from './update-document.js';
import type { UpdateSpec } from './update-document.js';
import { assertValid } from '../storage/document-validation.js';
import { isPlainDocument } from '../storage/value-keys.js';

/** The documents matching `filter`, in natural order; stops after the first when `justOne`. */
export function matchingDocuments(collection: Collection, filter: Document, justOne: boolean): Document[] {
  if (!isPlainDocument(filter)) compileFilter(filter);
  const { candidates, residualFilter } = planCandidates(collection, filter);
  const query = residualQuery(residualFilter);
  const out: Document[] = [];
  for (const doc of candidates) {
    if (query.test(doc)) {
      out.push(doc);
      if (justOne) break;
    }
  }
  return out;
}

export interface UpdateStatement {
  q: Document;
  u: UpdateSpec;
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
}

export function checkUpdateStatement(statement: UpdateStatement): void {
  validateUpdate(statement.u);
  if (statement.multi && !isOperatorUpdate(statement.u) && !isPipelineUpdate(statement.u)) {
    throw new CommandError(
      ErrorCode.FailedToParse,
      'multi update is not supported for replacement-style update',
    );
  }
}

/** One update statement. Documents are matched first, then rewritten, so a multi update sees each once. */
export function runUpdate(
  catalog: Catalog,
  dbName: string,
  collName: string,
  statement: UpdateStatement,
  bypassValidation = false,
): UpdateOutcome {
  checkUpdateStatement(statement);
  const filter = statement.q ?? {};
  const existing = catalog.collection(dbName, collName);
  const matches = existing ? matchingDocuments(existing, filter, !statement.multi) : [];
  if (existing && matches.length > 0) {
    let modified = 0;
    const update = compileUpdate(statement.u, statement.arrayFilters);
    for (const doc of matches) {
      const applied = update(doc, { filter, inserting: false });
      if (!applied.modified) continue;
      assertValid(existing, applied.doc, { bypass: bypassValidation, previous: doc });
      existing.replace(idKeyOf(doc._id), applied.doc, { owned: true, base: doc });
      modified += 1;
    }
    return { matched: matches.length, modified };
  }
  if (!statement.upsert) return { matched: 0, modified: 0 };
  const collection = catalog.ensureCollection(dbName, collName);
  const inserted = insertDocument(
    collection,
    buildUpsertDocument(filter, statement.u, statement.arrayFilters),
    bypassValidation,
    true,
  );
  return { matched: 0, modified: 0, upsertedId: inserted._id };
}

/** `owned`: `doc` was built for this insert (an upsert's new document) and is stored without a copy. */
export function insertDocument(
  collection: Collection,
  doc: Document,
  bypassValidation = false,
  owned = false,
): Document {
  assertValid(collection, doc, { bypass: bypassValidation });
  return collection.insert(doc, { owned });
}

export function runDelete(collection: Collection | undefined, filter: Document, justOne: boolean): number {
  if (!collection) {
    compileFilter(filter);
    return 0;
  }
  const matches = matchingDocuments(collection, filter, justOne);
  for (const doc of matches) collection.remove(idKeyOf(doc._id));
  return matches.length;
}
