import type { GraphQLFormattedError } from 'graphql';
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
  INSUFFICIENT_POINTS: {
    status: 409,
    meaning:
      'The spendable balance is short; the message says by how much and whether pending points will cover it.',
  },
  OUT_OF_STOCK: { status: 409, meaning: 'The benefit has no stock left (in all or in this period).' },
  NOT_ELIGIBLE: {
    status: 403,
    meaning: "The member's tier, the benefit's redemption window or the partner's terms do not allow this.",
  },
  LIMIT_REACHED: {
    status: 409,
    meaning: 'A per-member or per-order limit would be exceeded; the message gives it.',
  },
  MEMBER_NOT_LINKED: {
    status: 403,
    meaning:
      "The member has no account linked at the calling partner, whose checkout may not spend the member's points.",
  },
  MONTH_NOT_ENDED: {
    status: 409,
    meaning: 'A settlement month can be closed only after it has ended in the programme time zone.',
  },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests; retry after the delay given.' },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    meaning: 'An unexpected failure; the request id helps operators find it.',
  },
  GRAPHQL_PARSE_FAILED: { status: 400, meaning: 'The query is not valid GraphQL syntax.' },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    meaning: 'The query asks for something the schema does not have.',
  },
  BAD_REQUEST: { status: 400, meaning: 'The HTTP request itself is malformed (body, method or headers).' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'The path exists but not for this HTTP method; see `allow`.' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'The request did not arrive in full in time.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body is larger than the limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The body is not in a content type this endpoint reads.' },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'The request headers are larger than the server accepts.' },
  AMOUNT_OUT_OF_RANGE: {
    status: 500,
    meaning:
      'A stored amount of money or points lies beyond ±(2^53 − 1) and cannot be sent exactly; operators must correct it.',
  },
  OPERATION_TOO_COMPLEX: {
    status: 400,
    meaning:
      'The operation is larger, deeper or costlier than the gateway runs; the message names the limit.',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    meaning: 'The document holds several operations and `operationName` does not pick one of them.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    meaning: 'The gateway does not know this persisted-query hash; send it again with the query.',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    status: 200,
    meaning: 'Persisted queries are turned off; send the full query.',
  },
  EXPLORER_NOT_BUILT: {
    status: 503,
    meaning: 'GraphiQL and the console are not bundled on this server; run `npm run build:explorer` there.',
  },
  PERSISTED_QUERY_NOT_ALLOWED: {
    status: 403,
    meaning:
      'The gateway runs only published operations (safelist mode) and this hash or query is not one of them.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning:
      'A store the answer depends on cannot be reached right now; nothing was changed, retry after the delay given.',
  },
  MODEL_NOT_TRAINED: {
    status: 503,
    meaning: 'The member-intelligence model has not been trained yet; an operator runs `npm run train`.',
  },
  SUBGRAPH_UNAVAILABLE: {
    status: 200,
    meaning:
      "A partner's system did not answer; its fields are null and the profile lists it as unavailable.",
  },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export const httpStatusOf = (code: ErrorCode): number => ErrorCodes[code].status;

/**
 * A client-facing error: a `GraphQLError` whose `extensions.code` comes from the registry above, and whose
 * `extensions.http.status` is that entry's status, set when the error is built (as Apollo Server's own
 * error classes do). Apollo answers with that status when the error refuses a whole request (e.g. a bad
 * token in the context factory) and strips `http` from what the client sees; errors raised while a
 * query executes still answer 200 (see `partialResultStatusPlugin`).
 */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code, http: { status: httpStatusOf(code) } } });
  }
}

export const badInput = (message: string, argumentName?: string): AppError =>
  new AppError('BAD_USER_INPUT', message, argumentName ? { argumentName } : {});
export const unauthenticated = (message = 'Sign in: this field needs a valid token.'): AppError =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);
export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);

/**
 * Apollo `formatError`: client-caused errors keep their message; anything unexpected keeps only its code
 * and a generic message, so no internals or stack traces reach a client.
 */
export function formatClientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code in ErrorCodes && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Unexpected server error; quote the request id to an operator.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
