/**
 * npm run bench:hung-brand -- [--requests 20]
 * Measures member dashboard latency through a gateway whose mindspark subgraph is replaced by a TCP socket
 * that accepts connections and never answers: while the circuit breaker is still closed (each request waits
 * for the brand timeout), and once it has opened (the brand's fields come back partial at once). Default
 * settings (GATEWAY_TIMEOUT_BRAND_MS, GATEWAY_BREAKER_FAILURES, … from the environment).
 */
import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { startTestFederation } from '../test/federation-harness.js';
import { startGatewayOver } from '../test/gateway/gateway-over-federation.js';
import { readCountOptions } from './cli-options.js';

const { requests } = readCountOptions({ requests: 20 }, 'npm run bench:hung-brand -- [--requests 20]').counts;
const settings = readEnvironment().gateway;

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore unavailablePartners tier { code } } benefits { items { benefit { id } reason } } } }`;

const sockets = new Set<Socket>();
let connections = 0;
const hung = createServer((socket) => {
  connections += 1;
  sockets.add(socket);
  socket.on('error', () => undefined);
});
await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
const hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;

console.log('Starting a federation (embedded store, 40 seeded members)…');
const fed = await startTestFederation({ members: 40 });
const gateway = await startGatewayOver(fed, {
  subgraphUrls: { mindspark: hungUrl },
  settings: () => settings,
});
const token = await fed.token({ role: 'member', memberId: 'M000001' });

const time = async (query: (q: string, o: { token: string }) => Promise<{ body: unknown }>) => {
  const started = process.hrtime.bigint();
  const { body } = await query(DASHBOARD, { token });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const partial = JSON.stringify(body).includes('SUBGRAPH_UNAVAILABLE');
  return { ms, partial };
};
const summary = (label: string, timings: number[]): void => {
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `  ${label.padEnd(44)} ${String(sorted.length).padStart(3)} requests  median ${median.toFixed(1)} ms  max ${sorted[sorted.length - 1].toFixed(1)} ms`,
  );
};

try {
  console.log(
    `Brand timeout ${settings.fetch.timeoutMs.brand} ms, breaker opens after ${settings.fetch.breakerFailures} failures for ${settings.fetch.breakerOpenMs} ms.`,
  );
  const healthy: number[] = [];
  for (let i = 0; i < requests; i++) healthy.push((await time(fed.query)).ms);
  const breaker = gateway.gateway.breakers.get('mindspark')!;
  const closed: number[] = [];
  while (breaker.state === 'closed') {
    const { ms, partial } = await time(gateway.query);
    if (!partial) throw new Error('expected a partial answer while mindspark hangs');
    closed.push(ms);
    process.stderr.write(`  breaker closed: request ${closed.length} took ${ms.toFixed(0)} ms\n`);
  }
  const connectionsWhenOpened = connections;
  const open: number[] = [];
  for (let i = 0; i < requests && breaker.state === 'open'; i++) {
    const { ms, partial } = await time(gateway.query);
    if (!partial) throw new Error('expected a partial answer while the breaker is open');
    open.push(ms);
  }
  console.log('Dashboard latency, requests one after another:');
  summary('every brand answering (the shared gateway)', healthy);
  summary('mindspark hung, breaker closed (partial)', closed);
  summary('mindspark hung, breaker open (partial)', open);
  console.log(
    `  connections the hung brand accepted: ${connectionsWhenOpened} before the breaker opened, ${connections - connectionsWhenOpened} after.`,
  );
} finally {
  await gateway.close();
  await fed.stop();
  for (const socket of sockets) socket.destroy();
  hung.close();
}
