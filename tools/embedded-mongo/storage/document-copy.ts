import { Binary } from 'bson';
import type { Document } from 'bson';

/**
 * Deep copy of a BSON document. Plain objects, arrays, Dates and Binary buffers are copied;
 * the other BSON value classes (ObjectId, Long, Decimal128, Timestamp, ...) are immutable and shared.
 * Stored documents are copied on the way in and never mutated afterwards (updates build a new copy),
 * so nothing a client or an open cursor holds can change stored data.
 */
export function copyValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => copyValue(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Binary') {
    const binary = value as unknown as Binary;
    return new Binary(Buffer.from(binary.buffer), binary.sub_type) as T;
  }
  if (bsonType !== undefined || value instanceof RegExp) return value;
  const out: Document = {};
  for (const key of Object.keys(value)) out[key] = copyValue((value as Document)[key]);
  return out as T;
}

export function copyDocument(doc: Document): Document {
  return copyValue(doc);
}
