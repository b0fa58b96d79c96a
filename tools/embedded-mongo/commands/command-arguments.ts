import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { isPlainDocument } from '../storage/value-keys.js';

/** Argument readers that fail with the server's TypeMismatch wording: "BSON field 'x' is the wrong type". */

function wrongType(command: string, field: string, expected: string): CommandError {
  return new CommandError(
    ErrorCode.TypeMismatch,
    `BSON field '${command}.${field}' is the wrong type, expected type '${expected}'`,
  );
}

export function collectionNameArg(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string') {
    throw new CommandError(ErrorCode.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function documentArg(body: Document, command: string, field: string): Document | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainDocument(value)) throw wrongType(command, field, 'object');
  return value;
}

export function numberArg(body: Document, command: string, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number((value as { toString(): string }).toString());
  if (typeof value === 'string' || typeof value === 'boolean' || Number.isNaN(n)) {
    throw wrongType(command, field, 'long');
  }
  return n;
}

export function nonNegativeArg(body: Document, command: string, field: string): number | undefined {
  const value = numberArg(body, command, field);
  if (value !== undefined && value < 0) {
    throw new CommandError(
      ErrorCode.Location51024,
      `BSON field '${field}' value must be >= 0, actual value '${value}'`,
    );
  }
  return value;
}

export function arrayArg(body: Document, command: string, field: string): unknown[] {
  const value = body[field];
  if (!Array.isArray(value)) {
    if (value === undefined) {
      throw new CommandError(
        ErrorCode.FailedToParse,
        `BSON field '${command}.${field}' is missing but a required field`,
      );
    }
    throw wrongType(command, field, 'array');
  }
  return value;
}

export function documentArrayArg(body: Document, command: string, field: string): Document[] {
  const values = arrayArg(body, command, field);
  for (const value of values) if (!isPlainDocument(value)) throw wrongType(command, field, 'object');
  return values as Document[];
}

export function booleanArg(body: Document, field: string): boolean {
  const value = body[field];
  return value === true || (typeof value === 'number' && value !== 0);
}

/** Collation other than the simple binary one needs ICU rules this store does not implement. */
export function assertSimpleCollation(body: Document): void {
  const collation = body.collation as Document | undefined;
  if (collation && collation.locale !== 'simple') {
    throw new CommandError(ErrorCode.NotImplemented, 'collation is not supported by the embedded store');
  }
}
