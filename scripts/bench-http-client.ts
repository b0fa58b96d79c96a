/**
 * npm run bench:http-client -- [--calls 3000]
 * The client side of one subgraph call, two ways, against a local server in this process: the gateway's
 * keep-alive `http.request` client (gateway/keep-alive-http.ts) and Node's `fetch`. Interleaved rounds;
 * prints the CPU each call cost this process (client and server together, the server's share the same for
 * both) and the wall time per call. Nothing is asserted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeepAliveHttp } from '../gateway/keep-alive-http.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions({ calls: 3_000 }, 'npm run bench:http-client -- [--calls 3000]');
const answer = JSON.stringify({ data: { me: { id: 'M000001', displayName: 'x'.repeat(1_500) } } });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(answer);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const body = JSON.stringify({ query: '{ me { id displayName } }', variables: {} });
const headers = { 'content-type': 'application/json' };
const http = createKeepAliveHttp();
const clients: Record<string, () => Promise<unknown>> = {
  'keep-alive http.request': async () =>
    JSON.parse(await (await http.send(url, { method: 'POST', headers, body })).text()),
  'Node fetch': async () => (await fetch(url, { method: 'POST', headers, body })).json(),
};
const totals = new Map<string, { cpuMs: number; wallMs: number; calls: number }>();
for (let round = 0; round < 4; round++) {
  for (const [name, call] of Object.entries(clients)) {
    for (let i = 0; i < 200; i++) await call(); // warm
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < counts.calls / 4; i++) await call();
    const used = process.cpuUsage(cpu);
    const total = totals.get(name) ?? { cpuMs: 0, wallMs: 0, calls: 0 };
    total.cpuMs += (used.user + used.system) / 1000;
    total.wallMs += performance.now() - started;
    total.calls += counts.calls / 4;
    totals.set(name, total);
  }
}
http.close();
server.close();
const base = totals.get('Node fetch')!;
for (const [name, t] of totals) {
  console.log(
    `${name.padEnd(24)} ${(t.cpuMs / t.calls).toFixed(3)} ms CPU per call (${((t.cpuMs / t.calls / (base.cpuMs / base.calls)) * 100).toFixed(0)} % of fetch's), ${(t.wallMs / t.calls).toFixed(3)} ms per call`,
  );
}
