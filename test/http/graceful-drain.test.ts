import { ApolloServer } from '@apollo/server';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import { ANONYMOUS } from '../../subgraphs/shared/auth/principal.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { startApolloHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { createLogger } from '../../subgraphs/shared/observability/logger.js';
import { sendRaw } from './raw-http-client.js';

/**
 * Shutdown drains: no new connections, idle keep-alive connections closed at once, requests in flight
 * finished (and their connections closed after them), and at the deadline whatever is left is cut.
 */

interface Gate {
  opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A server with `POST /slow`, which answers once `release` is opened, and tells when a request reached it. */
async function startSlowServer(shutdownGraceMs: number) {
  const release = gate();
  const arrived = gate();
  const apollo = new ApolloServer<{ principal: Principal }>({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: {},
  });
  await apollo.start();
  const server = await startApolloHttpServer({
    service: 'drain-test',
    apollo,
    context: async () => ({ principal: ANONYMOUS }),
    port: 0,
    shutdownGraceMs,
    logger: createLogger('silent'),
    routes: [
      {
        method: 'POST',
        path: '/slow',
        handle: async (_request, response) => {
          arrived.open();
          await release.opened;
          response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' });
          response.end('done');
        },
      },
    ],
  });
  return { server, release, arrived };
}

const slowRequest = (server: RunningHttpServer) =>
  sendRaw(server.port, { chunks: ['POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'] });

/** A keep-alive connection that has had its answer and now sits idle; resolves `closed` when the server closes it. */
async function idleKeepAliveConnection(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  return { socket, closed };
}

const refused = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

describe('graceful shutdown of the HTTP server', () => {
  it('lets a request in flight finish, closing idle connections and refusing new ones meanwhile', async () => {
    const { server, release, arrived } = await startSlowServer(60_000);
    const idle = await idleKeepAliveConnection(server.port);
    const inFlight = slowRequest(server);
    await arrived.opened;

    const closing = server.close();
    // The idle connection goes at once, while the request in flight is still waiting.
    await idle.closed;
    expect(await refused(server.port)).toBe('ECONNREFUSED');

    release.open();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('done');
    expect(answer.headers.connection).toBe('close');
    await closing;
  });

  it('cuts what is still in flight at the deadline', async () => {
    const { server, release, arrived } = await startSlowServer(50);
    const inFlight = slowRequest(server);
    await arrived.opened;
    await server.close();
    const answer = await inFlight;
    expect(answer.status).toBeNull();
    release.open();
  });
});
