import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { ByteSlabs } from './byte-slabs.js';
import type { DictionaryCodec } from './dictionary-codec.js';
import type { Slab, SlabResident } from './byte-slabs.js';

import { encodeDerived } from './derived-encoding.js';
import { ENCODE_OPTIONS } from '../wire/reply-encoding.js';
import { DECODE_OPTIONS } from '../wire/wire-messages.js';

/*
 * A decoded document remembers its BSON encoding under a non-enumerable symbol: invisible to BSON, to the
 * query engine and to spreads and copies (a copy is a new document and gets its own encoding). A reply
 * that carries a stored document then sends the stored bytes instead of serializing it again.
 */
const ENCODED = Symbol('bson');

/** The BSON encoding of `doc`, computed once per document object. */
export function bsonOf(doc: Document): Uint8Array {
  const cached = (doc as { [ENCODED]?: Uint8Array })[ENCODED];
  if (cached) return cached;
  const bytes = serialize(doc, ENCODE_OPTIONS);
  remember(doc, bytes);
  return bytes;
}

/**
 * The encoding of `next`, an update's result built by copy on write from the stored document `base`: the
 * parts they share are copied from `base`'s bytes (`derived-encoding.ts`). Undefined when `base`'s bytes are
 * not at hand (it is not a stored document's decoded copy). Valid until the next call: store it at once.
 */
export function encodingDerivedFrom(next: Document, base: Document): Uint8Array | undefined {
  const baseBytes = (base as { [ENCODED]?: Uint8Array })[ENCODED];
  return baseBytes && baseBytes.length >= DERIVE_FROM_BYTES
    ? encodeDerived(next, base, baseBytes)
    : undefined;
}

/**
 * Below this size a document is encoded whole: walking its fields costs about what encoding them does
 * (`npm run bench:store-writes`: an event of 560 bytes, 0.9–1.25× either way; an account of 2 KB, 2.4–2.8×
 * faster derived; a wallet of 7 KB, 1.8–2.3×).
 */
const DERIVE_FROM_BYTES = 1024;

function remember(doc: Document, bytes: Uint8Array): void {
  Object.defineProperty(doc, ENCODED, { value: bytes, enumerable: false });
}

/**
 * The records whose decoded copy is held, within a budget counted in encoded bytes. Everything else lives
 * only as BSON, so the store's memory follows the data's encoded size; the hot documents (the members being
 * served, the catalogue) stay decoded and cost no decoding. Eviction is a clock: a record read since the
 * hand last passed it gets a second chance, so a read costs one flag, not a reordering.
 *
 * The clock is an array with a hand, each held record knowing its slot; a record let go leaves a hole,
 * and the holes are squeezed out once they are half the array. (A Set in insertion order, taking from its
 * front, cost about 50 µs a turn at 100,000 records: each look at the front steps over every entry
 * deleted since the table was last rebuilt.)
 */
class DecodedDocuments {
  private ring: (StoredDocument | null)[] = [];
  private hand = 0;
  private holes = 0;
  private heldBytes = 0;
  hits = 0;
  misses = 0;

  constructor(public budgetBytes: number) {}

  /** Takes `record` into the held set (its `decoded` is set), unless it alone exceeds the budget. */
  keep(record: StoredDocument): boolean {
    if (record.heldSlot >= 0) return true;
    if (record.size > this.budgetBytes) return false;
    record.heldSlot = this.ring.length;
    this.ring.push(record);
    this.heldBytes += record.size;
    while (this.heldBytes > this.budgetBytes) {
      if (this.hand >= this.ring.length) this.hand = 0;
      const candidate = this.ring[this.hand];
      this.hand += 1;
      if (candidate === null) continue;
      if (candidate.used) candidate.used = false;
      else this.release(candidate);
    }
    // The hand may have come round to the record itself (a budget smaller than what it just let go).
    return record.heldSlot >= 0;
  }

  forget(record: StoredDocument): void {
    if (record.heldSlot >= 0) this.release(record);
    record.decoded = undefined;
  }

  private release(record: StoredDocument): void {
    this.ring[record.heldSlot] = null;
    record.heldSlot = -1;
    record.decoded = undefined;
    this.heldBytes -= record.size;
    this.holes += 1;
    if (this.holes * 2 > this.ring.length && this.ring.length > 64) this.squeeze();
  }

  /** Drops the holes, keeping the records' order and the hand on the same record. */
  private squeeze(): void {
    const kept: StoredDocument[] = [];
    let hand = 0;
    for (let i = 0; i < this.ring.length; i += 1) {
      if (i === this.hand) hand = kept.length;
      const record = this.ring[i];
      if (record === null) continue;
      record.heldSlot = kept.length;
      kept.push(record);
    }
    this.hand = this.hand >= this.ring.length ? kept.length : hand;
    this.ring = kept;
    this.holes = 0;
  }

  stats(): { documents: number; bytes: number; budgetBytes: number; hits: number; misses: number } {
    const { hits, misses, budgetBytes } = this;
    return { documents: this.ring.length - this.holes, bytes: this.heldBytes, budgetBytes, hits, misses };
  }
}

const DEFAULT_DECODED_MIB = 64;
const DEFAULT_COMPRESS_AFTER = 100_000;

/** A number ≥ 0 from the environment variable `name`, or `fallback` when unset. */
function numberFromEnvironment(name: string, fallback: number, unit: string): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number of ${unit} ≥ 0, got "${raw}"`);
  return value;
}

function budgetFromEnvironment(): number {
  return Math.floor(
    numberFromEnvironment('EMBEDDED_MONGO_DECODED_MIB', DEFAULT_DECODED_MIB, 'MiB') * 2 ** 20,
  );
}

/**
 * Collections holding more documents than this store new versions compressed (0: never). Small collections
 * stay raw: they cost little memory, and compressing costs about 40 µs a write.
 */
export const compression = {
  afterDocuments: numberFromEnvironment('EMBEDDED_MONGO_COMPRESS_AFTER', DEFAULT_COMPRESS_AFTER, 'documents'),
};

/** The process's decoded documents (one store per process). */
export const decodedDocuments = new DecodedDocuments(budgetFromEnvironment());

/** The process's stored bytes. */
const storedBytes = new ByteSlabs();
/** The BSON size of every stored document, compressed or not. */
let bsonBytes = 0;

/**
 * One stored document: its BSON bytes (in `storedBytes`) are the truth, and a decoded copy is held while it
 * is in use. Stored documents are never mutated, neither the bytes nor a decoded copy (updates store a new
 * record), so the decoded object can be handed to every reader.
 */
export class StoredDocument implements SlabResident {
  slab: Slab | undefined = undefined;
  offset = 0;
  length = 0;
  /** The BSON size (the stored bytes are fewer when compressed). */
  size = 0;
  /** The codec the stored bytes are deflated with, or undefined when they are the BSON itself. */
  private codec: DictionaryCodec | undefined;
  /** The decoded copy, while `decodedDocuments` holds it. */
  decoded: Document | undefined = undefined;
  /** Read since the clock's hand last passed. */
  used = false;
  /** Where `decodedDocuments` holds this record, or -1. */
  heldSlot = -1;

  /**
   * `keepDecoded`: `doc` was built for the store and nothing else refers to it (an update's result); it is
   * kept as the decoded copy, since it is likely to be read again soon. `encoded`: the bytes `doc` was
   * decoded from, when the caller has them (a snapshot's record). `codec`: store the bytes deflated
   * against its dictionary (`compressionDictionary`).
   */
  constructor(doc: Document, keepDecoded: boolean, encoded?: Uint8Array, codec?: DictionaryCodec) {
    this.store(doc, keepDecoded, encoded, codec);
  }

  /**
   * Makes this record hold `doc`, a new version of its document (an update), with the same arguments as
   * the constructor. The old bytes and decoded copy are let go; the record stays the same object, so an
   * index that files it under keys the update left alone has nothing to change. `encoded` must be computed
   * before (it may be derived from the old bytes).
   */
  replaceWith(doc: Document, keepDecoded: boolean, encoded?: Uint8Array, codec?: DictionaryCodec): void {
    this.release();
    this.used = false;
    this.store(doc, keepDecoded, encoded, codec);
  }

  private store(
    doc: Document,
    keepDecoded: boolean,
    encoded: Uint8Array | undefined,
    codec?: DictionaryCodec,
  ): void {
    const bytes = encoded ?? serialize(doc, ENCODE_OPTIONS);
    this.size = bytes.length;
    this.codec = codec;
    storedBytes.place(this, codec ? codec.deflate(bytes) : bytes);
    bsonBytes += this.size;
    // Compressed, the bytes are remembered as given; `encoded` may be a scratch buffer (`encodeDerived`).
    if (keepDecoded) this.hold(doc, codec ? (encoded ? Buffer.from(bytes) : bytes) : undefined);
  }

  /** The BSON bytes: a view into their slab, or inflated from it when compressed. */
  get bytes(): Buffer {
    const stored = storedBytes.view(this);
    return this.codec ? this.codec.inflate(stored, this.size) : stored;
  }

  /** The document, decoded from its bytes unless a decoded copy is held. */
  get doc(): Document {
    const held = this.decoded;
    if (held !== undefined) {
      this.used = true;
      decodedDocuments.hits += 1;
      return held;
    }
    decodedDocuments.misses += 1;
    const bytes = this.bytes;
    const doc = deserialize(bytes, DECODE_OPTIONS);
    this.hold(doc, bytes);
    return doc;
  }

  private hold(doc: Document, bytes?: Uint8Array): void {
    // A compressed document's encoding is remembered only when it is at hand (inflating it for a reply
    // that may never come would cost more than encoding then).
    if (bytes ?? !this.codec) remember(doc, bytes ?? this.bytes);
    if (decodedDocuments.keep(this)) this.decoded = doc;
  }

  /**
   * The `_id`, without holding a decoded copy. Strings and ObjectIds are read from the `_id` map's keys
   * instead (`decodeIdKey`), so this serves the other types.
   */
  get id(): unknown {
    return (this.decoded ?? decodeDocument(this.bytes))._id;
  }

  /** Stores the bytes of a raw record deflated against `codec`'s dictionary instead (same record, same document). */
  compress(codec: DictionaryCodec): void {
    if (this.codec || !this.slab) return;
    const packed = codec.deflate(this.bytes);
    storedBytes.free(this);
    storedBytes.place(this, packed);
    this.codec = codec;
  }

  /** Called when the record is removed or holds a new version: its bytes and decoded copy are let go. */
  release(): void {
    if (this.slab) bsonBytes -= this.size;
    decodedDocuments.forget(this);
    storedBytes.free(this);
  }
}

/** Decodes a stored document from its bytes (a snapshot's record). */
export function decodeDocument(bytes: Uint8Array): Document {
  return deserialize(bytes, DECODE_OPTIONS);
}

/** What the process's stored documents take: their stored bytes, the slabs holding them, the decoded copies. */
export function storageFootprint(): {
  bsonBytes: number;
  documentBytes: number;
  slabBytes: number;
  decoded: ReturnType<DecodedDocuments['stats']>;
} {
  return {
    bsonBytes,
    documentBytes: storedBytes.liveBytes,
    slabBytes: storedBytes.allocatedBytes,
    decoded: decodedDocuments.stats(),
  };
}
