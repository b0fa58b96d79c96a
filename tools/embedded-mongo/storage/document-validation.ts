import { Query } from 'mingo';
import type { Document } from 'bson';
import type { Collection } from './collection.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { isPlainDocument } from './value-keys.js';

const compiled = new WeakMap<Document, Query>();

/** Query-style collection validators (`create`/`collMod` `validator`) are enforced; `$jsonSchema` is not available. */
export function checkValidatorSupported(validator: unknown): void {
  if (validator === undefined) return;
  if (!isPlainDocument(validator))
    throw new CommandError(ErrorCode.TypeMismatch, "'validator' must be an object");
  if (JSON.stringify(Object.keys(validator)).includes('$jsonSchema')) {
    throw new CommandError(
      ErrorCode.NotImplemented,
      '$jsonSchema validators are not supported by the embedded store',
    );
  }
  try {
    new Query(validator);
  } catch (err) {
    throw asCommandError(err);
  }
}

export interface ValidationContext {
  /** The command set `bypassDocumentValidation`. */
  bypass: boolean;
  /** For updates: the document before the update (validationLevel "moderate" spares invalid ones). */
  previous?: Document;
}

function compiledValidator(validator: Document): Query {
  let query = compiled.get(validator);
  if (!query) {
    query = new Query(validator);
    compiled.set(validator, query);
  }
  return query;
}

/** Rejects a write the collection's validator refuses, like the server with validationAction "error". */
export function assertValid(collection: Collection, doc: Document, context: ValidationContext): void {
  const { validator, validationLevel, validationAction } = collection.options as Document;
  if (
    !isPlainDocument(validator) ||
    context.bypass ||
    validationLevel === 'off' ||
    validationAction === 'warn'
  ) {
    return;
  }
  const query = compiledValidator(validator);
  if (validationLevel === 'moderate' && context.previous && !query.test(context.previous)) return;
  if (!query.test(doc)) {
    throw new CommandError(ErrorCode.DocumentValidationFailure, 'Document failed validation', {
      errInfo: { failingDocumentId: doc._id, details: { operatorName: '$and', specifiedAs: validator } },
    });
  }
}
