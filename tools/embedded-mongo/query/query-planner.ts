import { compare } from 'mingo/util';
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import type { CollectionIndex } from '../storage/collection-index.js';
import { encodeValue, isPlainDocument } from '../storage/value-keys.js';

/** How candidates were gathered; mirrors the stage names of the server's explain output. */
export type QueryPlan =
  | { stage: 'COLLSCAN' | 'EOF' }
  | { stage: 'IDHACK' | 'IXSCAN'; indexName: string; keyPattern: Document; keysExamined: number };

export interface PlannedCandidates {
  plan: QueryPlan;
  /** Documents that may match. */
  candidates: Iterable<Document>;
  /**
   * What remains to be checked on each candidate: the filter without the top-level clauses the
   * index lookup already decided (key equality is MongoDB equality), or undefined when nothing remains.
   */
  residualFilter: Document | undefined;
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
): Document | undefined {
  const residual: Document = { ...filter };
  for (const field of decided) if (constraints.get(field)?.decidable) delete residual[field];
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

function chooseIndex(collection: Collection, constraints: Map<string, Constraint>): IndexChoice | undefined {
  let best: IndexChoice | undefined;
  for (const index of collection.indexes.values()) {
    if (!index.coversAllDocuments) continue;
    const perField: string[][] = [];
    let combinations = 1;
    for (const field of index.fieldNames) {
      const keys = constraints.get(field)?.keys;
      if (!keys || combinations * keys.length > MAX_KEY_COMBINATIONS) break;
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

/** Picks `_id`, then the secondary index with the longest equality-constrained prefix, else a scan. */
export function planCandidates(collection: Collection, filter: Document): PlannedCandidates {
  const constraints = equalityConstraints(filter);
  const idKeys = constraints.get('_id')?.keys;
  if (idKeys) {
    const candidates: Document[] = [];
    for (const key of idKeys) {
      const doc = collection.docs.get(key);
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
  const choice = chooseIndex(collection, constraints);
  if (!choice) {
    return { plan: { stage: 'COLLSCAN' }, candidates: collection.docs.values(), residualFilter: filter };
  }
  // A multikey document can sit under several of the looked-up keys; collect each once.
  let candidates: Document[] | Set<Document>;
  if (choice.index.multikey && choice.keys.length > 1) {
    const unique = new Set<Document>();
    for (const key of choice.keys) choice.index.lookup(choice.prefixLength, key, (doc) => unique.add(doc));
    candidates = unique;
  } else {
    const list: Document[] = [];
    for (const key of choice.keys) choice.index.lookup(choice.prefixLength, key, (doc) => list.push(doc));
    candidates = list;
  }
  return {
    plan: {
      stage: 'IXSCAN',
      indexName: choice.index.name,
      keyPattern: { ...choice.index.spec.key },
      keysExamined: choice.keys.length,
    },
    candidates,
    residualFilter: residualOf(filter, constraints, choice.index.fieldNames.slice(0, choice.prefixLength)),
  };
}
