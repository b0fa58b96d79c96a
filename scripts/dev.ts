/**
 * npm start [-- --members N]
 * Runs the whole federation on this machine as three processes, so that it uses more than one core: the
 * embedded MongoDB-compatible store (unless MONGODB_URI), the subgraphs, and the gateway on PORT (4000).
 * Demo data is seeded when the store is empty. Lines are prefixed by service; Ctrl-C stops the gateway
 * first and the store last (which then writes its snapshot).
 */
import { parseArgs } from 'node:util';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { prepareDemoData } from '../tools/local-federation/prepare-demo-data.js';
import type { ServiceProcess } from '../tools/local-federation/service-process.js';
import { startServiceProcess } from '../tools/local-federation/service-process.js';
import { storeNodeArgs, youngGenerationNodeArgs } from '../tools/local-federation/service-heap.js';
import { partnerRegistryPath, projectRoot } from '../subgraphs/shared/config/paths.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { resolve } from 'node:path';

const USAGE = `usage: npm start [-- --members <1-1000000>] [--ephemeral-ports]
  --members          demo members seeded into an empty store (default 2000)
  --ephemeral-ports  subgraphs on free ports instead of 4101… (the gateway follows PORT; PORT=0 picks a free one)`;

interface StartOptions {
  demoMembers: number;
  ephemeralPorts: boolean;
}

function readStartOptions(): StartOptions {
  try {
    const { values } = parseArgs({
      options: {
        members: { type: 'string' },
        'ephemeral-ports': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const members = Number(values.members ?? 2000);
    if (!Number.isInteger(members) || members < 1 || members > 1_000_000)
      throw new Error(`--members must be an integer from 1 to 1000000, got '${values.members}'`);
    return { demoMembers: members, ephemeralPorts: values['ephemeral-ports'] === true };
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const { demoMembers, ephemeralPorts } = readStartOptions();
const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const entry = (path: string) => resolve(projectRoot(), path);
const services: ServiceProcess[] = [];
let stopping = false;

async function stopAll(reason: string, exitCode: number): Promise<never> {
  stopping = true;
  console.log(`\n${reason}: stopping the gateway, the subgraphs, then the store…`);
  const graceMs = env.shutdownGraceMs + 10_000;
  for (const service of [...services].reverse()) await service.stop(graceMs);
  console.log('Stopped.');
  process.exit(exitCode);
}

function supervise(service: ServiceProcess): ServiceProcess {
  services.push(service);
  void service.exited.then((how) => {
    if (!stopping) void stopAll(`${service.name} stopped unexpectedly (${how})`, 1);
  });
  return service;
}

process.on('SIGINT', () => void (stopping || stopAll('SIGINT', 0)));
process.on('SIGTERM', () => void (stopping || stopAll('SIGTERM', 0)));

try {
  let mongoUri = env.mongodbUri;
  if (mongoUri) console.log('MongoDB at MONGODB_URI');
  else {
    const store = supervise(
      startServiceProcess({
        name: 'store',
        entry: entry('scripts/mongo-embedded.ts'),
        args: ['--port', '0', '--dbpath', env.mongoDataDir],
        nodeArgs: storeNodeArgs(),
      }),
    );
    mongoUri = (await store.ready).urls.mongodb;
    console.log(`Embedded MongoDB at ${mongoUri} (data kept in ${env.mongoDataDir})`);
  }
  await prepareDemoData(env, registry, mongoUri, demoMembers, (line) => console.log(line));

  const subgraphs = supervise(
    startServiceProcess({
      name: 'subgraphs',
      entry: entry('scripts/run-local-subgraphs.ts'),
      args: ephemeralPorts ? ['--ephemeral-ports'] : [],
      nodeArgs: youngGenerationNodeArgs(),
      env: { ...process.env, MONGODB_URI: mongoUri },
    }),
  );
  const subgraphUrls = (await subgraphs.ready).urls;
  const routes = Object.fromEntries(
    Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url]),
  );
  const gateway = supervise(
    startServiceProcess({
      name: 'gateway',
      entry: entry('gateway/index.ts'),
      env: { ...process.env, ...routes },
    }),
  );
  const gatewayUrl = (await gateway.ready).urls.gateway;
  await printWelcome(gatewayUrl, subgraphUrls);
} catch (error) {
  if (!stopping) await stopAll(`could not start: ${(error as Error).message}`, 1);
}

async function printWelcome(gatewayUrl: string, subgraphUrls: Record<string, string>): Promise<void> {
  const token = await signDevToken({ role: 'member', memberId: DEMO_MEMBER_ID }, env.auth.jwtSecret!, {
    issuer: env.auth.issuer,
    audience: env.auth.audience,
  });
  const sample = `{ me { id displayName mindspark { brandMemberId localTier } profile { compositeScore tier { code name } tierProgress { hint } segment { label } recommendations(first: 3) { partner category reason } affinities { category share } explanation } benefits { items { benefit { id title partner } reason } } } }`;
  const page = (path: string) =>
    env.explorer.enabled ? gatewayUrl.replace('/graphql', path) : 'off (EXPLORER_ENABLED=true)';
  console.log(`
Gateway:      ${gatewayUrl}
Health:       ${gatewayUrl.replace('/graphql', '/health')}
GraphiQL:     ${page('/graphiql')}
Console:      ${page('/console')}
Subgraphs:    ${Object.entries(subgraphUrls)
    .map(([name, url]) => `${name} ${url}`)
    .join('\n              ')}
Processes:    ${services.map((service) => service.name).join(', ')} (pids: ${services.map((service) => service.pid).join(', ')})

Dev token for ${DEMO_MEMBER_ID} (12 h; more with \`npm run token\`):
${token}

Try it:
curl -s ${gatewayUrl} \\
  -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${token}' \\
  -d '${JSON.stringify({ query: sample })}'

Press Ctrl-C to stop.`);
}
