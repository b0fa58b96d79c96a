import { registeredCounter } from './metrics-registry.js';

const decisions = registeredCounter({
  name: 'rate_limit_decisions_total',
  help: 'Rate-limit checks, by limiter (gateway, ingest), role and outcome (allowed, limited).',
  labelNames: ['limiter', 'role', 'outcome'] as const,
});

const fallbacks = registeredCounter({
  name: 'rate_limit_fallbacks_total',
  help: 'Rate-limit checks decided in-process because Redis failed or was slow, by limiter.',
  labelNames: ['limiter'] as const,
});

/** `role` is one of a fixed few (anonymous, member, partner, admin, or a partner key at ingest). */
export function countRateLimitDecision(limiter: string, role: string, allowed: boolean): void {
  decisions.inc({ limiter, role, outcome: allowed ? 'allowed' : 'limited' });
}

export function countRateLimitFallback(limiter: string): void {
  fallbacks.inc({ limiter });
}
