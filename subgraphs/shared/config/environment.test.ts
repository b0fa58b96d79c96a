import { EnvironmentError, partnerSecretOf, readEnvironment } from './environment.js';
import { errorThrownBy } from '../../../test/thrown-error.js';

const errorOf = (env: NodeJS.ProcessEnv): string =>
  errorThrownBy(() => readEnvironment(env), EnvironmentError).message;

describe('readEnvironment', () => {
  it('fills development defaults from an empty environment', () => {
    const env = readEnvironment({});
    expect(env).toMatchObject({
      nodeEnv: 'development',
      port: 4000,
      host: '127.0.0.1',
      mongodbDbPrefix: 'jmg',
      redisKeyPrefix: 'jmg:',
    });
    expect(env.auth.jwtSecret).toBeDefined();
    expect(env.auth.internalTokenSecret.length).toBeGreaterThanOrEqual(16);
  });

  it('names the variable that is wrong', () => {
    expect(errorOf({ PORT: 'eighty' })).toContain('PORT');
    expect(errorOf({ MONGODB_URI: 'postgres://x' })).toContain(
      'MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI',
    );
    expect(errorOf({ JWT_SECRET: 'short' })).toContain('JWT_SECRET: must be at least 16 characters');
    expect(errorOf({ PARTNER_SECRET_INKWELL: 'short' })).toContain(
      'PARTNER_SECRET_INKWELL: must be at least 16 characters',
    );
  });

  it('refuses production without real secrets', () => {
    expect(errorOf({ NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: 'x'.repeat(20) })).toContain(
      'JWKS_URL (or JWT_SECRET): required in production',
    );
    expect(errorOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(20) })).toContain(
      'INTERNAL_TOKEN_SECRET: required in production',
    );
    const production = readEnvironment({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(20),
      INTERNAL_TOKEN_SECRET: 'y'.repeat(20),
    });
    expect(() => partnerSecretOf(production, 'inkwell')).toThrow(
      'PARTNER_SECRET_INKWELL: required in production',
    );
  });

  it('reads subgraph URLs and partner secrets by name', () => {
    const env = readEnvironment({
      SUBGRAPH_URL_PROFILE: 'http://profile:4201/graphql',
      PARTNER_SECRET_PULSEFIT: 'p'.repeat(20),
    });
    expect(env.subgraphUrls).toEqual({ profile: 'http://profile:4201/graphql' });
    expect(partnerSecretOf(env, 'pulsefit')).toBe('p'.repeat(20));
    expect(partnerSecretOf(env, 'inkwell')).toBe('dev-only-partner-secret-inkwell');
  });

  it('uses no client secret of its own when keys come from a JWKS URL', () => {
    const env = readEnvironment({ JWKS_URL: 'https://id.example.test/.well-known/jwks.json' });
    expect(env.auth.jwtSecret).toBeUndefined();
    expect(env.auth.jwksUrl).toBe('https://id.example.test/.well-known/jwks.json');
  });

  it('logs at info by default, silently under tests, and at the LOG_LEVEL named', () => {
    expect(readEnvironment({}).logLevel).toBe('info');
    expect(readEnvironment({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(readEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(errorOf({ LOG_LEVEL: 'verbose' })).toContain('LOG_LEVEL');
  });

  it('opens /metrics in development, closes it in production unless METRICS_TOKEN is set', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(20),
      INTERNAL_TOKEN_SECRET: 'y'.repeat(20),
    };
    expect(readEnvironment({}).metricsAccess).toEqual({ kind: 'open' });
    expect(readEnvironment(production).metricsAccess).toEqual({ kind: 'off' });
    expect(readEnvironment({ ...production, METRICS_TOKEN: 'm'.repeat(20) }).metricsAccess).toEqual({
      kind: 'token',
      token: 'm'.repeat(20),
    });
    expect(errorOf({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN: must be at least 16 characters');
  });

  it('reads the shutdown grace period in seconds', () => {
    expect(readEnvironment({}).shutdownGraceMs).toBe(10_000);
    expect(readEnvironment({ SHUTDOWN_GRACE_SECONDS: '2.5' }).shutdownGraceMs).toBe(2_500);
    expect(errorOf({ SHUTDOWN_GRACE_SECONDS: '-1' })).toContain('SHUTDOWN_GRACE_SECONDS');
  });

  it('reads the event retention and the erasure retry, naming a bad value', () => {
    expect(readEnvironment({})).toMatchObject({ eventRetentionDays: 400, erasureRetrySeconds: 60 });
    expect(readEnvironment({ EVENT_RETENTION_DAYS: '90', ERASURE_RETRY_SECONDS: '5' })).toMatchObject({
      eventRetentionDays: 90,
      erasureRetrySeconds: 5,
    });
    expect(() => readEnvironment({ EVENT_RETENTION_DAYS: '7' })).toThrow(/EVENT_RETENTION_DAYS/);
  });

  it('reads the store timeout and the reconciliation schedule, naming a bad value', () => {
    expect(readEnvironment({})).toMatchObject({
      mongoServerSelectionTimeoutMs: 2_000,
      reconciliation: { intervalMs: 60_000, lookbackMs: 600_000, settleMs: 60_000 },
    });
    expect(readEnvironment({ RECONCILE_INTERVAL_SECONDS: '0' }).reconciliation.intervalMs).toBe(0);
    expect(errorOf({ RECONCILE_INTERVAL_SECONDS: 'often' })).toContain('RECONCILE_INTERVAL_SECONDS');
    expect(errorOf({ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '10' })).toContain(
      'MONGODB_SERVER_SELECTION_TIMEOUT_MS',
    );
  });
});
