import { serialize } from 'bson';
import type { Document } from 'bson';
import { ENCODE_OPTIONS } from '../wire/reply-encoding.js';
import { isPlainDocument } from './value-keys.js';

/*
 * An update builds its result by copy on write: every part of the document it does not touch is the same
 * object (or the same primitive) as in the document it read. So the result's encoding is mostly the old
 * encoding: this copies the bytes of every element the two share and encodes only what changed, descending
 * into embedded documents and arrays that changed in part (an account's day buckets, a wallet's lots). An
 * update of two fields of a 1 KB document then encodes two fields, not the document.
 *
 * The copied bytes are the stored ones, so an untouched field keeps its BSON type exactly (a double holding
 * 1.0 stays a double), as MongoDB keeps it; everything else encodes as `serialize` would.
 */

const TERMINATOR = 0;

/** Why the derived encoding gave up: the caller serializes the whole document instead. */
class NotDerivable extends Error {}

/** The end of a value of `type` starting at `at`; NotDerivable for a type this does not read. */
function valueEnd(bytes: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return at + 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return at + 4 + bytes.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return at + bytes.readInt32LE(at);
    case 0x05: // binary: length, subtype, bytes
      return at + 5 + bytes.readInt32LE(at);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return at;
    case 0x07: // ObjectId
      return at + 12;
    case 0x08: // boolean
      return at + 1;
    case 0x0b: {
      // regular expression: two C strings
      const pattern = bytes.indexOf(0, at);
      const flags = pattern < 0 ? -1 : bytes.indexOf(0, pattern + 1);
      if (flags < 0) throw new NotDerivable();
      return flags + 1;
    }
    case 0x0c: // DBPointer: string, 12-byte id
      return at + 4 + bytes.readInt32LE(at) + 12;
    case 0x10: // int32
      return at + 4;
    case 0x13: // decimal128
      return at + 16;
    default:
      throw new NotDerivable();
  }
}

/** One element of the base encoding: its type, where it starts, where its value starts, where it ends. */
interface Span {
  type: number;
  start: number;
  valueStart: number;
  end: number;
}

/** Reads the element at `at` (of a container ending at `end`, before its terminating zero). */
function spanAt(bytes: Buffer, at: number, end: number): Span {
  const type = bytes[at];
  // Names are short: a loop beats a call into the runtime.
  let nameEnd = at + 1;
  while (nameEnd < end && bytes[nameEnd] !== 0) nameEnd += 1;
  if (nameEnd >= end) throw new NotDerivable();
  const valueStart = nameEnd + 1;
  const elementEnd = valueEnd(bytes, type, valueStart);
  if (elementEnd > end) throw new NotDerivable();
  return { type, start: at, valueStart, end: elementEnd };
}

/** Whether the element at `span` is named `name` (compared byte by byte for ASCII names). */
function named(bytes: Buffer, span: Span, name: string): boolean {
  const length = span.valueStart - 1 - (span.start + 1);
  if (length !== name.length) return length >= name.length && !isAscii(name) && nameOf(bytes, span) === name;
  for (let i = 0; i < length; i += 1) {
    const code = name.charCodeAt(i);
    if (code >= 0x80) return nameOf(bytes, span) === name;
    if (bytes[span.start + 1 + i] !== code) return false;
  }
  return true;
}

/** Whether the element at `span` is named by the array index `index` (its decimal digits). */
function namedIndex(bytes: Buffer, span: Span, index: number): boolean {
  let at = span.valueStart - 2;
  let rest = index;
  do {
    if (at <= span.start || bytes[at] !== 0x30 + (rest % 10)) return false;
    rest = Math.floor(rest / 10);
    at -= 1;
  } while (rest > 0);
  return at === span.start;
}

function isAscii(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) if (name.charCodeAt(i) >= 0x80) return false;
  return true;
}

function nameOf(bytes: Buffer, span: Span): string {
  return bytes.toString('utf8', span.start + 1, span.valueStart - 1);
}

/** The output, grown as needed; runs of copied base bytes are gathered and copied at once. */
class Writer {
  out: Buffer;
  at = 0;
  private runStart = -1;
  private runEnd = -1;

  constructor(
    readonly base: Buffer,
    out: Buffer,
  ) {
    this.out = out;
  }

  /** Copies base bytes [start, end), joining the pending run when they follow it. */
  copy(start: number, end: number): void {
    if (start === this.runEnd) {
      this.runEnd = end;
      return;
    }
    this.flush();
    this.runStart = start;
    this.runEnd = end;
  }

  flush(): void {
    if (this.runStart < 0) return;
    const length = this.runEnd - this.runStart;
    this.reserve(length);
    this.base.copy(this.out, this.at, this.runStart, this.runEnd);
    this.at += length;
    this.runStart = this.runEnd = -1;
  }

  reserve(length: number): void {
    if (this.at + length <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + length));
    this.out.copy(grown, 0, 0, this.at);
    this.out = grown;
  }

  bytes(bytes: Uint8Array): void {
    this.flush();
    this.reserve(bytes.length);
    this.out.set(bytes, this.at);
    this.at += bytes.length;
  }
}

/** Writes an element's type and name; `valueLength` is reserved after them. */
function writeHead(writer: Writer, type: number, name: string, valueLength: number): void {
  const ascii = isAscii(name);
  const nameLength = ascii ? name.length : Buffer.byteLength(name, 'utf8');
  writer.reserve(1 + nameLength + 1 + valueLength);
  const { out } = writer;
  let at = writer.at;
  out[at++] = type;
  if (ascii) for (let i = 0; i < nameLength; i += 1) out[at++] = name.charCodeAt(i);
  else at += out.write(name, at, 'utf8');
  out[at++] = 0;
  writer.at = at;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** One element encoded anew, as `serialize` writes it for `{ [name]: value }`. */
function writeElement(writer: Writer, name: string, value: unknown): void {
  writer.flush();
  if (typeof value === 'number') {
    if (!Object.is(value, -0) && Number.isSafeInteger(value) && value <= INT32_MAX && value >= INT32_MIN) {
      writeHead(writer, 0x10, name, 4);
      writer.at = writer.out.writeInt32LE(value, writer.at);
    } else {
      writeHead(writer, 0x01, name, 8);
      writer.at = writer.out.writeDoubleLE(value, writer.at);
    }
  } else if (typeof value === 'boolean') {
    writeHead(writer, 0x08, name, 1);
    writer.out[writer.at++] = value ? 1 : 0;
  } else if (value === null) {
    writeHead(writer, 0x0a, name, 0);
  } else if (value instanceof Date && !Number.isNaN(value.getTime())) {
    // Milliseconds as a little-endian 64-bit integer: the low 32 bits, then the high.
    const time = value.getTime();
    const high = Math.floor(time / 0x100000000);
    writeHead(writer, 0x09, name, 8);
    writer.at = writer.out.writeUInt32LE(time - high * 0x100000000, writer.at);
    writer.at = writer.out.writeInt32LE(high, writer.at);
  } else {
    const framed = serialize({ [name]: value }, ENCODE_OPTIONS);
    writer.bytes(framed.subarray(4, framed.length - 1));
  }
}

/** A container the walk may descend into: a plain document or an array, with no `toBSON` of its own. */
function descendable(value: unknown): value is Document | unknown[] {
  if (Array.isArray(value)) return true;
  return isPlainDocument(value) && typeof (value as { toBSON?: unknown }).toBSON !== 'function';
}

/**
 * Whether `next` keeps any of `base`'s values under the same name. One that keeps none (a replacement, a
 * fresh copy) is encoded whole: element by element would cost more.
 */
function sharesAny(next: Document | unknown[], base: Document | unknown[]): boolean {
  if (Array.isArray(next)) {
    const shared = Math.min(next.length, (base as unknown[]).length);
    for (let i = 0; i < shared; i += 1) if (Object.is(next[i], (base as unknown[])[i])) return true;
    return false;
  }
  for (const name of Object.keys(next)) {
    if (Object.is(next[name], (base as Document)[name]) && Object.prototype.hasOwnProperty.call(base, name))
      return true;
  }
  return false;
}

/**
 * Writes the elements of `next` (a document or an array) and its frame, reusing the encoding of `base` at
 * `baseStart` for what they share. The base's elements are met in order as long as the names follow it (an
 * update keeps the order and appends); a name out of order is looked up.
 */
function deriveContainer(
  writer: Writer,
  next: Document | unknown[],
  base: Document | unknown[],
  baseStart: number,
): void {
  const bytes = writer.base;
  const end = baseStart + bytes.readInt32LE(baseStart) - 1;
  writer.flush();
  writer.reserve(4);
  const frameAt = writer.at;
  writer.at += 4;
  let cursor = baseStart + 4;
  let byName: Map<string, Span> | undefined;
  const isArray = Array.isArray(next);
  const count = isArray ? next.length : 0;
  const names = isArray ? undefined : Object.keys(next);
  for (let i = 0; i < (isArray ? count : names!.length); i += 1) {
    const value = isArray ? next[i] : (next as Document)[names![i]];
    // serialize drops undefined fields but writes undefined array elements as null: left to it.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      if (isArray) throw new NotDerivable();
      continue;
    }
    let span: Span | undefined;
    if (cursor < end) {
      const atCursor = spanAt(bytes, cursor, end);
      if (isArray ? namedIndex(bytes, atCursor, i) : named(bytes, atCursor, names![i])) {
        span = atCursor;
        cursor = atCursor.end;
      }
    }
    // An array's decoded elements are its encoded ones in order, whatever their names: an element is matched
    // to its encoding only in step with it.
    if (isArray && !span && cursor < end) throw new NotDerivable();
    const name = isArray ? '' : names![i];
    if (!span && !isArray) {
      if (!byName) {
        byName = new Map();
        for (let at = baseStart + 4; at < end;) {
          const one = spanAt(bytes, at, end);
          const oneName = nameOf(bytes, one);
          if (byName.has(oneName)) throw new NotDerivable();
          byName.set(oneName, one);
          at = one.end;
        }
      }
      span = byName.get(name);
      // Back in step after a field the update removed (or one it moved).
      if (span && span.end > cursor) cursor = span.end;
    }
    const before = !span
      ? undefined
      : isArray
        ? (base as unknown[])[i]
        : Object.prototype.hasOwnProperty.call(base, name)
          ? (base as Document)[name]
          : undefined;
    if (span && before !== undefined && Object.is(value, before)) {
      writer.copy(span.start, span.end);
      continue;
    }
    const kindMatches =
      span !== undefined &&
      ((Array.isArray(value) && Array.isArray(before) && span.type === 0x04) ||
        (!Array.isArray(value) && !Array.isArray(before) && span.type === 0x03));
    if (kindMatches && descendable(value) && descendable(before) && sharesAny(value, before)) {
      // The element's type byte and name as they were, then the container derived in turn.
      writer.copy(span!.start, span!.valueStart);
      deriveContainer(writer, value, before, span!.valueStart);
      continue;
    }
    writeElement(writer, isArray ? String(i) : name, value);
  }
  writer.flush();
  writer.reserve(1);
  writer.out[writer.at++] = TERMINATOR;
  writer.out.writeInt32LE(writer.at - frameAt, frameAt);
}

/** Where encodings are written; what `encodeDerived` returns is a view into it, valid until its next call. */
let scratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The BSON encoding of `next`, copying from `baseBytes` (the encoding of `base`) every element `next` shares
 * with `base`. Falls back to serializing `next` whole when it shares nothing, or when the base encoding holds
 * what this does not read. The bytes returned are valid until the next call (they are copied into storage
 * at once): the output is written into a buffer kept for the purpose, not one allocated per document.
 */
export function encodeDerived(next: Document, base: Document, baseBytes: Uint8Array): Uint8Array {
  if (!sharesAny(next, base)) return serialize(next, ENCODE_OPTIONS);
  try {
    const bytes = Buffer.from(baseBytes.buffer, baseBytes.byteOffset, baseBytes.byteLength);
    if (scratch.length < baseBytes.length + 256) scratch = Buffer.allocUnsafeSlow(2 * baseBytes.length + 256);
    const writer = new Writer(bytes, scratch);
    deriveContainer(writer, next, base, 0);
    // A document larger than the scratch grew its own buffer: keep that for the next one.
    if (writer.out.length > scratch.length) scratch = writer.out;
    return writer.out.subarray(0, writer.at);
  } catch (error) {
    if (!(error instanceof NotDerivable)) throw error;
    return serialize(next, ENCODE_OPTIONS);
  }
}
