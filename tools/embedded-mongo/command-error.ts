/**
 * Server error codes the store answers with. Names and numbers follow MongoDB's
 * `error_codes.yml` so drivers and mongoose classify failures exactly as they would
 * against a real server (e.g. retry rules, `MongoServerError.codeName`, duplicate-key handling).
 */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  DocumentValidationFailure: 121,
  CannotIndexParallelArrays: 171,
  NotImplemented: 238,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  /** Codes without a symbolic name are reported as `Location<code>`. */
  Location40323: 40323,
  Location40324: 40324,
  Location40601: 40601,
  Location51024: 51024,
  MergeStageNoMatchingDocument: 13113,
} as const;

export type ErrorCodeNumber = (typeof ErrorCode)[keyof typeof ErrorCode];

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

export function codeNameOf(code: number): string {
  return codeNames.get(code) ?? `Location${code}`;
}

/** A failure that becomes an `{ ok: 0, errmsg, code, codeName, ...extra }` reply or a write error entry. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCodeNumber,
    message: string,
    /** Extra reply fields, e.g. `keyPattern`/`keyValue` for duplicate keys. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  get codeName(): string {
    return codeNameOf(this.code);
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** Shape of one `writeErrors[]` entry in insert/update/delete replies. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/**
 * Wraps an exception thrown by the query engine (mingo) or our own code in a CommandError,
 * so the connection never dies on a bad query and the client sees a server-style error.
 */
export function asCommandError(
  err: unknown,
  fallbackCode: ErrorCodeNumber = ErrorCode.BadValue,
): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(fallbackCode, message);
}
