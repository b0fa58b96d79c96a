import { serialize } from 'bson';
import type { Document } from 'bson';

/** How every document the store writes is encoded: a reply, or a document it stores. */
export const ENCODE_OPTIONS = { checkKeys: false, ignoreUndefined: true } as const;

/**
 * A cursor reply whose batch is already encoded: `{ cursor: { <batchField>: [...], id, ns }, ok: 1 }`
 * is assembled around the cached document bytes instead of re-serializing every document.
 */
export class CursorBatchReply {
  constructor(
    readonly batchField: 'firstBatch' | 'nextBatch',
    readonly batch: Uint8Array[],
    readonly id: number,
    readonly ns: string,
  ) {}
}

const TYPE_DOUBLE = 0x01;
const TYPE_STRING = 0x02;
const TYPE_DOCUMENT = 0x03;
const TYPE_ARRAY = 0x04;
const TYPE_INT64 = 0x12;

class ByteWriter {
  readonly buffer: Buffer;
  offset = 0;
  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }
  byte(value: number) {
    this.buffer[this.offset++] = value;
  }
  int32(value: number) {
    this.buffer.writeInt32LE(value, this.offset);
    this.offset += 4;
  }
  cstring(value: string) {
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    this.byte(0);
  }
  bytes(value: Uint8Array) {
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }
  /** Reserves an int32 length slot; `close` fills it with the length of everything written since. */
  open(): number {
    const at = this.offset;
    this.offset += 4;
    return at;
  }
  close(at: number) {
    this.byte(0);
    this.buffer.writeInt32LE(this.offset - at, at);
  }
}

function encodeCursorReply(reply: CursorBatchReply): Uint8Array {
  const nsBytes = Buffer.byteLength(reply.ns);
  let size = 128 + reply.batchField.length + nsBytes;
  reply.batch.forEach((doc, i) => (size += doc.length + String(i).length + 2));
  const out = new ByteWriter(size);
  const root = out.open();
  out.byte(TYPE_DOCUMENT);
  out.cstring('cursor');
  const cursor = out.open();
  out.byte(TYPE_ARRAY);
  out.cstring(reply.batchField);
  const array = out.open();
  reply.batch.forEach((doc, i) => {
    out.byte(TYPE_DOCUMENT);
    out.cstring(String(i));
    out.bytes(doc);
  });
  out.close(array);
  out.byte(TYPE_INT64);
  out.cstring('id');
  out.buffer.writeBigInt64LE(BigInt(reply.id), out.offset);
  out.offset += 8;
  out.byte(TYPE_STRING);
  out.cstring('ns');
  out.int32(nsBytes + 1);
  out.cstring(reply.ns);
  out.close(cursor);
  out.byte(TYPE_DOUBLE);
  out.cstring('ok');
  out.buffer.writeDoubleLE(1, out.offset);
  out.offset += 8;
  out.close(root);
  return out.buffer.subarray(0, out.offset);
}

/** Any reply document as BSON. */
export function encodeReply(reply: Document | CursorBatchReply): Uint8Array {
  return reply instanceof CursorBatchReply ? encodeCursorReply(reply) : serialize(reply, ENCODE_OPTIONS);
}
