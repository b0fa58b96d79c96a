import type { Server, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useTestFederation } from '../federation-harness.js';
import { dataOf } from '../federation/graphql-responses.js';
import type { ExtraGateway } from './gateway-over-federation.js';
import { startGatewayOver } from './gateway-over-federation.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } inkwell { brandMemberId }
  profile { compositeScore unavailablePartners tier { code } } benefits { unavailablePartners items { reason } } } }`;

interface Dashboard {
  me: {
    id: string;
    mindspark: { brandMemberId: string } | null;
    inkwell: { brandMemberId: string } | null;
    profile: { compositeScore: number; unavailablePartners: string[]; tier: { code: string } };
    benefits: { unavailablePartners: string[]; items: { reason: string }[] };
  };
}

type ServiceError = { message: string; extensions?: { code?: string; serviceName?: string } };

/** A TCP server that accepts connections and never writes a byte back: a brand that hangs. */
async function startHungServer(): Promise<{
  url: string;
  connections: () => number;
  bytes: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytes = 0;
  const server: Server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    connections: () => connections,
    bytes: () => bytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP server that answers every request with one status and body: a brand failing on its own. */
async function startFailingServer(
  status: number,
  body: unknown,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: HttpServer = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('subgraph deadlines, failure classes and circuit breakers', () => {
  const fed = useTestFederation({ members: 20 });
  let token: string;

  beforeAll(async () => {
    token = await fed.token({ role: 'member', memberId: 'M000001' });
  });

  describe('a brand that accepts connections and never answers', () => {
    let hung: Awaited<ReturnType<typeof startHungServer>>;
    let gateway: ExtraGateway;

    beforeAll(async () => {
      // Warm the subgraphs (connections, caches) so that only the hung brand is slow.
      await fed.query(DASHBOARD, { token });
      hung = await startHungServer();
      gateway = await startGatewayOver(fed, {
        subgraphUrls: { mindspark: hung.url },
        // The brand timeout applies to every brand, the healthy ones included: long enough for them on a
        // loaded machine, short enough for the hung one to fail twice.
        settings: (d) => ({
          ...d,
          fetch: {
            ...d.fetch,
            timeoutMs: { ...d.fetch.timeoutMs, brand: 5_000 },
            breakerFailures: 2,
            breakerOpenMs: 600_000,
          },
        }),
      });
    });

    afterAll(async () => {
      await gateway?.close();
      await hung?.close();
    });

    const expectPartialDashboard = (body: { errors?: ServiceError[] }): void => {
      const me = dataOf<Dashboard>(body).me;
      expect(me.id).toBe('M000001');
      expect(me.mindspark).toBeNull();
      expect(me.inkwell?.brandMemberId).toBeDefined();
      expect(me.profile.unavailablePartners).toEqual(['mindspark']);
      expect(me.benefits.unavailablePartners).toEqual(['mindspark']);
      expect(body.errors?.length).toBeGreaterThan(0);
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'mindspark' });
      }
    };

    it('answers the dashboard partially once the fetch times out, and opens the breaker after the threshold', async () => {
      for (let i = 0; i < 2; i++) {
        const { status, body } = await gateway.query(DASHBOARD, { token });
        expect(status).toBe(200);
        expectPartialDashboard(body as { errors?: ServiceError[] });
      }
      const mindspark = gateway.outcomes.filter((o) => o.subgraph === 'mindspark');
      expect(mindspark.map((o) => o.kind)).toEqual(['timeout', 'timeout']);
      expect(hung.connections()).toBeGreaterThan(0);
      expect(hung.bytes()).toBeGreaterThan(0);
      expect(gateway.gateway.breakers.get('mindspark')?.state).toBe('open');
      // The other subgraphs answered throughout.
      expect(gateway.outcomes.filter((o) => o.subgraph !== 'mindspark').every((o) => o.kind === 'ok')).toBe(
        true,
      );
    });

    it('with the breaker open, answers partially without sending the hung brand anything', async () => {
      const connections = hung.connections();
      const bytes = hung.bytes();
      const { status, body } = await gateway.query(DASHBOARD, { token });
      expect(status).toBe(200);
      expectPartialDashboard(body as { errors?: ServiceError[] });
      expect(gateway.outcomes.filter((o) => o.subgraph === 'mindspark').at(-1)?.kind).toBe('short_circuited');
      expect(hung.connections()).toBe(connections);
      expect(hung.bytes()).toBe(bytes);
    });
  });

  describe("a brand's own HTTP errors", () => {
    it.each([
      [401, 'UNAUTHENTICATED', 'This subgraph only answers requests signed by the gateway.'],
      [500, 'INTERNAL_SERVER_ERROR', 'Unexpected server error; quote the request id to an operator.'],
    ])(
      'HTTP %s is passed on as %s, with the rest of the dashboard, and logged with the request id',
      async (status, code, message) => {
        const failing = await startFailingServer(status, {
          errors: [
            { message: 'This subgraph only answers requests signed by the gateway.', extensions: { code } },
          ],
        });
        const gateway = await startGatewayOver(fed, { subgraphUrls: { inkwell: failing.url } });
        try {
          const response = await gateway.query(DASHBOARD, {
            token,
            headers: { 'x-request-id': `req-inkwell-${status}` },
          });
          expect(response.status).toBe(200);
          const errors = response.body.errors as ServiceError[];
          expect(errors.length).toBeGreaterThan(0);
          for (const error of errors) {
            expect(error.extensions?.code).toBe(code);
            expect(error.message).toBe(message);
          }
          const me = dataOf<Dashboard>(response.body).me;
          expect(me.inkwell).toBeNull();
          expect(me.mindspark?.brandMemberId).toBeDefined();
          const inkwell = gateway.outcomes.filter((o) => o.subgraph === 'inkwell');
          expect(inkwell[0]).toMatchObject({
            kind: 'subgraph_error',
            status,
            codes: [code],
            requestId: `req-inkwell-${status}`,
          });
          // An answer, even an error, means the brand is up: its breaker stays closed.
          expect(gateway.gateway.breakers.get('inkwell')?.state).toBe('closed');
        } finally {
          await gateway.close();
          await failing.close();
        }
      },
    );
  });
});
