import { isDeepStrictEqual } from 'node:util';
import { compare } from 'mingo/util';
import type { Document } from 'bson';
import { ID_INDEX_NAME, idKeyOf } from '../storage/collection.js';
import type { Collection } from '../storage/collection.js';
import type { CollectionIndex } from '../storage/collection-index.js';
import type { StoredDocument } from '../storage/stored-document.js';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';
import { rangePointOf } from '../storage/ordered-keys.js';
import type { KeyRange, RangeBound } from '../storage/ordered-keys.js';
import { implies, parseFilter } from './filter-implication.js';
import type { FilterExpression } from './filter-implication.js';

/** How candidates were gathered; mirrors the stage names of the server's explain output. */
export type QueryPlan =
  | { stage: 'COLLSCAN' | 'EOF' | 'RECORD_STORE_FAST_COUNT' }
  | {
      stage: 'IDHACK' | 'IXSCAN';
      indexName: string;
      keyPattern: Document;
      keysExamined: number;
      /** Set when the candidates come in this order (an index read in order), so no sort is needed. */
      sortedBy?: Document;
    };

export interface PlannedCandidates {
  plan: QueryPlan;
  /** Documents that may match. */
  candidates: Iterable<Document>;
  /**
   * What remains to be checked on each candidate: the filter without the top-level clauses the
   * index lookup already decided (key equality is MongoDB equality), or undefined when nothing remains.
   */
  residualFilter: Document | undefined;
  /**
   * How many candidates there are, when known without reading them (an index lookup's records): with no
   * residual filter, the number of matching documents, which a count answers without decoding any (as a
   * server's COUNT_SCAN reads keys only).
   */
  candidateCount?: number;
}

/** Beyond this many key combinations a compound `$in` lookup is not worth it; use a shorter prefix. */
const MAX_KEY_COMBINATIONS = 10_000;

/**
 * Equality constraints usable by a hash index: `field: value`, `field: {$eq: v}`, `field: {$in: [...]}`
 * at top level or inside a top-level `$and`. Each field maps to the encoded keys any match must have.
 * Values whose matching semantics are wider than key equality (regexes, arrays, operator documents)
 * are left to the scan.
 */
interface Constraint {
  keys: string[];
  /** A top-level clause (not inside `$and`) that the lookup decides entirely: dropped once used. */
  decidable: boolean;
}

function equalityConstraints(filter: Document): Map<string, Constraint> {
  const out = new Map<string, Constraint>();
  const visit = (clause: Document, topLevel: boolean) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainDocument(part)) visit(part, false);
        continue;
      }
      if (field.startsWith('$')) continue;
      const found = keysForCondition(condition);
      if (!found) continue;
      const decidable = topLevel && found.exact;
      // Prefer a clause the index decides entirely: it can leave the residual filter.
      if (!out.has(field) || (decidable && !out.get(field)?.decidable))
        out.set(field, { keys: found.keys, decidable });
    }
  };
  visit(filter, true);
  return out;
}

function residualOf(
  filter: Document,
  constraints: Map<string, Constraint>,
  decided: string[],
  index?: CollectionIndex,
): Document | undefined {
  const residual: Document = { ...filter };
  for (const field of decided) if (constraints.get(field)?.decidable) delete residual[field];
  // Every document a partial index holds passes its filter: a clause of the query that is one of the
  // filter's own top-level clauses, the very same condition, is decided by reading the index.
  const partial = index?.spec.partialFilterExpression;
  if (partial) {
    for (const [field, condition] of Object.entries(partial)) {
      if (!field.startsWith('$') && field in residual && isDeepStrictEqual(residual[field], condition))
        delete residual[field];
    }
  }
  return Object.keys(residual).length === 0 ? undefined : residual;
}

function isIndexableValue(value: unknown): boolean {
  if (Array.isArray(value) || value instanceof RegExp) return false;
  if ((value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp') return false;
  if (isPlainDocument(value)) return !Object.keys(value).some((key) => key.startsWith('$'));
  return true;
}

const byPrimitive = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** MongoDB's value order; plain comparison when all values are strings or all are numbers (the usual `$in`). */
function bsonOrder(values: unknown[]): (a: unknown, b: unknown) => number {
  if (
    values.every((value) => typeof value === 'string') ||
    values.every((value) => typeof value === 'number')
  ) {
    return byPrimitive as (a: unknown, b: unknown) => number;
  }
  return compare;
}

/** Keys for one field condition; `exact` when the index lookup decides the whole condition. */
function keysForCondition(condition: unknown): { keys: string[]; exact: boolean } | undefined {
  if (!isPlainDocument(condition) || !Object.keys(condition).some((key) => key.startsWith('$'))) {
    return isIndexableValue(condition) ? { keys: [encodeValue(condition)], exact: true } : undefined;
  }
  // With other operators beside $eq / $in the lookup still narrows, but the clause must be re-checked.
  const exact = Object.keys(condition).length === 1;
  if ('$eq' in condition && isIndexableValue(condition.$eq))
    return { keys: [encodeValue(condition.$eq)], exact };
  if ('$in' in condition && Array.isArray(condition.$in) && condition.$in.every(isIndexableValue)) {
    // Looked up in key order, so results come back in index order like the server's index scan.
    const ordered = [...condition.$in].sort(bsonOrder(condition.$in));
    return { keys: [...new Set(ordered.map((value) => encodeValue(value)))], exact };
  }
  return undefined;
}

function combineKeys(perField: string[][]): string[] {
  let combos = [''];
  perField.forEach((keys, i) => {
    combos = combos.flatMap((prefix) => keys.map((key) => (i === 0 ? key : `${prefix}|${key}`)));
  });
  return combos;
}

interface IndexChoice {
  index: CollectionIndex;
  prefixLength: number;
  keys: string[];
}

const NULL_KEY = encodeValue(null);

/** Parsed partial filters, one per index (an index's spec never changes). */
const partialExpressions = new WeakMap<CollectionIndex, FilterExpression>();

/**
 * Whether an index may answer the query at all: a partial index only when the query implies its filter
 * (the server's rule, see `implies`); every other index always.
 */
function mayServe(index: CollectionIndex, query: () => FilterExpression): boolean {
  const partial = index.spec.partialFilterExpression;
  if (!partial) return true;
  let expression = partialExpressions.get(index);
  if (!expression) partialExpressions.set(index, (expression = parseFilter(partial)));
  return implies(query(), expression);
}

function chooseIndex(
  collection: Collection,
  constraints: Map<string, Constraint>,
  query: () => FilterExpression,
): IndexChoice | undefined {
  let best: IndexChoice | undefined;
  for (const index of collection.indexes.values()) {
    if (!constraints.has(index.fieldNames[0]) || !mayServe(index, query)) continue;
    const perField: string[][] = [];
    let combinations = 1;
    for (const field of index.fieldNames) {
      const keys = constraints.get(field)?.keys;
      if (!keys || combinations * keys.length > MAX_KEY_COMBINATIONS) break;
      // A sparse index leaves out documents missing the field, which an equality to null matches.
      if (index.sparse && keys.includes(NULL_KEY)) break;
      combinations *= keys.length;
      perField.push(index.spec.key[field] === -1 ? [...keys].reverse() : keys);
    }
    if (perField.length === 0) continue;
    const fullMatch = perField.length === index.fieldNames.length;
    const better =
      !best ||
      perField.length > best.prefixLength ||
      (perField.length === best.prefixLength && fullMatch && index.unique);
    if (better) best = { index, prefixLength: perField.length, keys: combineKeys(perField) };
  }
  return best;
}

/** Fields the filter constrains at top level (or in a top-level `$and`), with any operator. */
function constrainedFields(filter: Document, out = new Set<string>()): Set<string> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainDocument(part)) constrainedFields(part, out);
    } else if (!field.startsWith('$')) out.add(field);
  }
  return out;
}

/**
 * A partial index the query implies, with a condition on its first field that is not an equality
 * (`{ guardHeld: true, appliedAt: { $lte: t } }` over `{ appliedAt: 1 }` where `guardHeld: true`): read
 * whole, it holds only the documents of its filter, usually far fewer than the collection.
 */
function choosePartialScan(
  collection: Collection,
  filter: Document,
  query: () => FilterExpression,
): CollectionIndex | undefined {
  let best: CollectionIndex | undefined;
  const fields = constrainedFields(filter);
  for (const index of collection.indexes.values()) {
    if (!index.spec.partialFilterExpression || index.sparse || !fields.has(index.fieldNames[0])) continue;
    if (!mayServe(index, query)) continue;
    if (!best || index.documentCount < best.documentCount) best = index;
  }
  return best;
}

/**
 * The range a field condition asks for: `$gt`/`$gte`/`$lt`/`$lte` with number, string or date bounds of
 * one class, possibly beside other operators (they stay in the residual filter). Undefined otherwise.
 */
function rangeOfCondition(condition: unknown): KeyRange | undefined {
  if (!isPlainDocument(condition)) return undefined;
  let range: KeyRange | undefined;
  for (const [op, value] of Object.entries(condition)) {
    const lower = op === '$gt' || op === '$gte';
    if (!lower && op !== '$lt' && op !== '$lte') continue;
    // Bounds as clients send them; a number class object (Long, Int32) is left to the scan.
    const plain = typeof value === 'number' || typeof value === 'string' || value instanceof Date;
    const point = plain ? rangePointOf(value) : undefined;
    if (point && typeof point.value === 'number' && Number.isNaN(point.value)) return undefined;
    // A bound no range order holds (null, a document, NaN, …) or bounds of two classes: left to other plans.
    if (!point || (range && range.class !== point.class)) return undefined;
    range ??= { class: point.class };
    const bound: RangeBound = { ...point, inclusive: op === '$gte' || op === '$lte' };
    if (lower) range.lower = bound;
    else range.upper = bound;
  }
  return range;
}

/** Range conditions at top level or in a top-level `$and`, by field (the first found for each field). */
function rangeConstraints(filter: Document, out = new Map<string, KeyRange>()): Map<string, KeyRange> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainDocument(part)) rangeConstraints(part, out);
    } else if (!field.startsWith('$') && !out.has(field)) {
      const range = rangeOfCondition(condition);
      if (range) out.set(field, range);
    }
  }
  return out;
}

interface RangeChoice {
  index: CollectionIndex;
  /** Equality-constrained fields before the ranged one. */
  prefixLength: number;
  group: string;
  range: KeyRange;
  estimate: number;
}

/** An equality lookup this selective is kept without looking at ranges (which may build an order). */
const SELECTIVE_ENOUGH = 64;

/**
 * The index read over a range: single equalities on its first fields, then a range on the next one. The
 * one whose slice holds the fewest entries wins.
 */
function chooseRange(
  collection: Collection,
  filter: Document,
  constraints: Map<string, Constraint>,
  query: () => FilterExpression,
): RangeChoice | undefined {
  const ranges = rangeConstraints(filter);
  if (ranges.size === 0) return undefined;
  let best: RangeChoice | undefined;
  for (const index of collection.indexes.values()) {
    const fields = index.fieldNames;
    let prefixLength = 0;
    const prefix: string[] = [];
    while (prefixLength < fields.length - 1) {
      const keys = constraints.get(fields[prefixLength])?.keys;
      if (keys?.length !== 1 || (index.sparse && keys[0] === NULL_KEY)) break;
      prefix.push(keys[0]);
      prefixLength += 1;
    }
    let range = ranges.get(fields[prefixLength]);
    if (!range || !mayServe(index, query)) continue;
    // With arrays, each bound may be met by another element ({ a: [3, -12] } is in { $gte: 1, $lte: 2 }):
    // a multikey index can narrow by one bound only, as on the server.
    if (index.multikey && range.lower && range.upper) range = { class: range.class, lower: range.lower };
    const group = prefix.join('|');
    const estimate = index.orderedBy(prefixLength).estimate(group, range);
    if (!best || estimate < best.estimate) best = { index, prefixLength, group, range, estimate };
  }
  return best;
}

/** The documents of a range choice, each once, gathered before any write can change the order. */
function rangeCandidates(choice: RangeChoice): { plan: QueryPlan; candidates: Document[] } {
  const candidates: Document[] = [];
  let keysExamined = 0;
  const seen = choice.index.multikey ? new Set<StoredDocument>() : undefined;
  choice.index.orderedBy(choice.prefixLength).scan(choice.group, choice.range, (record) => {
    keysExamined += 1;
    if (seen) {
      if (seen.has(record)) return;
      seen.add(record);
    }
    candidates.push(record.doc);
  });
  return {
    plan: {
      stage: 'IXSCAN',
      indexName: choice.index.name,
      keyPattern: { ...choice.index.spec.key },
      keysExamined,
    },
    candidates,
  };
}

function equalityCount(choice: IndexChoice): number {
  let count = 0;
  for (const key of choice.keys) count += choice.index.count(choice.prefixLength, key);
  return count;
}

type Bound = { value: unknown; inclusive: boolean };

/** `_id: { $gt/$gte/$lt/$lte }` at top level: the part of the `_id` order a match can lie in. */
function idRange(filter: Document): { lower?: Bound; upper?: Bound } | undefined {
  const condition = filter._id;
  if (!isPlainDocument(condition)) return undefined;
  const range: { lower?: Bound; upper?: Bound } = {};
  for (const [op, value] of Object.entries(condition)) {
    if (op === '$gt' || op === '$gte') range.lower = { value, inclusive: op === '$gte' };
    else if (op === '$lt' || op === '$lte') range.upper = { value, inclusive: op === '$lte' };
    else return undefined;
  }
  return range;
}

/**
 * How many of the sorted `ids` stand before `value` (binary search in the server's order); ids equal to
 * `value` count as before it when `equalBefore`.
 */
function positionOf(ids: readonly unknown[], value: unknown, equalBefore: boolean): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const cmp = compare(ids[mid], value);
    if (cmp < 0 || (cmp === 0 && equalBefore)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The `_id` index read in order between the bounds of the filter's `_id` range: the plan for a range on
 * `_id` and for any query sorted by `_id` alone (an admin list's pages). The `_id` clause stays in the
 * residual filter, which applies the server's type bracketing.
 */
function idOrderScan(
  collection: Collection,
  range: { lower?: Bound; upper?: Bound },
  direction: 1 | -1,
): { plan: QueryPlan; candidates: Iterable<Document> } {
  const ids = collection.orderedIds();
  const from = range.lower ? positionOf(ids, range.lower.value, !range.lower.inclusive) : 0;
  const to = range.upper ? positionOf(ids, range.upper.value, range.upper.inclusive) : ids.length;
  const plan: QueryPlan & { keysExamined: number } = {
    stage: 'IXSCAN',
    indexName: ID_INDEX_NAME,
    keyPattern: { _id: direction },
    keysExamined: 0,
    sortedBy: { _id: direction },
  };
  function* candidates(): Generator<Document> {
    for (let i = 0; i < to - from; i += 1) {
      const id = ids[direction === 1 ? from + i : to - 1 - i];
      plan.keysExamined += 1;
      const doc = collection.get(idKeyOf(id));
      if (doc) yield doc;
    }
  }
  return { plan, candidates: candidates() };
}

/**
 * The equality choice's group read in the order of the index's next field, when the query sorts by that
 * field alone: the documents come in the sort's order, so a limited query stops after `skip + limit` matches
 * instead of reading and sorting the whole group (the outbox's oldest unpublished events among millions).
 * Only for one key (not `$in`), an index that is neither multikey (an array sorts by its least or greatest
 * element) nor sparse, and a group whose every entry has a place in the order (see `OrderedKeys.inOrder`).
 */
function indexOrderRead(
  choice: IndexChoice,
  sort: Document,
): { plan: QueryPlan; candidates: Iterable<Document> } | undefined {
  const fields = Object.keys(sort);
  const direction = sort[fields[0]];
  const { index, prefixLength } = choice;
  if (fields.length !== 1 || (direction !== 1 && direction !== -1)) return undefined;
  if (choice.keys.length !== 1 || index.multikey || index.sparse) return undefined;
  if (index.fieldNames[prefixLength] !== fields[0]) return undefined;
  const group = choice.keys[0];
  const records = index.orderedBy(prefixLength).inOrder(group, index.count(prefixLength, group), direction);
  if (!records) return undefined;
  const plan: QueryPlan & { keysExamined: number } = {
    stage: 'IXSCAN',
    indexName: index.name,
    keyPattern: { ...index.spec.key },
    keysExamined: 0,
    sortedBy: { [fields[0]]: direction },
  };
  return { plan, candidates: documentsOf(records, () => (plan.keysExamined += 1)) };
}

/** `{ _id: 1 }` or `{ _id: -1 }`: the direction of a sort the `_id` index provides, else undefined. */
function idSortDirection(sort: Document | undefined): 1 | -1 | undefined {
  if (!sort) return undefined;
  const keys = Object.keys(sort);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  return sort._id === 1 || sort._id === -1 ? sort._id : undefined;
}

/**
 * Picks `_id` equality, then the secondary index with the longest equality-constrained prefix (or an
 * implied partial index read whole, when it holds fewer documents), then the `_id` index in order for a
 * range or sort on `_id`, else a collection scan. Partial and sparse indexes are used exactly when the
 * server would use them. `sort` is the query's sort, when it has one.
 */
export function planCandidates(collection: Collection, filter: Document, sort?: Document): PlannedCandidates {
  const planned = plan(collection, filter, sort);
  notePlan(collection.namespace, filter, planned.plan, collection.size);
  return planned;
}

function plan(collection: Collection, filter: Document, sort: Document | undefined): PlannedCandidates {
  const constraints = equalityConstraints(filter);
  const idKeys = constraints.get('_id')?.keys;
  if (idKeys) {
    const candidates: Document[] = [];
    for (const key of idKeys) {
      const doc = collection.get(key);
      if (doc) candidates.push(doc);
    }
    return {
      // The server answers a single `_id` equality with its IDHACK fast path, `$in` with an index scan.
      plan: {
        stage: idKeys.length === 1 ? 'IDHACK' : 'IXSCAN',
        indexName: '_id_',
        keyPattern: { _id: 1 },
        keysExamined: idKeys.length,
      },
      candidates,
      residualFilter: residualOf(filter, constraints, ['_id']),
    };
  }
  let parsed: FilterExpression | undefined;
  const query = () => (parsed ??= parseFilter(filter));
  const choice = chooseIndex(collection, constraints, query);
  const choiceCount = choice ? equalityCount(choice) : Infinity;
  const range =
    choiceCount > SELECTIVE_ENOUGH ? chooseRange(collection, filter, constraints, query) : undefined;
  const partialScan = choosePartialScan(collection, filter, query);
  if (
    range &&
    range.estimate < choiceCount &&
    (!partialScan || range.estimate <= partialScan.documentCount)
  ) {
    // The range clause stays in the residual filter, which applies the server's type bracketing.
    return { ...rangeCandidates(range), residualFilter: filter };
  }
  if (partialScan && (!choice || partialScan.documentCount < choiceCount)) {
    return {
      plan: {
        stage: 'IXSCAN',
        indexName: partialScan.name,
        keyPattern: { ...partialScan.spec.key },
        keysExamined: partialScan.documentCount,
      },
      candidates: partialScan.documents(),
      residualFilter: filter,
    };
  }
  if (!choice) {
    const range = idRange(filter);
    const direction = idSortDirection(sort);
    if (range || direction) {
      const scan = idOrderScan(collection, range ?? {}, direction ?? 1);
      return { ...scan, residualFilter: Object.keys(filter).length === 0 ? undefined : filter };
    }
    return { plan: { stage: 'COLLSCAN' }, candidates: collection.documents(), residualFilter: filter };
  }
  const ordered = sort && choiceCount > SELECTIVE_ENOUGH ? indexOrderRead(choice, sort) : undefined;
  if (ordered) {
    return {
      ...ordered,
      residualFilter: residualOf(filter, constraints, choice.index.fieldNames.slice(0, choice.prefixLength)),
    };
  }
  // A multikey document can sit under several of the looked-up keys; collect each once. The records are
  // gathered now, their documents decoded as the query reads them: a limited query stops early.
  let records: Iterable<StoredDocument>;
  let candidateCount: number;
  if (choice.index.multikey && choice.keys.length > 1) {
    const unique = new Set<StoredDocument>();
    for (const key of choice.keys)
      choice.index.lookup(choice.prefixLength, key, (record) => unique.add(record));
    records = unique;
    candidateCount = unique.size;
  } else {
    const all: StoredDocument[] = [];
    for (const key of choice.keys)
      choice.index.lookup(choice.prefixLength, key, (record) => all.push(record));
    records = all;
    candidateCount = all.length;
  }
  const candidates = documentsOf(records);
  const decided = choice.index.fieldNames.slice(0, choice.prefixLength);
  return {
    plan: {
      stage: 'IXSCAN',
      indexName: choice.index.name,
      keyPattern: { ...choice.index.spec.key },
      keysExamined: choice.keys.length,
    },
    candidates,
    residualFilter: residualOf(filter, constraints, decided, choice.index),
    candidateCount,
  };
}

/**
 * Each record's document, decoded when it is reached (callers read candidates before writing any);
 * `onEach` hears of every record read (an index read counts its keys examined).
 */
function* documentsOf(records: Iterable<StoredDocument>, onEach?: () => void): Generator<Document> {
  for (const record of records) {
    onEach?.();
    yield record.doc;
  }
}

/** One plan the planner made while a traced command ran. */
export interface TracedPlan {
  namespace: string;
  filter: Document;
  plan: QueryPlan;
  /** Documents in the collection when planned: what a collection scan examines. */
  collectionSize: number;
}

let current: TracedPlan[] | undefined;

/**
 * Runs `command` and returns the plans the planner made for it, in order (a command runs synchronously
 * from start to finish, so every plan made meanwhile is its own). Used by the profiler; costs nothing
 * when no trace is open.
 */
export function tracePlans<T>(command: () => T): { result: T; plans: TracedPlan[] } {
  const outer = current;
  const plans: TracedPlan[] = [];
  current = plans;
  try {
    return { result: command(), plans };
  } finally {
    current = outer;
  }
}

export function notePlan(namespace: string, filter: Document, plan: QueryPlan, collectionSize: number): void {
  current?.push({ namespace, filter, plan, collectionSize });
}
