import type { GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors.js';

/** What a client is told to wait before retrying while the store is unreachable (`Retry-After`). */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Driver and mongoose errors that mean "the store cannot be reached" rather than "this operation is wrong":
 * no server selectable in time, a refused or reset connection, a pool cleared by a failed server, a client
 * already closed. Matched by name, as the driver's own retry logic does, so no driver class is imported.
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** Whether `error` (or what it wraps: GraphQL's `originalError`, a `cause`) says the store is unreachable. */
export function isStoreUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (UNREACHABLE.has(current.name)) return true;
    // Mongoose's own wait for a connection (bufferTimeoutMS) ends in a plain MongooseError.
    if (current.name === 'MongooseError' && /buffering timed out/.test(current.message)) return true;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return false;
}

export const storeUnavailableError = (): AppError =>
  new AppError(
    'SERVICE_UNAVAILABLE',
    `The data store cannot be reached right now; nothing was changed. Retry in ${STORE_RETRY_AFTER_SECONDS} s.`,
    { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
  );

/**
 * Part of a subgraph's `formatError`: a resolver that failed because the store is unreachable answers
 * SERVICE_UNAVAILABLE (a clear, retryable error) instead of a masked INTERNAL_SERVER_ERROR.
 */
export function storeUnavailableAsServiceUnavailable(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  if (!isStoreUnavailable(error)) return formatted;
  const replacement = storeUnavailableError();
  return {
    message: replacement.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
  };
}
