import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import type { CostRole, OperationLimitSettings } from '../../subgraphs/shared/config/environment.js';
import { AppError } from '../../subgraphs/shared/errors.js';
import type { OperationMetrics } from './operation-metrics.js';

export type LimitName =
  'documentBytes' | 'tokens' | 'depth' | 'aliases' | 'rootFields' | 'directives' | 'cost';

const ROLE_NAMES: Record<CostRole, string> = {
  anonymous: 'a caller without a token',
  member: 'a member',
  partner: 'a partner',
  admin: 'an operator',
};

export function costRoleOf(principal: Principal): CostRole {
  switch (principal.role) {
    case 'partner_staff':
    case 'partner_service':
      return 'partner';
    default:
      return principal.role;
  }
}

const number = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'more than can be counted';

export function operationTooComplex(
  limit: LimitName,
  actual: number,
  max: number,
  message: string,
): AppError {
  return new AppError('OPERATION_TOO_COMPLEX', message, {
    limit,
    max,
    ...(Number.isFinite(actual) ? { actual: Math.round(actual) } : {}),
    http: { status: 400 },
  });
}

/** The first limit the operation breaks, as the error the client reads; null when it is within all of them. */
export function findLimitViolation(
  metrics: OperationMetrics,
  documentBytes: number,
  limits: OperationLimitSettings,
  role: CostRole,
): AppError | null {
  const checks: [LimitName, number, number, string][] = [
    [
      'documentBytes',
      documentBytes,
      limits.maxDocumentBytes,
      `The document is ${number(documentBytes)} bytes; the gateway accepts at most ${number(limits.maxDocumentBytes)}.`,
    ],
    [
      'depth',
      metrics.depth,
      limits.maxDepth,
      `The operation nests fields ${number(metrics.depth)} levels deep; at most ${limits.maxDepth} are allowed.`,
    ],
    [
      'aliases',
      metrics.aliases,
      limits.maxAliases,
      `The operation uses ${number(metrics.aliases)} aliases (fragments counted where they are spread); at most ${limits.maxAliases} are allowed.`,
    ],
    [
      'rootFields',
      metrics.rootFields,
      limits.maxRootFields,
      `The operation selects ${number(metrics.rootFields)} root fields; at most ${limits.maxRootFields} are allowed. Split it into several requests.`,
    ],
    [
      'directives',
      metrics.directives,
      limits.maxDirectives,
      `The operation uses ${number(metrics.directives)} directives; at most ${limits.maxDirectives} are allowed.`,
    ],
    [
      'cost',
      metrics.cost,
      limits.costBudgets[role],
      `The operation's estimated cost is ${number(metrics.cost)}; ${ROLE_NAMES[role]} may run at most ${number(limits.costBudgets[role])}. Ask for fewer items (a smaller \`first\`) or fewer fields.`,
    ],
  ];
  for (const [limit, actual, max, message] of checks) {
    if (!(actual <= max)) return operationTooComplex(limit, actual, max, message);
  }
  return null;
}

// graphql 16 writes "more that"; accept the corrected spelling of a later release too.
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * graphql-js stops parsing at `maxTokens` and Apollo reports that as a syntax error; the client should read
 * it as the limit it is. Any other error is returned unchanged.
 */
export function tokenLimitAsTooComplex(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.exec(formatted.message);
  if (!match) return formatted;
  const max = Number(match[1]);
  return {
    message: `The document has more than ${number(max)} tokens; the gateway parses at most ${number(max)}. Send a smaller operation.`,
    extensions: { code: 'OPERATION_TOO_COMPLEX', limit: 'tokens', max },
  };
}
