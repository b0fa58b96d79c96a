import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { isPlainDocument } from '../storage/value-keys.js';

/** The server's name for a value's BSON type, as its update error messages spell it. */
export function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (isPlainDocument(value)) return 'object';
  return typeof value;
}

export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  return bsonType === 'Long' || bsonType === 'Decimal128' || bsonType === 'Int32' || bsonType === 'Double';
}

/** `$inc` / `$mul` met a field that holds something other than a number. */
export function nonNumericFieldError(
  operator: string,
  doc: Document,
  path: string,
  value: unknown,
): CommandError {
  return new CommandError(
    ErrorCode.TypeMismatch,
    `Cannot apply ${operator} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(value)}`,
  );
}

/** An array operator (`$push`, `$addToSet`, `$pull`...) met a field that holds something other than an array. */
export function nonArrayFieldError(doc: Document, path: string, value: unknown): CommandError {
  return new CommandError(
    ErrorCode.BadValue,
    `The field '${path}' must be an array but is of type ${bsonTypeName(value)} in document {_id: ${JSON.stringify(doc._id)}}`,
  );
}

/** A path that would have to continue below a scalar (or name a field of an array). */
export function pathNotViableError(field: string, elementName: string, element: unknown): CommandError {
  return new CommandError(
    ErrorCode.PathNotViable,
    `Cannot create field '${field}' in element {${elementName}: ${describeValue(element)}}`,
  );
}

export const POSITIONAL_NOT_FOUND = 'The positional operator did not find the match needed from the query.';

function describeValue(value: unknown): string {
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
