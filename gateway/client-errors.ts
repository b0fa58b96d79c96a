import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { formatClientError } from '../subgraphs/shared/errors.js';
import { tokenLimitAsTooComplex } from './limits/operation-limits.js';

/**
 * The gateway's `formatError`: the registry's masking (`formatClientError`), after two translations.
 * graphql-js's token limit becomes OPERATION_TOO_COMPLEX; and Apollo's own refusals of a malformed request
 * that carry no code (a persisted-query hash that does not match its query, an unknown persisted-query
 * version) become BAD_REQUEST instead of being masked as internal errors.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error : null;
  const http = original?.extensions?.http as { status?: number } | undefined;
  if (original && original.extensions.code === undefined && http?.status === 400) {
    return formatClientError({ ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } });
  }
  return formatClientError(tokenLimitAsTooComplex(formatted));
}
