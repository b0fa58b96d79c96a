import { topSorted } from './top-sorted.js';
import { Aggregator, Query } from 'mingo';
import type { Query as FilterQuery } from 'mingo/query';
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { compileFastFilter } from './fast-filter.js';
import { newFilterQuery } from './filter-query.js';
import { planCandidates } from './query-planner.js';
import type { QueryPlan } from './query-planner.js';
import { isPlainDocument } from '../storage/value-keys.js';

export interface FindOptions {
  filter?: Document;
  sort?: Document;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
  projection?: Document;
  /** Values for `$$name` references in `$expr` (the command's `let`). */
  variables?: Document;
}

export interface FindResult {
  docs: Document[];
  plan: QueryPlan;
  docsExamined: number;
}

/** Compiles a filter, turning the query engine's complaints into the server's BadValue errors. */
export function compileFilter(filter: unknown, variables?: Document): FilterQuery {
  if (filter !== undefined && filter !== null && !isPlainDocument(filter)) {
    throw new CommandError(ErrorCode.TypeMismatch, 'filter must be an object');
  }
  assertSupportedOperators(filter ?? {});
  try {
    return newFilterQuery((filter ?? {}) as Document, variables);
  } catch (err) {
    throw asCommandError(err, ErrorCode.BadValue);
  }
}

const matchAll = { test: () => true };

/** The check left after the index lookup; nothing at all when the index decided the whole filter. */
export function residualQuery(
  residual: Document | undefined,
  variables?: Document,
): Pick<FilterQuery, 'test'> {
  if (residual === undefined) return matchAll;
  return (variables ? null : fastFilterQuery(residual)) ?? compileFilter(residual, variables);
}

/**
 * A filter decided by plain comparisons (`fast-filter.ts`), the query engine deciding the documents they
 * leave open; null when the filter has anything the fast filters do not know. The engine compiles the filter
 * only when a document first needs it: the fast filters compile only known operators with well-formed
 * operands (an `$in` of an array, a non-empty `$or`…), which the engine accepts too, so no bad filter is let
 * through. An update statement's filter is compiled for one document; the engine's compile was most of it.
 */
export function fastFilterQuery(filter: Document): Pick<FilterQuery, 'test'> | null {
  const fast = compileFastFilter(filter);
  if (!fast) return null;
  let general: FilterQuery | undefined;
  return { test: (doc: Document) => fast(doc) ?? (general ??= compileFilter(filter)).test(doc) };
}

/** Operators that need server features this store does not have; fail loudly instead of silently. */
const UNSUPPORTED_QUERY_OPERATORS = new Set([
  '$text',
  '$near',
  '$nearSphere',
  '$geoWithin',
  '$geoIntersects',
]);

function assertSupportedOperators(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) assertSupportedOperators(item);
    return;
  }
  if (!isPlainDocument(value)) return;
  for (const [key, nested] of Object.entries(value)) {
    if (UNSUPPORTED_QUERY_OPERATORS.has(key)) {
      throw new CommandError(ErrorCode.NotImplemented, `${key} is not supported by the embedded store`);
    }
    assertSupportedOperators(nested);
  }
}

/** Enough documents beyond what a limited query keeps that selecting the first few beats sorting them all. */
const TOP_SELECTION_MIN = 1_000;

/** `docs` in `sort` order; with `keep` > 0 only the first `keep` of them are needed (the rest may be left off). */
export function sortDocuments(docs: Document[], sort: Document | undefined, keep = 0): Document[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  if ('$natural' in sort) return sort.$natural === -1 ? [...docs].reverse() : docs;
  for (const [field, direction] of Object.entries(sort)) {
    if (direction !== 1 && direction !== -1) {
      if (isPlainDocument(direction) && '$meta' in direction) {
        throw new CommandError(ErrorCode.NotImplemented, '$meta sort is not supported by the embedded store');
      }
      throw new CommandError(
        ErrorCode.BadValue,
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
    }
    if (field.length === 0)
      throw new CommandError(ErrorCode.BadValue, 'FieldPath cannot be constructed with empty string');
  }
  if (keep > 0 && docs.length >= TOP_SELECTION_MIN && docs.length > 4 * keep) {
    const top = topSorted(docs, sort, keep);
    if (top) return top;
  }
  try {
    return new Aggregator([{ $sort: sort }]).run(docs) as Document[];
  } catch (err) {
    throw asCommandError(err);
  }
}

/**
 * Runs a query: candidates from the planner, the full filter on each, then sort, skip, limit and
 * projection. Returned documents are the stored objects (or projections of them); callers only
 * serialize them, and stored objects are never mutated, so no copy is needed here.
 */
export function findDocuments(collection: Collection | undefined, options: FindOptions): FindResult {
  if (!collection) {
    compileFilter(options.filter, options.variables);
    return { docs: [], plan: { stage: 'EOF' }, docsExamined: 0 };
  }
  if (options.filter !== undefined && !isPlainDocument(options.filter)) compileFilter(options.filter);
  const { plan, candidates, residualFilter } = planCandidates(collection, options.filter ?? {}, options.sort);
  // Clauses the index decided are valid by construction; compiling the rest validates the filter.
  const query = residualQuery(residualFilter, options.variables);
  let docsExamined = 0;
  let matched: Document[] = [];
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  const inOrder = 'sortedBy' in plan && plan.sortedBy !== undefined;
  const unsorted = !options.sort || Object.keys(options.sort).length === 0 || inOrder;
  // Without a sort (or with candidates already in its order) the scan can stop once skip + limit matched.
  const stopAt = unsorted && limit > 0 ? skip + limit : Infinity;
  try {
    for (const doc of candidates) {
      docsExamined += 1;
      if (query.test(doc)) {
        matched.push(doc);
        if (matched.length >= stopAt) break;
      }
    }
  } catch (err) {
    throw asCommandError(err);
  }
  if (!inOrder) matched = sortDocuments(matched, options.sort, limit > 0 ? skip + limit : 0);
  if (skip > 0 || limit > 0) matched = matched.slice(skip, limit > 0 ? skip + limit : undefined);
  if (options.projection && Object.keys(options.projection).length > 0) {
    matched = projectDocuments(matched, options.projection, options.filter ?? {});
  }
  return { docs: matched, plan, docsExamined };
}

/**
 * A query with no condition, made once: building a query copies every operator table of the engine,
 * which cost more than projecting a document. It holds no per-use state (a projection works on its
 * own copy of the query's options), so one instance serves every projection.
 */
let matchEverything: Query | undefined;

/**
 * Applies a find projection: a plain one (top-level fields, each included or excluded) directly, any other
 * with the query engine.
 */
export function projectDocuments(docs: Document[], projection: Document, filter: Document): Document[] {
  const plain = plainProjection(projection);
  return plain ? docs.map(plain) : projectWithEngine(docs, projection, filter);
}

/**
 * A projection of top-level fields only, each `1`/`true` or `0`/`false` (`_id` excluded or not in either
 * kind), compiled to a copy of the fields it keeps in the document's order, as the server returns them;
 * null for anything else (dotted paths, operators, expressions, a mix the server refuses), which the query
 * engine projects. An outbox relay reading `{ message: 1 }` of 200 events spent most of its read in the
 * engine's pipeline.
 */
export function plainProjection(projection: Document): ((doc: Document) => Document) | null {
  if (Object.keys(projection).length === 0) return null;
  let includeId = true;
  const named = new Set<string>();
  let inclusion: boolean | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (value !== 1 && value !== 0 && value !== true && value !== false) return null;
    const include = value === 1 || value === true;
    if (field === '_id') {
      includeId = include;
      continue;
    }
    if (field === '' || field.includes('.') || field.startsWith('$')) return null;
    if (inclusion === undefined) inclusion = include;
    else if (inclusion !== include) return null;
    named.add(field);
  }
  // `_id` named as kept beside excluded fields: the engine refuses that mix; left to it.
  if (inclusion === false && (projection._id === 1 || projection._id === true)) return null;
  // Only `_id` named: `{ _id: 0 }` leaves the rest, `{ _id: 1 }` keeps only it.
  const keeps = inclusion ?? !includeId;
  return (doc) => {
    const out: Document = {};
    for (const field of Object.keys(doc)) {
      const kept =
        field === '_id' ? includeId : inclusion === undefined ? keeps : named.has(field) === inclusion;
      if (kept && doc[field] !== undefined) out[field] = doc[field];
    }
    return out;
  };
}

/**
 * Applies a find projection with the query engine, then restores the source's top-level field
 * order, which the engine does not keep. The filter is only consulted for the positional `$`
 * projection; documents that no longer match it (e.g. after an update) are projected without it.
 */
export function projectWithEngine(docs: Document[], projection: Document, filter: Document): Document[] {
  const positional = Object.keys(projection).some((key) => key.endsWith('.$'));
  const plain = (matchEverything ??= new Query({}));
  const withFilter = positional ? new Query(filter) : plain;
  try {
    return docs.map((doc) => {
      const query = withFilter.test(doc) ? withFilter : plain;
      const [projected] = query.find([doc], projection).all() as Document[];
      return orderLike(doc, projected ?? {});
    });
  } catch (err) {
    throw asCommandError(err);
  }
}

function orderLike(source: Document, projected: Document): Document {
  const ordered: Document = {};
  for (const key of Object.keys(source)) if (key in projected) ordered[key] = projected[key];
  for (const key of Object.keys(projected)) if (!(key in ordered)) ordered[key] = projected[key];
  return ordered;
}
