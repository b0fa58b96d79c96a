import { ObjectId, UUID } from 'bson';
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { CollectionIndex } from './collection-index.js';
import type { DocumentKeys, IndexSpec } from './collection-index.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { NOT_DECODED, decodeIdKey, encodeValue, flatKey } from './value-keys.js';
import { StoredDocument, compression, encodingDerivedFrom } from './stored-document.js';
import type { DictionaryCodec } from './dictionary-codec.js';
import { compressionDictionary } from './dictionary-codec.js';

export const ID_INDEX_NAME = '_id_';
export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME };

/** Earlier documents compressed with each write once a collection has its dictionary. */
const EARLIER_DOCUMENTS_PER_WRITE = 4;

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
   * kept as the stored document's decoded copy. It may share parts with other stored documents: those
   * are never mutated either.
   */
  owned?: boolean;
  /** The document's BSON encoding, when the caller decoded it from one (a snapshot's record). */
  encoded?: Uint8Array;
  /**
   * The stored document's current version, from which the new one was derived by copy on write (an
   * update's input): what they share is encoded by copying `base`'s bytes instead of encoding it again, and
   * an index whose fields the two share is known to keep its keys without decoding the stored version.
   */
  base?: Document;
}

/**
 * One collection: documents in insertion order keyed by the encoding of their `_id` (that map is
 * the `_id_` index), plus secondary indexes. Each document is held as its BSON bytes, decoded on demand
 * (`StoredDocument`). Every mutation checks all unique rules before touching anything, so a failed write
 * leaves no partial index state behind.
 */
export class Collection {
  private readonly records = new Map<string, StoredDocument>();
  readonly indexes = new Map<string, CollectionIndex>();
  readonly uuid = new UUID();
  /** The `_id` values in the server's order, built when a range or sort on `_id` first needs it. */
  private idOrder: unknown[] | undefined;
  /** What new versions are compressed against, once the collection is large (`compression`). */
  private dictionary: DictionaryCodec | undefined;
  /** The records still to be compressed that were stored before the dictionary was built. */
  private uncompressed: Iterator<StoredDocument> | undefined;

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
    self: StoredDocument | undefined,
    base?: Document,
  ): Array<[CollectionIndex, DocumentKeys | typeof UNCHANGED | undefined]> {
    const out: Array<[CollectionIndex, DocumentKeys | typeof UNCHANGED | undefined]> = [];
    // The previous version: the one `doc` was built from when the caller says (it shares the unchanged
    // parts, so the identity checks below hold even when no decoded copy is kept), else decoded only when
    // some index needs it (a cold one may be compressed).
    const previous = self && this.indexes.size > 0 ? (base ?? self.doc) : undefined;
    for (const index of this.indexes.values()) {
      // The document keeps the keys it has (and so cannot collide with another): nothing to compute.
      if (previous && index.keysUnchanged(previous, doc)) {
        out.push([index, UNCHANGED]);
        continue;
      }
      const keys = index.keysOf(doc);
      const keyValue = index.findConflict(self, keys);
      if (keyValue) throw this.duplicateKeyError(index.name, { ...index.spec.key }, keyValue);
      out.push([index, keys]);
    }
    return out;
  }

  /**
   * The dictionary new versions are compressed against, built from documents spread over the collection
   * when it first holds more than `compression.afterDocuments`; undefined while it is smaller.
   */
  private compressWith(): DictionaryCodec | undefined {
    if (this.dictionary) {
      this.compressEarlierDocuments(this.dictionary);
      return this.dictionary;
    }
    const after = compression.afterDocuments;
    if (after === 0 || this.records.size < after) return undefined;
    const stride = Math.max(1, Math.floor(this.records.size / 16));
    const samples: Buffer[] = [];
    let i = 0;
    for (const record of this.records.values()) if (i++ % stride === 0) samples.push(record.bytes);
    this.dictionary = compressionDictionary(samples);
    this.uncompressed = this.records.values();
    return this.dictionary;
  }

  /**
   * The documents stored before the dictionary existed are compressed a few per write, so that crossing the
   * size costs no pause, and after a quarter as many writes as there were documents none is left raw.
   */
  private compressEarlierDocuments(dictionary: DictionaryCodec): void {
    if (!this.uncompressed) return;
    for (let i = 0; i < EARLIER_DOCUMENTS_PER_WRITE; i += 1) {
      const next = this.uncompressed.next();
      if (next.done) {
        this.uncompressed = undefined;
        return;
      }
      // A record replaced or removed since is no longer stored (its slab is undefined): nothing to do.
      next.value.compress(dictionary);
    }
  }

  /** How many documents the collection holds. */
  get size(): number {
    return this.records.size;
  }

  /** The document stored under the `_id` key `id` (see `idKeyOf`). */
  get(id: string): Document | undefined {
    return this.records.get(id)?.doc;
  }

  /** Every document, in insertion order. */
  *documents(): Generator<Document> {
    for (const record of this.records.values()) yield record.doc;
  }

  /** Every document with its `_id` key, in insertion order. */
  *entries(): Generator<[string, Document]> {
    for (const [id, record] of this.records) yield [id, record.doc];
  }

  /** Every document's BSON bytes, in insertion order, without decoding any. */
  *encodedDocuments(): Generator<Uint8Array> {
    for (const record of this.records.values()) yield record.bytes;
  }

  /** The documents' total BSON size. */
  get dataSize(): number {
    let size = 0;
    for (const record of this.records.values()) size += record.size;
    return size;
  }

  /** The bytes the documents are stored in: fewer than `dataSize` once they are compressed. */
  get storageSize(): number {
    let size = 0;
    for (const record of this.records.values()) size += record.length;
    return size;
  }

  /**
   * Stores `input` (an `_id` is generated when missing) and returns it as stored. The store keeps its
   * encoding, so the caller's object never becomes stored data.
   */
  insert(input: Document, options: StoreOptions = {}): Document {
    const doc = withIdFirst(input);
    const id = idKeyOf(doc._id);
    if (this.records.has(id)) throw this.duplicateKeyError(ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
    const keys = this.keysChecked(doc, undefined);
    // An `_id` put first (or generated) changes the document: its encoding no longer fits.
    const encoded = doc === input ? options.encoded : undefined;
    const stored = new StoredDocument(doc, options.owned === true, encoded, this.compressWith());
    for (const [index, indexKeys] of keys) if (indexKeys !== UNCHANGED) index.add(stored, indexKeys);
    this.records.set(flatKey(id), stored);
    this.idOrder = undefined;
    return doc;
  }

  /** Replaces the document stored under `id` with `next` (same `_id`). */
  replace(id: string, next: Document, options: StoreOptions = {}): Document {
    const previous = this.records.get(id);
    if (!previous) throw new CommandError(ErrorCode.InternalError, 'document vanished during update');
    const keys = this.keysChecked(next, previous, options.base);
    const encoded = options.base ? encodingDerivedFrom(next, options.base) : options.encoded;
    const dictionary = this.compressWith();
    // The record keeps its identity: an index whose keys the update left alone still files it rightly.
    // The others let go of it under its old keys (read from the old version) and file it under the new.
    const changed = keys.filter(([, indexKeys]) => indexKeys !== UNCHANGED);
    for (const [index] of changed) index.remove(previous);
    previous.replaceWith(next, options.owned === true, encoded, dictionary);
    for (const [index, indexKeys] of changed) index.add(previous, indexKeys as DocumentKeys | undefined);
    return next;
  }

  /** Removes the document stored under `id`; false when there was none. */
  remove(id: string): boolean {
    const previous = this.records.get(id);
    if (!previous) return false;
    for (const index of this.indexes.values()) index.remove(previous);
    this.records.delete(id);
    previous.release();
    this.idOrder = undefined;
    return true;
  }

  removeAll(): void {
    for (const record of this.records.values()) record.release();
    this.records.clear();
    this.idOrder = undefined;
    for (const index of this.indexes.values()) index.clear();
  }

  /**
   * Every `_id` in ascending order (the `_id` index read in order). Sorted again only after an insert or
   * a removal; updates keep their `_id`, so a collection that is mostly updated keeps its order.
   */
  orderedIds(): readonly unknown[] {
    if (!this.idOrder) {
      const ids: unknown[] = [];
      for (const [key, record] of this.records) {
        const id = decodeIdKey(key);
        ids.push(id === NOT_DECODED ? record.id : id);
      }
      this.idOrder = ids.every((id) => typeof id === 'string')
        ? (ids as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        : ids.sort(compare);
    }
    return this.idOrder;
  }

  /** Builds a new index over the existing documents; fails without side effects on a duplicate. */
  createIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec);
    for (const record of this.records.values()) {
      const doc = record.doc;
      const keys = index.keysOf(doc);
      const keyValue = index.findConflict(record, keys);
      if (keyValue) throw this.duplicateKeyError(spec.name, { ...spec.key }, keyValue);
      index.add(record, keys);
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
