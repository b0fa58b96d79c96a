import type { HttpRoute } from './http-route.js';
import { sendJson } from './http-responses.js';
import type { ReadinessCheck } from './readiness.js';
import { runReadinessChecks } from './readiness.js';

/**
 * `GET /health`: the process is alive and serving HTTP (a liveness probe: failing it means restart).
 * `GET /ready`: the service can do its work now (a readiness probe: failing it means send no traffic):
 * 503 naming the checks that failed, or while the service drains for shutdown.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], isDraining: () => boolean): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handle: (_request, response) => sendJson(response, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/ready',
      handle: async (_request, response, _body, scope) => {
        if (isDraining())
          return sendJson(response, 503, { status: 'unavailable', failed: ['shutting-down'] });
        const results = await runReadinessChecks(checks);
        const failures = results.filter((r) => !r.ok);
        for (const f of failures) scope.log.warn({ check: f.name, error: f.error }, 'readiness check failed');
        const failed = failures.filter((r) => r.required).map((r) => r.name);
        const degraded = failures.filter((r) => !r.required).map((r) => r.name);
        const checksOut = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'failed']));
        if (failed.length > 0)
          return sendJson(response, 503, { status: 'unavailable', failed, checks: checksOut });
        sendJson(response, 200, {
          status: degraded.length > 0 ? 'degraded' : 'ready',
          ...(degraded.length > 0 ? { degraded } : {}),
          checks: checksOut,
        });
      },
    },
  ];
}
