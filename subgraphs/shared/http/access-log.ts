import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { recordHttpRequest } from '../observability/http-metrics.js';
import type { RequestScope } from './request-scope.js';

/**
 * When the response ends (or the client leaves first), logs one line for the request and counts it:
 * route, operation, status and duration, who asked (role only), error codes. No path, query, variables,
 * headers or body: they can hold personal data and secrets.
 */
export function logWhenAnswered(
  scope: RequestScope,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  response.once('close', () => {
    const seconds = (performance.now() - scope.startedAt) / 1000;
    const status = response.writableFinished ? String(response.statusCode) : 'aborted';
    recordHttpRequest({
      service: scope.service,
      route: scope.route,
      operation: scope.operation ?? '',
      status,
      seconds,
    });
    const line = {
      method: request.method,
      route: scope.route,
      ...(scope.operation ? { operation: scope.operation } : {}),
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      ...(scope.principal ?? {}),
      ...(scope.errorCodes.size > 0 ? { errorCodes: [...scope.errorCodes] } : {}),
    };
    if (response.statusCode >= 500) scope.log.error(line, 'request answered');
    else scope.log.info(line, 'request answered');
  });
}
