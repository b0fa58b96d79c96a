import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsAccess } from '../config/environment.js';
import { metricsRegistry } from '../observability/metrics-registry.js';
import type { HttpRoute } from './http-route.js';
import { sendError } from './http-responses.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether an `Authorization` header carries the metrics token (compared in constant time). */
export function presentsMetricsToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * `GET /metrics` in Prometheus' text format (see `MetricsAccess`): open, behind `Authorization: Bearer
 * <METRICS_TOKEN>`, or not served at all (404, like any unknown path).
 */
export function metricsRoutes(access: MetricsAccess): HttpRoute[] {
  if (access.kind === 'off') return [];
  return [
    {
      method: 'GET',
      path: '/metrics',
      handle: async (request, response) => {
        if (access.kind === 'token' && !presentsMetricsToken(request.headers.authorization, access.token)) {
          return sendError(
            response,
            'route',
            'UNAUTHENTICATED',
            'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.',
          );
        }
        const text = await metricsRegistry.metrics();
        response.writeHead(200, {
          'content-type': metricsRegistry.contentType,
          'content-length': String(Buffer.byteLength(text)),
        });
        response.end(text);
      },
    },
  ];
}
