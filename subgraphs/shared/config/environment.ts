import { z } from 'zod';
import { MAX_RESPONSE_CACHE_TTL_SECONDS } from '../cache/member-response-generations.js';
import type { TokenBucketLimit } from '../rate-limit/token-bucket.js';
import type { SubgraphKind } from './service-topology.js';

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
  MODEL_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3_650).default(400),
  ERASURE_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  PARTNER: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  // How long a store operation waits for MongoDB to be reachable before it fails (README "When MongoDB is down").
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  // The reconciliation sweep (README "Reconciliation"); an interval of 0 turns the periodic run off.
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  RECONCILE_LOOKBACK_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(600),
  RECONCILE_SETTLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  EXPLORER_ENABLED: z.enum(['true', 'false'], 'must be true or false').optional(),
  RATE_LIMIT_INGEST_PER_SECOND: z.coerce.number().positive().default(20),
  RATE_LIMIT_INGEST_BURST: z.coerce.number().int().min(1).default(40),
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
  /** Longest lifetime a client token may claim (`exp - iat`, or `exp - now` without `iat`). */
  maxTokenLifetimeSeconds?: number;
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
  /** How often the profile subgraph checks for a new member-intelligence model besides notifications. */
  modelPollSeconds: number;
  /** Raw events older than this are purged by each brand's retention sweep (docs/architecture.md §7). */
  eventRetentionDays: number;
  /** How long the profile waits for a store's erasure receipt before asking it again. */
  erasureRetrySeconds: number;
  partner?: string;
  /** `SUBGRAPH_URL_<NAME>` overrides, keyed by lower-case subgraph name. */
  subgraphUrls: Record<string, string>;
  /** `LOG_LEVEL`; by default `info`, and `silent` under tests. */
  logLevel: LogLevel;
  metricsAccess: MetricsAccess;
  /** How long a stopping service lets in-flight requests finish before it cuts them. */
  shutdownGraceMs: number;
  gateway: GatewaySettings;
  mongoServerSelectionTimeoutMs: number;
  reconciliation: ReconciliationSettings;
  explorer: ExplorerSettings;
  /** Signed ingest requests one partner may send (one bucket per partner, shared by its replicas on Redis). */
  ingestRateLimit: TokenBucketLimit;
}

/** The reconciliation sweep's schedule and window (docs/architecture.md §6). */
export interface ReconciliationSettings {
  /** 0: no periodic run (`npm run reconcile` still works). */
  intervalMs: number;
  lookbackMs: number;
  settleMs: number;
}

/**
 * GraphiQL and the operator console (`EXPLORER_ENABLED`): on by default outside production, off in production
 * unless enabled. Development tokens are offered outside production only, whatever the variable says.
 */
export interface ExplorerSettings {
  enabled: boolean;
  offerDevTokens: boolean;
}

export class EnvironmentError extends Error {}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = schema.safeParse(env);
  const gateway = readGatewaySettings(env);
  const issues = [...(parsed.error?.issues ?? []), ...gateway.issues];
  if (!parsed.success || !gateway.settings) {
    const lines = issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
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
      maxTokenLifetimeSeconds: gateway.settings.maxTokenLifetimeSeconds,
    },
    mongodbUri: e.MONGODB_URI,
    mongodbDbPrefix: e.MONGODB_DB_PREFIX,
    mongoDataDir: e.MONGO_DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    partnerSecrets,
    populationModelPath: e.POPULATION_MODEL_PATH,
    modelPollSeconds: e.MODEL_POLL_SECONDS,
    eventRetentionDays: e.EVENT_RETENTION_DAYS,
    erasureRetrySeconds: e.ERASURE_RETRY_SECONDS,
    partner: e.PARTNER,
    subgraphUrls,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    metricsAccess: e.METRICS_TOKEN
      ? { kind: 'token', token: e.METRICS_TOKEN }
      : { kind: production ? 'off' : 'open' },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    gateway: gateway.settings.gateway,
    mongoServerSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    reconciliation: reconciliationSettingsOf(e),
    ingestRateLimit: { perSecond: e.RATE_LIMIT_INGEST_PER_SECOND, burst: e.RATE_LIMIT_INGEST_BURST },
    explorer: {
      enabled: e.EXPLORER_ENABLED ? e.EXPLORER_ENABLED === 'true' : !production,
      offerDevTokens: !production,
    },
  };
}

function reconciliationSettingsOf(e: z.infer<typeof schema>): ReconciliationSettings {
  return {
    intervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
    lookbackMs: e.RECONCILE_LOOKBACK_SECONDS * 1000,
    settleMs: e.RECONCILE_SETTLE_SECONDS * 1000,
  };
}

/** The sweep's defaults (in-process federations start from these). */
export const DEFAULT_RECONCILIATION_SETTINGS = reconciliationSettingsOf(schema.parse({}));

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

// ---- Gateway limits and failure behaviour (README "Limits and failure behaviour") ----

/** Who pays which cost budget: partner staff and partner services share one. */
export type CostRole = 'anonymous' | 'member' | 'partner' | 'admin';

export interface OperationLimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  /** Enforced while parsing: the parser stops at this many tokens. */
  maxTokens: number;
  maxDocumentBytes: number;
  costBudgets: Record<CostRole, number>;
}

export interface SubgraphFetchSettings {
  /** Per fetch, by kind of subgraph. */
  timeoutMs: Record<SubgraphKind, number>;
  /** Per client request: no subgraph fetch starts or runs past it. */
  requestBudgetMs: number;
  /** Consecutive failures (unreachable, timed out) that open a subgraph's circuit breaker. */
  breakerFailures: number;
  /** How long an open breaker answers at once before one probe request is let through. */
  breakerOpenMs: number;
}

export interface GatewayCacheSettings {
  documentCacheMiB: number;
  queryPlanCacheMiB: number;
  persistedQueryCacheMiB: number;
  /** How long a member's cached answer may be served (0: no response cache); see gateway/response-cache. */
  responseCacheTtlSeconds: number;
  responseCacheMiB: number;
}

export interface GatewayRateLimitSettings {
  /** `RATE_LIMITS=off` turns them off (benchmarks); on by default. */
  enabled: boolean;
  /** One bucket per principal (member, partner staff or service, operator; an address without a token). */
  byRole: Record<CostRole, TokenBucketLimit>;
  /** Proxies in front of the gateway that append to `X-Forwarded-For`; 0: the socket's address is the client. */
  trustedProxies: number;
}

export interface PersistedQuerySettings {
  /** Only operations from `operations/manifest.json` run (`OPERATIONS_SAFELIST=on`). */
  safelist: boolean;
  /** How long a registered APQ entry lives in the shared store. */
  ttlSeconds: number;
}

export interface GatewaySettings {
  limits: OperationLimitSettings;
  fetch: SubgraphFetchSettings;
  caches: GatewayCacheSettings;
  rateLimits: GatewayRateLimitSettings;
  persistedQueries: PersistedQuerySettings;
}

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const rate = (fallback: number) => z.coerce.number().positive().default(fallback);
const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);

const gatewaySchema = z.object({
  GATEWAY_MAX_DEPTH: positive(10),
  GATEWAY_MAX_ALIASES: positive(30),
  GATEWAY_MAX_ROOT_FIELDS: positive(10),
  GATEWAY_MAX_DIRECTIVES: positive(20),
  GATEWAY_MAX_TOKENS: positive(2000),
  GATEWAY_MAX_DOCUMENT_BYTES: positive(32_768),
  GATEWAY_COST_ANONYMOUS: positive(500),
  GATEWAY_COST_MEMBER: positive(2_000),
  GATEWAY_COST_PARTNER: positive(5_000),
  GATEWAY_COST_ADMIN: positive(20_000),
  GATEWAY_TIMEOUT_BRAND_MS: positive(1_500),
  GATEWAY_TIMEOUT_PROFILE_MS: positive(3_000),
  GATEWAY_TIMEOUT_BENEFITS_MS: positive(3_000),
  GATEWAY_REQUEST_BUDGET_MS: positive(8_000),
  GATEWAY_BREAKER_FAILURES: positive(5),
  GATEWAY_BREAKER_OPEN_MS: positive(10_000),
  GATEWAY_DOCUMENT_CACHE_MIB: positive(10),
  GATEWAY_QUERY_PLAN_CACHE_MIB: positive(30),
  GATEWAY_APQ_CACHE_MIB: positive(10),
  GATEWAY_RESPONSE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_RESPONSE_CACHE_TTL_SECONDS)
    .default(60),
  GATEWAY_RESPONSE_CACHE_MIB: positive(32),
  JWT_MAX_LIFETIME_SECONDS: positive(86_400),
  GATEWAY_APQ_TTL_SECONDS: positive(86_400),
  OPERATIONS_SAFELIST: onOff('off'),
  RATE_LIMITS: onOff('on'),
  RATE_LIMIT_ANONYMOUS_PER_SECOND: rate(5),
  RATE_LIMIT_ANONYMOUS_BURST: positive(20),
  RATE_LIMIT_MEMBER_PER_SECOND: rate(10),
  RATE_LIMIT_MEMBER_BURST: positive(40),
  RATE_LIMIT_PARTNER_PER_SECOND: rate(50),
  RATE_LIMIT_PARTNER_BURST: positive(100),
  RATE_LIMIT_ADMIN_PER_SECOND: rate(50),
  RATE_LIMIT_ADMIN_BURST: positive(200),
  RATE_LIMIT_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
});

function readGatewaySettings(env: NodeJS.ProcessEnv): {
  settings?: { gateway: GatewaySettings; maxTokenLifetimeSeconds: number };
  issues: { path: PropertyKey[]; message: string }[];
} {
  const parsed = gatewaySchema.safeParse(env);
  if (!parsed.success) return { issues: parsed.error.issues };
  const g = parsed.data;
  const costBudgets = {
    anonymous: g.GATEWAY_COST_ANONYMOUS,
    member: g.GATEWAY_COST_MEMBER,
    partner: g.GATEWAY_COST_PARTNER,
    admin: g.GATEWAY_COST_ADMIN,
  };
  const order: CostRole[] = ['anonymous', 'member', 'partner', 'admin'];
  for (let i = 1; i < order.length; i++) {
    if (costBudgets[order[i]] < costBudgets[order[i - 1]]) {
      const name = `GATEWAY_COST_${order[i].toUpperCase()}`;
      return {
        issues: [
          {
            path: [name],
            message: `must be at least GATEWAY_COST_${order[i - 1].toUpperCase()} (${costBudgets[order[i - 1]]})`,
          },
        ],
      };
    }
  }
  return {
    issues: [],
    settings: {
      maxTokenLifetimeSeconds: g.JWT_MAX_LIFETIME_SECONDS,
      gateway: {
        limits: {
          maxDepth: g.GATEWAY_MAX_DEPTH,
          maxAliases: g.GATEWAY_MAX_ALIASES,
          maxRootFields: g.GATEWAY_MAX_ROOT_FIELDS,
          maxDirectives: g.GATEWAY_MAX_DIRECTIVES,
          maxTokens: g.GATEWAY_MAX_TOKENS,
          maxDocumentBytes: g.GATEWAY_MAX_DOCUMENT_BYTES,
          costBudgets,
        },
        fetch: {
          timeoutMs: {
            brand: g.GATEWAY_TIMEOUT_BRAND_MS,
            profile: g.GATEWAY_TIMEOUT_PROFILE_MS,
            benefits: g.GATEWAY_TIMEOUT_BENEFITS_MS,
          },
          requestBudgetMs: g.GATEWAY_REQUEST_BUDGET_MS,
          breakerFailures: g.GATEWAY_BREAKER_FAILURES,
          breakerOpenMs: g.GATEWAY_BREAKER_OPEN_MS,
        },
        caches: {
          documentCacheMiB: g.GATEWAY_DOCUMENT_CACHE_MIB,
          queryPlanCacheMiB: g.GATEWAY_QUERY_PLAN_CACHE_MIB,
          persistedQueryCacheMiB: g.GATEWAY_APQ_CACHE_MIB,
          responseCacheTtlSeconds: g.GATEWAY_RESPONSE_CACHE_TTL_SECONDS,
          responseCacheMiB: g.GATEWAY_RESPONSE_CACHE_MIB,
        },
        rateLimits: {
          enabled: g.RATE_LIMITS === 'on',
          byRole: {
            anonymous: { perSecond: g.RATE_LIMIT_ANONYMOUS_PER_SECOND, burst: g.RATE_LIMIT_ANONYMOUS_BURST },
            member: { perSecond: g.RATE_LIMIT_MEMBER_PER_SECOND, burst: g.RATE_LIMIT_MEMBER_BURST },
            partner: { perSecond: g.RATE_LIMIT_PARTNER_PER_SECOND, burst: g.RATE_LIMIT_PARTNER_BURST },
            admin: { perSecond: g.RATE_LIMIT_ADMIN_PER_SECOND, burst: g.RATE_LIMIT_ADMIN_BURST },
          },
          trustedProxies: g.RATE_LIMIT_TRUSTED_PROXIES,
        },
        persistedQueries: {
          safelist: g.OPERATIONS_SAFELIST === 'on',
          ttlSeconds: g.GATEWAY_APQ_TTL_SECONDS,
        },
      },
    },
  };
}

/** The defaults every variable above falls back to (tests and in-process federations start from these). */
export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = readGatewaySettings({}).settings!.gateway;
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = readGatewaySettings({}).settings!.maxTokenLifetimeSeconds;
