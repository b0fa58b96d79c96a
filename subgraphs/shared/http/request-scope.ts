import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import type { PrincipalLogFields } from '../observability/principal-log-fields.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';
import type { RequestTarget } from './request-target.js';
import { parseRequestTarget } from './request-target.js';

/**
 * What the server knows about one request, created once when it arrives and handed explicitly to the route
 * and the context factory; the request itself is never written to. The access log reads it when the
 * response ends, so the fields below are filled in as the request is understood.
 */
export interface RequestScope {
  readonly requestId: string;
  readonly service: string;
  /** The service's logger with this request's id on every line. */
  readonly log: Logger;
  readonly startedAt: number;
  /** Null when the request target is not a path this server can read (answered 400). */
  readonly target: RequestTarget | null;
  /** The matched route's path, or `unmatched`: a label for logs and metrics, never the raw path. */
  route: string;
  /** The GraphQL operation name (`anonymous` when it has none), once the operation is resolved. */
  operation?: string;
  /** Who asked, once the context factory has established it. */
  principal?: PrincipalLogFields;
  /** The `extensions.code` of every GraphQL error the answer carries. */
  readonly errorCodes: Set<string>;
}

/** Opens the scope of a request that just arrived, and echoes its id on the response (refusals included). */
export function openRequestScope(
  request: IncomingMessage,
  response: ServerResponse,
  service: string,
  log: Logger,
): RequestScope {
  const requestId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
  response.setHeader(REQUEST_ID_HEADER, requestId);
  return {
    requestId,
    service,
    log: log.child({ requestId }),
    startedAt: performance.now(),
    target: parseRequestTarget(request.url),
    route: 'unmatched',
    errorCodes: new Set(),
  };
}

// Apollo hands plugins the context, not the HTTP request, and a shallow copy of it at that (so batched
// operations do not share one): an own enumerable symbol property survives the copy and stays out of the
// way of resolvers.
const REQUEST_SCOPE = Symbol('requestScope');

type ScopedContext = { [REQUEST_SCOPE]?: RequestScope };

export function bindScopeToContext(context: object, scope: RequestScope): void {
  (context as ScopedContext)[REQUEST_SCOPE] = scope;
}

export function scopeOfContext(context: object): RequestScope | undefined {
  return (context as ScopedContext)[REQUEST_SCOPE];
}
