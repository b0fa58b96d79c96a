import { ObjectId, UUID } from 'bson';
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { CollectionIndex } from './collection-index.js';
import type { DocumentKeys, IndexSpec } from './collection-index.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { copyDocument } from './document-copy.js';
import { encodeValue } from './value-keys.js';

export const ID_INDEX_NAME = '_id_';
export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME };

/** Marks an index whose keys an update leaves as they were. */
const UNCHANGED = Symbol('unchanged keys');

/** Renders a key value the way the server's duplicate-key message does: `{ email: "a@b.c" }`. */
function describeKey(keyValue: Document): string {
  const parts = Object.entries(keyValue).map(([field, value]) => `${field}: ${formatValue(value)}`);
  return `{ ${parts.join(', ')} }`;
}

function formatValue(value: unknown): string {
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

export interface StoreOptions {
  /**
   * The caller hands over a document nothing else refers to (e.g. the result of an update), so it is
   * stored as is instead of copied. It may share parts with other stored documents: those are never
   * mutated either.
   */
  owned?: boolean;
}

/**
 * One collection: documents in insertion order keyed by the encoding of their `_id` (that map is
 * the `_id_` index), plus secondary indexes. Every mutation checks all unique rules before touching
 * anything, so a failed write leaves no partial index state behind.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, CollectionIndex>();
  readonly uuid = new UUID();
  /** The `_id` values in the server's order, built when a range or sort on `_id` first needs it. */
  private idOrder: unknown[] | undefined;

  constructor(
    readonly dbName: string,
    public name: string,
    public options: Document = {},
  ) {}

  get namespace(): string {
    return `${this.dbName}.${this.name}`;
  }

  get indexSpecs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  private duplicateKeyError(indexName: string, keyPattern: Document, keyValue: Document): CommandError {
    return new CommandError(
      ErrorCode.DuplicateKey,
      `E11000 duplicate key error collection: ${this.namespace} index: ${indexName} dup key: ${describeKey(keyValue)}`,
      { keyPattern, keyValue },
    );
  }

  /**
   * Computes the document's keys for every index, throwing the duplicate-key error it would cause;
   * `self` is the stored document being replaced. The keys are returned so they are computed once.
   */
  private keysChecked(
    doc: Document,
    self: Document | undefined,
  ): Array<[CollectionIndex, DocumentKeys | typeof UNCHANGED | undefined]> {
    const out: Array<[CollectionIndex, DocumentKeys | typeof UNCHANGED | undefined]> = [];
    for (const index of this.indexes.values()) {
      // The document keeps the keys it has (and so cannot collide with another): nothing to compute.
      if (self && index.keysUnchanged(self, doc)) {
        out.push([index, UNCHANGED]);
        continue;
      }
      const keys = index.keysOf(doc);
      const keyValue = index.findConflict(doc, self, keys);
      if (keyValue) throw this.duplicateKeyError(index.name, { ...index.spec.key }, keyValue);
      out.push([index, keys]);
    }
    return out;
  }

  /** Inserts a copy of `doc` (an `_id` is generated when missing) and returns the stored document. */
  insert(input: Document, options: StoreOptions = {}): Document {
    const doc = withIdFirst(input);
    const id = idKeyOf(doc._id);
    if (this.docs.has(id)) throw this.duplicateKeyError(ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
    const keys = this.keysChecked(doc, undefined);
    const stored = options.owned ? doc : copyDocument(doc);
    for (const [index, indexKeys] of keys) if (indexKeys !== UNCHANGED) index.add(stored, indexKeys);
    this.docs.set(id, stored);
    this.idOrder = undefined;
    return stored;
  }

  /** Replaces the document stored under `id` with a copy of `next` (same `_id`). */
  replace(id: string, next: Document, options: StoreOptions = {}): Document {
    const previous = this.docs.get(id);
    if (!previous) throw new CommandError(ErrorCode.InternalError, 'document vanished during update');
    const keys = this.keysChecked(next, previous);
    const stored = options.owned ? next : copyDocument(next);
    for (const [index, indexKeys] of keys) {
      if (indexKeys === UNCHANGED) {
        index.swap(previous, stored);
        continue;
      }
      index.remove(previous);
      index.add(stored, indexKeys);
    }
    this.docs.set(id, stored);
    return stored;
  }

  remove(id: string): Document | undefined {
    const previous = this.docs.get(id);
    if (!previous) return undefined;
    for (const index of this.indexes.values()) index.remove(previous);
    this.docs.delete(id);
    this.idOrder = undefined;
    return previous;
  }

  removeAll(): void {
    this.docs.clear();
    this.idOrder = undefined;
    for (const index of this.indexes.values()) index.clear();
  }

  /**
   * Every `_id` in ascending order (the `_id` index read in order). Sorted again only after an insert or
   * a removal; updates keep their `_id`, so a collection that is mostly updated keeps its order.
   */
  orderedIds(): readonly unknown[] {
    if (!this.idOrder) {
      const ids = [...this.docs.values()].map((doc) => doc._id as unknown);
      this.idOrder = ids.every((id) => typeof id === 'string')
        ? (ids as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        : ids.sort(compare);
    }
    return this.idOrder;
  }

  /** Builds a new index over the existing documents; fails without side effects on a duplicate. */
  createIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec);
    for (const doc of this.docs.values()) {
      const keyValue = index.findConflict(doc, doc);
      if (keyValue) throw this.duplicateKeyError(spec.name, { ...spec.key }, keyValue);
      index.add(doc);
    }
    this.indexes.set(spec.name, index);
  }
}

/** The `_id` key of the primary map. */
export function idKeyOf(id: unknown): string {
  return encodeValue(id);
}

/** MongoDB stores `_id` as the first field and generates an ObjectId when the client sent none. */
function withIdFirst(doc: Document): Document {
  if (Array.isArray(doc._id)) {
    throw new CommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type array");
  }
  if (doc._id instanceof RegExp) {
    throw new CommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type regex");
  }
  if (doc._id !== undefined && Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
