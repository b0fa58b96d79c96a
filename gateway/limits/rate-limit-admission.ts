import type { GatewayRateLimitSettings } from '../../subgraphs/shared/config/environment.js';
import type { RequestAdmission } from '../../subgraphs/shared/http/http-route.js';
import { countRateLimitDecision } from '../../subgraphs/shared/observability/rate-limit-metrics.js';
import type { RateLimiter } from '../../subgraphs/shared/rate-limit/rate-limiter.js';
import { retryAfterSeconds } from '../../subgraphs/shared/rate-limit/token-bucket.js';
import type { RequestPrincipal } from '../request-principal.js';
import { clientAddress, rateLimitSubject } from './rate-limit-key.js';

/**
 * The gateway's rate limit, checked on /graphql before the body is read: a refused request costs a token
 * verification and one bucket check, never a parse or a plan. Refused: HTTP 429, `Retry-After` in seconds,
 * and one GraphQL error with code RATE_LIMITED.
 */
export function rateLimitAdmission(
  settings: GatewayRateLimitSettings,
  limiter: RateLimiter,
  principalOf: RequestPrincipal,
): RequestAdmission {
  return async (request) => {
    const principal = await principalOf(request).catch(() => null);
    const subject = rateLimitSubject(principal, clientAddress(request, settings.trustedProxies));
    const decision = await limiter.take(subject.key, settings.byRole[subject.role]);
    countRateLimitDecision('gateway', subject.role, decision.allowed);
    if (decision.allowed) return null;
    const seconds = retryAfterSeconds(decision);
    return {
      code: 'RATE_LIMITED',
      message: `Too many requests from this ${subject.role === 'anonymous' ? 'address' : 'account'}; retry after ${seconds} s.`,
      headers: { 'retry-after': String(seconds) },
    };
  };
}
