import { GraphQLError } from 'graphql';

/**
 * The one registry of error codes a client can see. Every error a client can cause carries one of these in
 * `extensions.code`, with a message a person can act on.
 */
export const ErrorCodes = {
  BAD_USER_INPUT: { status: 400, meaning: 'An argument or input value is invalid; the message names it.' },
  UNAUTHENTICATED: { status: 401, meaning: 'No valid token was presented for a field that needs one.' },
  FORBIDDEN: { status: 403, meaning: 'The caller is known but may not read or change this data.' },
  NOT_FOUND: { status: 404, meaning: 'The member, partner or object named does not exist.' },
  CONFLICT: { status: 409, meaning: 'The change clashes with the current state (e.g. a duplicate).' },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests; retry after the delay given.' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'An unexpected failure; the request id helps operators find it.' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** A client-facing error: a `GraphQLError` whose `extensions.code` comes from the registry above. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const badInput = (message: string, argumentName?: string): AppError =>
  new AppError('BAD_USER_INPUT', message, argumentName ? { argumentName } : {});
export const unauthenticated = (message = 'Sign in: this field needs a valid token.'): AppError =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);
export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);
