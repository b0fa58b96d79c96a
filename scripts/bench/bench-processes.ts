/**
 * The processes `npm run bench` measures, each on its own so that /proc tells what each costs: the embedded
 * store (unless MONGODB_URI), a redis-server of the bench's own when one is installed (else REDIS_URL), the
 * subgraphs as `npm start` runs them, and the front ends over those same subgraphs: the product gateway with
 * the member response cache off and on, a stock Apollo gateway, and the direct floor. The store is seeded
 * through `npm start`'s own path (tools/local-federation/prepare-demo-data.ts) into databases of the run's own.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import type { Environment } from '../../subgraphs/shared/config/environment.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import { closeRedis, connectRedis } from '../../subgraphs/shared/redis-connection.js';
import type { FederationDatabases } from '../../tools/local-federation/federation-databases.js';
import { openFederationDatabases } from '../../tools/local-federation/federation-databases.js';
import { prepareDemoData } from '../../tools/local-federation/prepare-demo-data.js';
import {
  RedisServerProcess,
  freePort,
  redisServerInstalled,
} from '../../tools/local-federation/redis-server-process.js';
import type { ServiceProcess } from '../../tools/local-federation/service-process.js';
import { startServiceProcess } from '../../tools/local-federation/service-process.js';
import { storeNodeArgs, youngGenerationNodeArgs } from '../../tools/local-federation/service-heap.js';
import {
  waitForEventBacklog,
  waitForExpirySweep,
} from '../../tools/local-federation/wait-for-event-backlog.js';

/** The front ends the bench sends the dashboard to. */
export const FRONT_ENDS = ['product', 'product-cached', 'stock', 'floor'] as const;
export type FrontEnd = (typeof FRONT_ENDS)[number];

/** A process whose CPU the bench reads; pid null when it is not the bench's to measure (a shared Redis, MONGODB_URI). */
export interface MeasuredProcess {
  name: string;
  pid: number | null;
}

export interface BenchProcesses<F extends FrontEnd = FrontEnd> {
  /** The URL each front end started answers GraphQL on. */
  urls: Record<F, string>;
  /** Each started front end's process. */
  frontEnds: Record<F, MeasuredProcess>;
  /** Each subgraph's URL, by name (a brand's is its partner key). */
  subgraphUrls: Record<string, string>;
  /** The processes behind every front end: subgraphs, store, redis. */
  backends: MeasuredProcess[];
  /** What the product gateways answer /metrics with (for the response cache's hits and misses). */
  metricsToken: string;
  /** Warnings and errors each service has logged so far (Redis timing out on a loaded machine, say). */
  warnings(): Record<string, number>;
  dbs: FederationDatabases;
  /** Stops every process and drops the run's databases. */
  stop(): Promise<void>;
}

export interface BenchProcessOptions<F extends FrontEnd = FrontEnd> {
  env: Environment;
  registry: PartnerRegistry;
  /** Names the run's databases and Redis keys. */
  run: string;
  members: number;
  /** The front ends to start (default: all of them). */
  frontEnds?: readonly F[];
  /** Run every service from the compiled JavaScript there (`npm run build`'s `dist`) instead of through tsx. */
  compiledDir?: string;
  /**
   * Write V8 CPU profiles of every service into a folder there named after it (`gateway/`), when it stops:
   * one file per thread, node's own names (under tsx the module loader's thread writes one too; the main
   * thread's is the larger). One fixed file name would let the loader's profile overwrite the main one.
   */
  cpuProfileDir?: string;
  log: (line: string) => void;
}

const entry = (path: string) => resolve(projectRoot(), path);
const STOP_GRACE_MS = 15_000;

/** The pid a Redis server reports (`INFO server`). */
async function redisPid(url: string): Promise<number | null> {
  const redis = connectRedis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    const info = await redis.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : null;
  } finally {
    await closeRedis(redis);
  }
}

export async function startBenchProcesses<F extends FrontEnd = FrontEnd>(
  options: BenchProcessOptions<F>,
): Promise<BenchProcesses<F>> {
  const { env, registry, run, log } = options;
  const started: ServiceProcess[] = [];
  const warned: Record<string, number> = {};
  // The services' warnings and errors go to stderr, prefixed and cut short (a loaded machine makes many alike);
  // their info lines are turned off below.
  const service = (name: string, path: string, childEnv: NodeJS.ProcessEnv, args: string[] = []) => {
    const child = startServiceProcess({
      name,
      entry: entry(path),
      compiledDir: options.compiledDir,
      args,
      nodeArgs: [
        ...(name === 'store' ? storeNodeArgs() : []),
        ...(name === 'subgraphs' ? youngGenerationNodeArgs() : []),
        ...(options.cpuProfileDir
          ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfileDir, name)}`]
          : []),
      ],
      env: childEnv,
      write: (line) => {
        if (/^\S+\s+(warn|error|fatal) /.test(line)) warned[name] = (warned[name] ?? 0) + 1;
        process.stderr.write(`${line.length > 240 ? `${line.slice(0, 240)}…` : line}\n`);
      },
    });
    started.push(child);
    return child;
  };
  let ownRedis: RedisServerProcess | null = null;
  let dbs: FederationDatabases | null = null;
  const modelPath = join(tmpdir(), `${run}-population.json`);
  const stop = async () => {
    for (const child of [...started].reverse()) await child.stop(STOP_GRACE_MS);
    // The store the bench started goes with its data; one at MONGODB_URI keeps nothing of the run.
    if (env.mongodbUri && dbs) await dbs.drop().catch(() => undefined);
    await dbs?.close().catch(() => undefined);
    await ownRedis?.stop();
    rmSync(modelPath, { force: true });
  };
  try {
    let redisUrl = env.redisUrl;
    if (redisServerInstalled()) {
      ownRedis = new RedisServerProcess(await freePort());
      await ownRedis.start();
      redisUrl = ownRedis.url;
    } else if (!redisUrl)
      throw new Error(
        'the member response cache needs Redis shared by the gateway and the subgraphs: install redis-server or set REDIS_URL',
      );
    const backends: MeasuredProcess[] = [];
    let mongoUri = env.mongodbUri;
    if (!mongoUri) {
      const store = service('store', 'scripts/mongo-embedded.ts', process.env, ['--port', '0']);
      mongoUri = (await store.ready).urls.mongodb;
      backends.push({ name: 'store', pid: store.pid ?? null });
    } else backends.push({ name: 'store', pid: null });
    backends.push({ name: 'redis', pid: ownRedis ? await redisPid(redisUrl) : null });

    const benchEnv: Environment = { ...env, mongodbDbPrefix: run, populationModelPath: modelPath };
    await prepareDemoData(benchEnv, registry, mongoUri, options.members, log);
    const metricsToken = `${run}-metrics-token-for-the-bench`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: mongoUri,
      MONGODB_DB_PREFIX: run,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `${run}:`,
      POPULATION_MODEL_PATH: modelPath,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: metricsToken,
      // Members send every request: this measures the dashboard, not the rate limit.
      RATE_LIMITS: 'off',
      EXPLORER_ENABLED: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const subgraphs = service('subgraphs', 'scripts/run-local-subgraphs.ts', childEnv, ['--ephemeral-ports']);
    const subgraphUrls = (await subgraphs.ready).urls;
    backends.unshift({ name: 'subgraphs', pid: subgraphs.pid ?? null });
    // The seeded events flow to the points ledger in the subgraphs' workers; measure once they have.
    log('Waiting for the seeded events to be credited…');
    dbs = await openFederationDatabases(mongoUri, run, registry);
    // About 28 seeded events a member. At 100,000 members the crediting wrote about 150 ledger entries a second
    // (README, Dashboard benchmark): hours, beyond this timeout.
    await waitForEventBacklog(dbs, 1_500, Math.max(300_000, options.members * 60), (progress) =>
      log(
        `  ${Math.round(progress.waitedMs / 1000)} s: ${progress.ledgerEntries} ledger entries${progress.eventsWaiting ? ', events still waiting to be published' : ', every event published'}`,
      ),
    );
    log('Waiting for the first sweep of expired points…');
    await waitForExpirySweep(dbs, Math.max(180_000, options.members * 6));

    const routes = Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url]),
    );
    const frontEndEnv = { ...childEnv, ...routes };
    const start: Record<FrontEnd, () => ServiceProcess> = {
      product: () =>
        service('gateway', 'gateway/index.ts', { ...frontEndEnv, GATEWAY_RESPONSE_CACHE_TTL_SECONDS: '0' }),
      // The product's default time to live: the cache as it would run.
      'product-cached': () => service('gw-cached', 'gateway/index.ts', frontEndEnv),
      stock: () => service('stock', 'tools/local-federation/stock-apollo-gateway-process.ts', frontEndEnv),
      floor: () => service('floor', 'tools/local-federation/plan-floor-process.ts', frontEndEnv),
    };
    const names = options.frontEnds ?? (FRONT_ENDS as readonly FrontEnd[] as readonly F[]);
    const children = names.map((name) => [name, start[name]()] as const);
    const urls = {} as Record<F, string>;
    const frontEnds = {} as Record<F, MeasuredProcess>;
    for (const [name, child] of children) {
      urls[name] = Object.values((await child.ready).urls)[0];
      frontEnds[name] = { name, pid: child.pid ?? null };
    }
    return {
      urls,
      frontEnds,
      subgraphUrls,
      backends,
      metricsToken,
      warnings: () => ({ ...warned }),
      dbs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
