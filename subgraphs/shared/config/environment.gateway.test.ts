import { DEFAULT_GATEWAY_SETTINGS, EnvironmentError, readEnvironment } from './environment.js';

describe('readEnvironment: gateway limits and failure behaviour', () => {
  it('has defaults for every limit, timeout, breaker and cache, and a 24-hour token lifetime', () => {
    const env = readEnvironment({});
    expect(env.gateway).toEqual(DEFAULT_GATEWAY_SETTINGS);
    expect(env.gateway.limits).toMatchObject({
      maxDepth: 10,
      maxAliases: 30,
      maxRootFields: 10,
      maxTokens: 2000,
    });
    expect(env.gateway.fetch.timeoutMs).toEqual({ brand: 1500, profile: 3000, benefits: 3000 });
    expect(env.auth.maxTokenLifetimeSeconds).toBe(86_400);
  });

  it('reads each variable', () => {
    const env = readEnvironment({
      GATEWAY_MAX_DEPTH: '7',
      GATEWAY_COST_ADMIN: '50000',
      GATEWAY_TIMEOUT_BRAND_MS: '800',
      GATEWAY_BREAKER_FAILURES: '3',
      GATEWAY_QUERY_PLAN_CACHE_MIB: '5',
      JWT_MAX_LIFETIME_SECONDS: '3600',
    });
    expect(env.gateway.limits.maxDepth).toBe(7);
    expect(env.gateway.limits.costBudgets.admin).toBe(50_000);
    expect(env.gateway.fetch.timeoutMs.brand).toBe(800);
    expect(env.gateway.fetch.breakerFailures).toBe(3);
    expect(env.gateway.caches.queryPlanCacheMiB).toBe(5);
    expect(env.auth.maxTokenLifetimeSeconds).toBe(3600);
  });

  it('names a bad value, and refuses budgets that do not grow from anonymous to operator', () => {
    expect(() => readEnvironment({ GATEWAY_MAX_ALIASES: '0' })).toThrow(/GATEWAY_MAX_ALIASES/);
    expect(() => readEnvironment({ GATEWAY_TIMEOUT_BRAND_MS: 'soon' })).toThrow(EnvironmentError);
    expect(() => readEnvironment({ GATEWAY_COST_MEMBER: '100' })).toThrow(
      'GATEWAY_COST_MEMBER: must be at least GATEWAY_COST_ANONYMOUS (500)',
    );
  });
});
