import { POINTS_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import { PROFILE_CONSUMER_GROUP } from '../../subgraphs/profile/server.js';
import { configureLogging } from '../../subgraphs/shared/observability/logger.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';

/**
 * Across the federation: one request id follows a request from the gateway into every subgraph's logs;
 * every service is ready and says what it checked; the gateway's metrics count its fetches per subgraph,
 * failures by code included.
 */

const DASHBOARD = `query Dashboard { me { id displayName mindspark { brandMemberId } starlight { brandMemberId }
  profile { compositeScore tier { code } } benefits { items { benefit { id } } } } }`;

type LogLine = Record<string, unknown>;

describe('observability across the federation', () => {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  let fed: TestFederation;
  let token: string;

  beforeAll(async () => {
    // Every service of this test process logs here (services pick the process's logger when they start).
    configureLogging('info', {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    });
    fed = await startTestFederation({ members: 20 });
    token = await fed.token({ role: 'member', memberId: 'M000001' });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const metricsOf = async (url: string): Promise<string> => (await fetch(new URL('/metrics', url))).text();

  it('logs one request id across the gateway and every subgraph it reached, and nothing personal', async () => {
    const { status, body } = await fed.query(DASHBOARD, {
      token,
      headers: { 'x-request-id': 'req-trace-000001' },
    });
    expect(status).toBe(200);
    const displayName = (body.data as { me: { displayName: string } }).me.displayName;

    const answered = lines.filter((l) => l.requestId === 'req-trace-000001' && l.msg === 'request answered');
    const gateway = answered.find((l) => l.service === 'gateway');
    expect(gateway).toMatchObject({
      route: '/graphql',
      operation: 'Dashboard',
      status: '200',
      role: 'member',
    });
    const services = new Set(answered.map((l) => l.service));
    for (const service of ['gateway', 'profile', 'benefits', 'mindspark', 'starlight']) {
      expect([...services]).toContain(service);
    }
    for (const line of answered.filter((l) => l.service !== 'gateway')) {
      expect(line).toMatchObject({ route: '/graphql', status: '200', role: 'member' });
      // The query planner names subgraph operations after the client's.
      expect(String(line.operation)).toMatch(/^Dashboard__/);
    }

    const everything = raw.join('\n');
    expect(everything).not.toContain('M000001');
    expect(everything).not.toContain(displayName);
    expect(everything).not.toContain(token);
  });

  it('reports every service ready, with what it checked', async () => {
    const gateway = await fetch(new URL('/ready', fed.federation.gatewayUrl));
    expect([gateway.status, await gateway.json()]).toEqual([
      200,
      { status: 'ready', checks: { supergraph: 'ok' } },
    ]);
    for (const [name, url] of Object.entries(fed.federation.subgraphUrls)) {
      const ready = await fetch(new URL('/ready', url));
      expect({ name, status: ready.status, body: await ready.json() }).toEqual({
        name,
        status: 200,
        body: { status: 'ready', checks: { mongodb: 'ok', redis: 'ok' } },
      });
    }
  });

  it("counts the gateway's requests by operation and its fetches by subgraph", async () => {
    await fed.query(DASHBOARD, { token });
    const metrics = await metricsOf(fed.federation.gatewayUrl);
    expect(metrics).toMatch(
      /http_requests_total\{service="gateway",route="\/graphql",operation="Dashboard",status="200"\} [1-9]/,
    );
    for (const subgraph of ['profile', 'benefits', 'mindspark', 'starlight']) {
      expect(metrics).toMatch(
        new RegExp(`gateway_subgraph_fetches_total\\{subgraph="${subgraph}",outcome="ok"\\} [1-9]`),
      );
      expect(metrics).toContain(
        `gateway_subgraph_fetch_duration_seconds_count{subgraph="${subgraph}",outcome="ok"}`,
      );
    }
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });

  it("reports each event consumer's pending count, lag and the age of the events it applied", async () => {
    // Seeding published the demo members' events; both consumer groups have applied some of them.
    const metrics = await metricsOf(fed.federation.subgraphUrls.benefits!);
    for (const group of [POINTS_CONSUMER_GROUP, PROFILE_CONSUMER_GROUP]) {
      expect(metrics).toMatch(new RegExp(`event_consumer_pending\\{group="${group}"\\} \\d+`));
      expect(metrics).toMatch(new RegExp(`event_consumer_lag_seconds\\{group="${group}"\\} [\\d.e-]+`));
      expect(metrics).toMatch(new RegExp(`event_applied_age_seconds_count\\{group="${group}"\\} [1-9]`));
    }
  });

  it('counts fetches to a brand that does not answer as unreachable', async () => {
    await fed.federation.stopSubgraph('starlight');
    const { status } = await fed.query(DASHBOARD, { token });
    expect(status).toBe(200);
    const metrics = await metricsOf(fed.federation.gatewayUrl);
    expect(metrics).toMatch(
      /gateway_subgraph_fetches_total\{subgraph="starlight",outcome="unreachable"\} [1-9]/,
    );
  });
});
