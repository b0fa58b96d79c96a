import { readEnvironment } from './environment.js';

describe('readEnvironment: rate limits and persisted queries', () => {
  it('has a bucket per role and per partner at ingest, APQ for 24 hours, and no safelist by default', () => {
    const env = readEnvironment({});
    expect(env.gateway.rateLimits).toEqual({
      enabled: true,
      trustedProxies: 0,
      byRole: {
        anonymous: { perSecond: 5, burst: 20 },
        member: { perSecond: 10, burst: 40 },
        partner: { perSecond: 50, burst: 100 },
        admin: { perSecond: 50, burst: 200 },
      },
    });
    expect(env.ingestRateLimit).toEqual({ perSecond: 20, burst: 40 });
    expect(env.gateway.persistedQueries).toEqual({ safelist: false, ttlSeconds: 86_400 });
  });

  it('reads each variable, fractional rates included', () => {
    const env = readEnvironment({
      RATE_LIMITS: 'off',
      RATE_LIMIT_MEMBER_PER_SECOND: '0.5',
      RATE_LIMIT_MEMBER_BURST: '3',
      RATE_LIMIT_TRUSTED_PROXIES: '1',
      RATE_LIMIT_INGEST_PER_SECOND: '2',
      RATE_LIMIT_INGEST_BURST: '4',
      OPERATIONS_SAFELIST: 'on',
      GATEWAY_APQ_TTL_SECONDS: '600',
    });
    expect(env.gateway.rateLimits.enabled).toBe(false);
    expect(env.gateway.rateLimits.byRole.member).toEqual({ perSecond: 0.5, burst: 3 });
    expect(env.gateway.rateLimits.trustedProxies).toBe(1);
    expect(env.ingestRateLimit).toEqual({ perSecond: 2, burst: 4 });
    expect(env.gateway.persistedQueries).toEqual({ safelist: true, ttlSeconds: 600 });
  });

  it('names a bad value', () => {
    expect(() => readEnvironment({ RATE_LIMIT_ANONYMOUS_PER_SECOND: '0' })).toThrow(
      /RATE_LIMIT_ANONYMOUS_PER_SECOND/,
    );
    expect(() => readEnvironment({ RATE_LIMIT_ADMIN_BURST: '1.5' })).toThrow(/RATE_LIMIT_ADMIN_BURST/);
    expect(() => readEnvironment({ RATE_LIMIT_INGEST_BURST: 'many' })).toThrow(/RATE_LIMIT_INGEST_BURST/);
    expect(() => readEnvironment({ OPERATIONS_SAFELIST: 'yes' })).toThrow(/OPERATIONS_SAFELIST/);
  });
});
