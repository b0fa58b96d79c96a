import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import {
  EMPTY_ARRAY,
  MISSING,
  encodeIndexedValue,
  flatKey,
  isPlainDocument,
  valuesAtPath,
} from './value-keys.js';
import type { IndexedValue } from './value-keys.js';
import type { StoredDocument } from './stored-document.js';
import { OrderedKeys } from './ordered-keys.js';

/** An index as clients describe it (`createIndexes` / `listIndexes`). */
export interface IndexSpec extends Document {
  v?: number;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** The keys one document contributes to an index, with the values behind them for error messages. */
export interface DocumentKeys {
  /** Encoded keys for each prefix length: prefixes[0] covers the first field, the last covers all fields. */
  prefixes: Array<Set<string>>;
  /** Raw field values of each full key, keyed by its encoding. */
  values: Map<string, IndexedValue[]>;
}

/**
 * The documents under one key. Postings hold the stored records themselves (replaced together with
 * the document on every write), so a lookup needs no second hop through the `_id` map. A single record
 * is kept unboxed because most keys of most indexes have one.
 */
type Postings = StoredDocument | Set<StoredDocument>;

function isSet(postings: Postings): postings is Set<StoredDocument> {
  return postings instanceof Set;
}

/**
 * A secondary index: hash maps from the canonical encoding of the key values to the ids of the
 * documents carrying them. One map per key prefix, so a compound index serves equality lookups on
 * any leading subset of its fields. Array values are indexed per element (multikey).
 */
export class CollectionIndex {
  readonly fieldNames: string[];
  private readonly paths: string[][];
  private readonly prefixMaps: Array<Map<string, Postings>>;
  private readonly partialFilter: Query | undefined;
  /**
   * The top-level fields this index's keys depend on (its key fields and those its partial filter
   * tests), or undefined when the partial filter is too elaborate to tell.
   */
  private readonly inputFields: string[] | undefined;
  /** Set once some document contributed several keys (an array value): lookups must then de-duplicate. */
  multikey = false;
  /** Documents the index holds (a sparse or partial index leaves some out). */
  documentCount = 0;
  /** Range orders by the length of the equality prefix before the ranged field, made on first use. */
  private readonly ordered = new Map<number, OrderedKeys>();

  constructor(readonly spec: IndexSpec) {
    this.fieldNames = Object.keys(spec.key);
    this.paths = this.fieldNames.map((name) => name.split('.'));
    this.prefixMaps = this.fieldNames.map(() => new Map());
    this.partialFilter = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
    const filterFields = spec.partialFilterExpression ? fieldsTested(spec.partialFilterExpression) : [];
    this.inputFields = filterFields && [...new Set([...this.paths.map((path) => path[0]), ...filterFields])];
  }

  /**
   * True when `next` holds the very same values as `previous` in every field the keys depend on, so
   * both have the same keys. Updates share the parts of a document they leave alone with its previous
   * version, so this is an identity check per field rather than a recomputation of the keys.
   */
  keysUnchanged(previous: Document, next: Document): boolean {
    if (!this.inputFields) return false;
    for (const field of this.inputFields) if (previous[field] !== next[field]) return false;
    return true;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  get sparse(): boolean {
    return this.spec.sparse === true;
  }

  /** Keys of `doc`, or undefined when the index leaves the document out (sparse / partial). */
  keysOf(doc: Document): DocumentKeys | undefined {
    if (this.partialFilter && !this.partialFilter.test(doc)) return undefined;
    const perField = this.paths.map((path) => valuesAtPath(doc, path));
    if (this.spec.sparse && perField.every((values) => values.every((v) => v === MISSING))) return undefined;
    const arrayFields = perField.filter((values) => values.length > 1 || values[0] === EMPTY_ARRAY);
    if (arrayFields.length > 1) {
      throw new CommandError(
        ErrorCode.CannotIndexParallelArrays,
        `cannot index parallel arrays [${this.fieldNames.join('] [')}]`,
      );
    }
    const prefixes: Array<Set<string>> = [];
    const values = new Map<string, IndexedValue[]>();
    let combos: Array<{ key: string; values: IndexedValue[] }> = [{ key: '', values: [] }];
    for (let i = 0; i < perField.length; i += 1) {
      const next: Array<{ key: string; values: IndexedValue[] }> = [];
      for (const combo of combos) {
        for (const value of perField[i]) {
          const part = encodeIndexedValue(value);
          next.push({ key: i === 0 ? part : `${combo.key}|${part}`, values: [...combo.values, value] });
        }
      }
      combos = next;
      prefixes.push(new Set(combos.map((combo) => combo.key)));
    }
    for (const combo of combos) values.set(combo.key, combo.values);
    return { prefixes, values };
  }

  /** The first of `keys` (a document's) already held by another record than `self`, with its field values. */
  findConflict(self: StoredDocument | undefined, keys: DocumentKeys | undefined): Document | undefined {
    if (!this.unique || !keys) return undefined;
    const full = this.prefixMaps[this.prefixMaps.length - 1];
    for (const [key, values] of keys.values) {
      const holders = full.get(key);
      if (holders === undefined) continue;
      if (isSet(holders) ? [...holders].some((holder) => holder !== self) : holders !== self) {
        const keyValue: Document = {};
        this.fieldNames.forEach((field, i) => {
          const value = values[i];
          keyValue[field] = value === MISSING ? null : value === EMPTY_ARRAY ? undefined : value;
        });
        return keyValue;
      }
    }
    return undefined;
  }

  add(doc: StoredDocument, keys: DocumentKeys | undefined): void {
    if (!keys) return;
    this.documentCount += 1;
    if (keys.values.size > 1) this.multikey = true;
    for (const ordered of this.ordered.values()) ordered.add(doc, keys.values.values());
    keys.prefixes.forEach((set, i) => {
      const map = this.prefixMaps[i];
      for (const key of set) {
        const holders = map.get(key);
        if (holders === undefined) map.set(flatKey(key), doc);
        else if (!isSet(holders)) {
          if (holders !== doc) map.set(key, new Set([holders, doc]));
        } else holders.add(doc);
      }
    });
  }

  /** Removes the stored record `doc` (by identity) from every key it is under. */
  remove(doc: StoredDocument): void {
    const keys = this.keysOf(doc.doc);
    if (!keys) return;
    this.documentCount -= 1;
    for (const ordered of this.ordered.values()) ordered.remove(doc, keys.values.values());
    this.forEachHeldKey(keys, (map, key, holders) => {
      if (!isSet(holders)) {
        if (holders === doc) map.delete(key);
      } else {
        holders.delete(doc);
        if (holders.size === 1) map.set(key, holders.values().next().value as StoredDocument);
      }
    });
  }

  /** Visits every key of `keys` (at every prefix length) that some document is filed under. */
  private forEachHeldKey(
    keys: DocumentKeys,
    visit: (map: Map<string, Postings>, key: string, holders: Postings) => void,
  ): void {
    keys.prefixes.forEach((set, i) => {
      const map = this.prefixMaps[i];
      for (const key of set) {
        const holders = map.get(key);
        if (holders !== undefined) visit(map, key, holders);
      }
    });
  }

  /** How many documents sit under `key` of the first `prefixLength` fields. */
  count(prefixLength: number, key: string): number {
    const holders = this.prefixMaps[prefixLength - 1].get(key);
    return holders === undefined ? 0 : isSet(holders) ? holders.size : 1;
  }

  /** Every document the index holds, each once. */
  *documents(): Generator<Document> {
    for (const record of this.records()) yield record.doc;
  }

  private *records(): Generator<StoredDocument> {
    const seen = this.multikey ? new Set<StoredDocument>() : undefined;
    for (const holders of this.prefixMaps[0].values()) {
      for (const record of isSet(holders) ? holders : [holders]) {
        if (seen) {
          if (seen.has(record)) continue;
          seen.add(record);
        }
        yield record;
      }
    }
  }

  /**
   * The index's entries ordered by field `prefixLength` (0-based) within each value of the fields before
   * it, for range queries. Built from every document the first time it is asked for (one pass and a sort),
   * then kept current with each write, so only indexes that serve ranges pay for the order.
   */
  orderedBy(prefixLength: number): OrderedKeys {
    let ordered = this.ordered.get(prefixLength);
    if (!ordered) {
      ordered = new OrderedKeys(prefixLength);
      // From the key maps where every key reads back (no document decoded: millions of documents take
      // seconds to decode), else from the documents.
      const groups = prefixLength > 0 ? this.prefixMaps[prefixLength - 1] : undefined;
      const fromKeys = ordered.loadFromKeys(
        this.keyEntries(prefixLength),
        (key) => groups?.has(key) ?? false,
      );
      if (!fromKeys) {
        ordered = new OrderedKeys(prefixLength);
        ordered.load(this.recordsWithKeys());
      }
      this.ordered.set(prefixLength, ordered);
    }
    return ordered;
  }

  /** Each key of the first `prefixLength + 1` fields with its documents, read from the map as it is. */
  private *keyEntries(prefixLength: number): Generator<[string, Iterable<StoredDocument>]> {
    for (const [key, holders] of this.prefixMaps[prefixLength])
      yield [key, isSet(holders) ? holders : [holders]];
  }

  private *recordsWithKeys(): Generator<[StoredDocument, Iterable<IndexedValue[]>]> {
    for (const record of this.records()) {
      const keys = this.keysOf(record.doc);
      if (keys) yield [record, keys.values.values()];
    }
  }

  /** Calls `visit` for each record whose first `prefixLength` key fields encode to `key`. */
  lookup(prefixLength: number, key: string, visit: (record: StoredDocument) => void): void {
    const holders = this.prefixMaps[prefixLength - 1].get(key);
    if (holders === undefined) return;
    if (isSet(holders)) holders.forEach(visit);
    else visit(holders);
  }

  clear(): void {
    for (const map of this.prefixMaps) map.clear();
    this.ordered.clear();
    this.documentCount = 0;
  }

  /** Number of distinct full keys, reported as a rough index size. */
  get keyCount(): number {
    return this.prefixMaps[this.prefixMaps.length - 1].size;
  }
}

/** Top-level fields a partial filter tests: plain field conditions, possibly inside `$and`. */
function fieldsTested(filter: Document): string[] | undefined {
  const out: string[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) {
        const nested = isPlainDocument(part) ? fieldsTested(part) : undefined;
        if (!nested) return undefined;
        out.push(...nested);
      }
    } else if (key.startsWith('$')) {
      return undefined;
    } else {
      out.push(key.split('.')[0]);
    }
  }
  return out;
}
