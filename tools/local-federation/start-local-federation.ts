import { createBenefitsSubgraph } from '../../subgraphs/benefits/server.js';
import type { BrandSubgraph } from '../../subgraphs/brand/server.js';
import { createBrandSubgraph } from '../../subgraphs/brand/server.js';
import { readFileSync } from 'node:fs';
import type { EarningRules } from '../../subgraphs/benefits/domain/earning-rules.js';
import { loadEarningRules } from '../../subgraphs/benefits/domain/earning-rules.js';
import type { Environment } from '../../subgraphs/shared/config/environment.js';
import { partnerSecretOf } from '../../subgraphs/shared/config/environment.js';
import { schemaPath, supergraphPath } from '../../subgraphs/shared/config/paths.js';
import type { KeyValueCache } from '../../subgraphs/shared/cache/key-value-cache.js';
import type { ActivityStream } from '../../subgraphs/shared/streams/activity-stream.js';
import { MemoryActivityStream } from '../../subgraphs/shared/streams/memory-activity-stream.js';
import type { NotificationChannel } from '../../subgraphs/shared/notifications/notification-channel.js';
import type { IntelligenceModelSource } from '../../subgraphs/profile/data/intelligence-model-source.js';
import { createProfileSubgraph } from '../../subgraphs/profile/server.js';
import type {
  AuthSettings,
  GatewaySettings,
  ReconciliationSettings,
} from '../../subgraphs/shared/config/environment.js';
import { DEFAULT_RECONCILIATION_SETTINGS } from '../../subgraphs/shared/config/environment.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { GATEWAY_DEFAULT_PORT, listSubgraphs } from '../../subgraphs/shared/config/service-topology.js';
import type { PopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { startSubgraph } from '../../subgraphs/shared/http/subgraph-service.js';
import type { GatewayExplorerOptions } from '../../gateway/server.js';
import { createGateway, startGateway } from '../../gateway/server.js';
import type { FederationDatabases } from './federation-databases.js';
import type { IngestRateLimit } from '../../subgraphs/brand/ingest/ingest-route.js';
import type { RateLimiter } from '../../subgraphs/shared/rate-limit/rate-limiter.js';
import type { OperationManifest } from '../../gateway/persisted-queries/operation-manifest.js';

export interface LocalFederationOptions {
  registry: PartnerRegistry;
  dbs: FederationDatabases;
  model: PopulationModel;
  /** Default: schema/earning-rules.json. */
  earningRules?: EarningRules;
  /** Shared by every service in this process: an in-process stream reaches only the services given it. */
  activityStream: ActivityStream;
  /** Links, unlinks and erasures between the profile and the other stores; default: one in this process. */
  lifecycleStream?: ActivityStream;
  /** How long the profile waits for a store's erasure receipt before asking again. */
  erasureRetryMs?: number;
  /** The profile cache. */
  cache: KeyValueCache;
  /** Where the profile subgraph hears of new member-intelligence models (`npm run train`). */
  notifications?: NotificationChannel;
  /** How often the profile subgraph checks for a new model besides notifications. */
  modelPollMs?: number;
  /** The HMAC secret of each partner's event ingest. */
  partnerSecret: (partner: string) => string;
  auth: AuthSettings;
  /** Default: the committed schema/supergraph.graphql. */
  supergraphSdl?: string;
  /** 'default': the documented ports (gateway `gatewayPort`, subgraphs 4101…); 'ephemeral': free ports (tests). */
  ports: 'default' | 'ephemeral';
  gatewayPort?: number;
  host?: string;
  introspection?: boolean;
  /** The gateway's limits, timeouts and breakers; default: the environment's defaults. */
  gatewaySettings?: GatewaySettings;
  /** The published operations; required when `gatewaySettings` turn the safelist on. */
  operationManifest?: OperationManifest;
  /** Where the gateway's rate-limit buckets live; default: in-process. */
  gatewayRateLimiter?: RateLimiter;
  /** Each brand's ingest rate limit (a bucket per partner); default: none. */
  ingestRateLimit?: IngestRateLimit;
  now?: () => Date;
  onWorkerError?: (error: unknown) => void;
  /** The benefits service's reconciliation sweep; default: the environment's defaults. */
  reconciliation?: ReconciliationSettings;
  /** GraphiQL and the operator console; default: off. */
  explorer?: GatewayExplorerOptions;
}

/** The options that come from the environment: client-token settings and each partner's ingest secret. */
export function environmentSecrets(env: Environment): Pick<LocalFederationOptions, 'auth' | 'partnerSecret'> {
  return { auth: env.auth, partnerSecret: (partner) => partnerSecretOf(env, partner) };
}

export interface LocalFederation extends LocalSubgraphs {
  gatewayUrl: string;
}

export interface LocalSubgraphs {
  subgraphUrls: Record<string, string>;
  brands: Map<string, BrandSubgraph>;
  benefits: Awaited<ReturnType<typeof createBenefitsSubgraph>>;
  /** The profile subgraph's member-intelligence model in use. */
  intelligence: IntelligenceModelSource;
  /** Stops one subgraph (as an outage would), leaving the rest running. */
  stopSubgraph(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts every subgraph on its own port, all in this process (they share its stream and cache). */
export async function startLocalSubgraphs(options: LocalFederationOptions): Promise<LocalSubgraphs> {
  const { registry, dbs, model, auth } = options;
  const earningRules = options.earningRules ?? loadEarningRules(schemaPath('earning-rules.json'));
  const running: RunningHttpServer[] = [];
  const byName = new Map<string, RunningHttpServer>();
  const subgraphUrls: Record<string, string> = {};
  const shared = {
    internalTokenSecret: auth.internalTokenSecret,
    introspection: options.introspection,
    activityStream: options.activityStream,
    onWorkerError: options.onWorkerError,
  };
  const lifecycleStream = options.lifecycleStream ?? new MemoryActivityStream();
  const brands = new Map<string, BrandSubgraph>();
  let benefits: LocalSubgraphs['benefits'] | undefined;
  let intelligence: IntelligenceModelSource | undefined;
  try {
    for (const descriptor of listSubgraphs(registry)) {
      const port = options.ports === 'default' ? descriptor.defaultPort : 0;
      let server: RunningHttpServer;
      if (descriptor.kind === 'brand') {
        const partner = registry.byKey.get(descriptor.partner!)!;
        const brand = await createBrandSubgraph({
          ...shared,
          partner,
          db: dbs.brands.get(partner.key)!,
          partnerSecret: options.partnerSecret(partner.key),
          ingestRateLimit: options.ingestRateLimit,
          lifecycleStream,
          now: options.now,
        });
        brands.set(partner.key, brand);
        server = await startSubgraph(brand.service, { port, host: options.host });
      } else if (descriptor.kind === 'profile') {
        const profile = await createProfileSubgraph({
          ...shared,
          registry,
          db: dbs.profile,
          model,
          cache: options.cache,
          notifications: options.notifications,
          modelPollMs: options.modelPollMs,
          lifecycleStream,
          erasureRetryMs: options.erasureRetryMs,
          now: options.now,
        });
        intelligence = profile.intelligence;
        const { service } = profile;
        server = await startSubgraph(service, { port, host: options.host });
      } else {
        benefits = await createBenefitsSubgraph({
          ...shared,
          registry,
          db: dbs.benefits,
          profileConnection: dbs.profile.connection,
          responseGenerations: options.cache,
          notifications: options.notifications,
          model,
          earningRules,
          lifecycleStream,
          now: options.now,
          reconciliation: {
            brandConnections: new Map([...dbs.brands].map(([key, db]) => [key, db.connection])),
            settings: options.reconciliation ?? DEFAULT_RECONCILIATION_SETTINGS,
          },
        });
        server = await startSubgraph(benefits.service, { port, host: options.host });
      }
      running.push(server);
      byName.set(descriptor.name, server);
      subgraphUrls[descriptor.name] = server.url;
    }
    return {
      subgraphUrls,
      brands,
      benefits: benefits!,
      intelligence: intelligence!,
      stopSubgraph: async (name) => {
        const server = byName.get(name);
        if (!server) throw new Error(`No running subgraph "${name}"`);
        running.splice(running.indexOf(server), 1);
        byName.delete(name);
        await server.close();
      },
      stop: async () => {
        for (const server of running) await server.close();
      },
    };
  } catch (error) {
    for (const server of running) await server.close().catch(() => undefined);
    throw error;
  }
}

/** Starts every subgraph on its own port, then the gateway in front of them, all in this process. */
export async function startLocalFederation(options: LocalFederationOptions): Promise<LocalFederation> {
  const { registry, auth } = options;
  const supergraphSdl = options.supergraphSdl ?? readFileSync(supergraphPath(), 'utf8');
  const subgraphs = await startLocalSubgraphs(options);
  try {
    const gateway = createGateway({
      supergraphSdl,
      subgraphUrls: subgraphs.subgraphUrls,
      auth,
      introspection: options.introspection,
      brandSubgraphs: registry.partners.map((p) => p.key),
      settings: options.gatewaySettings,
      explorer: options.explorer,
      rateLimiter: options.gatewayRateLimiter,
      operationManifest: options.operationManifest,
      memberResponseGenerations: options.cache,
    });
    const gatewayPort = options.ports === 'default' ? (options.gatewayPort ?? GATEWAY_DEFAULT_PORT) : 0;
    const gatewayServer = await startGateway(gateway, { port: gatewayPort, host: options.host });
    return {
      ...subgraphs,
      gatewayUrl: gatewayServer.url,
      stop: async () => {
        await gatewayServer.close();
        await subgraphs.stop();
      },
    };
  } catch (error) {
    await subgraphs.stop().catch(() => undefined);
    throw error;
  }
}
