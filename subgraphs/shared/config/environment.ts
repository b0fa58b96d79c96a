import { z } from 'zod';

/**
 * The one place that reads the environment. Every service takes the typed result, so tests pass explicit
 * values and a deployment fails fast at start-up with a message naming the bad variable.
 */
const DEV_JWT_SECRET = 'dev-only-client-jwt-secret-not-for-production';
const DEV_INTERNAL_SECRET = 'dev-only-internal-token-secret-not-for-production';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  INTERNAL_TOKEN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MONGODB_URI: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URI').optional(),
  MONGODB_DB_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_]{1,20}$/, 'must be 1-20 letters, digits or underscores')
    .default('jmg'),
  MONGO_DATA_DIR: z.string().default('.data/mongo'),
  REDIS_URL: z.string().startsWith('redis', 'must be a redis:// or rediss:// URL').optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_:.-]{0,40}$/, 'must be up to 40 letters, digits or _ : . -')
    .default('jmg:'),
  POPULATION_MODEL_PATH: z.string().optional(),
  PARTNER: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
});

/**
 * Who may read `GET /metrics`: anyone (development), callers presenting `Authorization: Bearer
 * <METRICS_TOKEN>`, or nobody (production without a token: counters reveal traffic, so they are not
 * published to whoever reaches the port unless the deployment decides so).
 */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

export interface AuthSettings {
  /** HS256 secret for client tokens (development), or undefined when `jwksUrl` is set. */
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  internalTokenSecret: string;
}

export interface Environment {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  auth: AuthSettings;
  mongodbUri?: string;
  mongodbDbPrefix: string;
  mongoDataDir: string;
  redisUrl?: string;
  redisKeyPrefix: string;
  /** `PARTNER_SECRET_<KEY>` values, keyed by lower-case partner key: the HMAC secrets of event ingest. */
  partnerSecrets: Record<string, string>;
  populationModelPath?: string;
  partner?: string;
  /** `SUBGRAPH_URL_<NAME>` overrides, keyed by lower-case subgraph name. */
  subgraphUrls: Record<string, string>;
  /** `LOG_LEVEL`; by default `info`, and `silent` under tests. */
  logLevel: LogLevel;
  metricsAccess: MetricsAccess;
  /** How long a stopping service lets in-flight requests finish before it cuts them. */
  shutdownGraceMs: number;
}

export class EnvironmentError extends Error {}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new EnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.JWT_SECRET && !e.JWKS_URL) {
    throw new EnvironmentError('Invalid environment:\n  - JWKS_URL (or JWT_SECRET): required in production');
  }
  if (production && !e.INTERNAL_TOKEN_SECRET) {
    throw new EnvironmentError('Invalid environment:\n  - INTERNAL_TOKEN_SECRET: required in production');
  }
  const subgraphUrls: Record<string, string> = {};
  const partnerSecrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const url = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(key);
    if (url && value) subgraphUrls[url[1].toLowerCase()] = value;
    const secret = /^PARTNER_SECRET_([A-Z0-9_]+)$/.exec(key);
    if (secret && value) {
      if (value.length < 16)
        throw new EnvironmentError(`Invalid environment:\n  - ${key}: must be at least 16 characters`);
      partnerSecrets[secret[1].toLowerCase()] = value;
    }
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    auth: {
      jwtSecret: e.JWT_SECRET ?? (e.JWKS_URL ? undefined : DEV_JWT_SECRET),
      jwksUrl: e.JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      internalTokenSecret: e.INTERNAL_TOKEN_SECRET ?? DEV_INTERNAL_SECRET,
    },
    mongodbUri: e.MONGODB_URI,
    mongodbDbPrefix: e.MONGODB_DB_PREFIX,
    mongoDataDir: e.MONGO_DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    partnerSecrets,
    populationModelPath: e.POPULATION_MODEL_PATH,
    partner: e.PARTNER,
    subgraphUrls,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    metricsAccess: e.METRICS_TOKEN
      ? { kind: 'token', token: e.METRICS_TOKEN }
      : { kind: production ? 'off' : 'open' },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

/**
 * The HMAC secret a partner signs its events with: `PARTNER_SECRET_<KEY>`; outside production a
 * development default, which `npm run ingest` also uses.
 */
export function partnerSecretOf(
  env: Pick<Environment, 'nodeEnv' | 'partnerSecrets'>,
  partner: string,
): string {
  const secret = env.partnerSecrets[partner];
  if (secret) return secret;
  if (env.nodeEnv === 'production') {
    throw new EnvironmentError(
      `Invalid environment:\n  - PARTNER_SECRET_${partner.toUpperCase()}: required in production`,
    );
  }
  return `dev-only-partner-secret-${partner}`;
}
