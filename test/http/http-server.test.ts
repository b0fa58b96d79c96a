import { ApolloServer } from '@apollo/server';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import { ANONYMOUS } from '../../subgraphs/shared/auth/principal.js';
import type { MetricsAccess } from '../../subgraphs/shared/config/environment.js';
import { AppError, formatClientError } from '../../subgraphs/shared/errors.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { startApolloHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { operationObserverPlugin } from '../../subgraphs/shared/http/operation-observer-plugin.js';
import { partialResultStatusPlugin } from '../../subgraphs/shared/http/partial-result-status-plugin.js';
import type { ReadinessCheck } from '../../subgraphs/shared/http/readiness.js';
import { createLogger } from '../../subgraphs/shared/observability/logger.js';

/**
 * The HTTP layer on its own, around a small schema: statuses from the error registry, readiness, the
 * metrics guard, and what the logs say (and do not say).
 */

interface Context {
  principal: Principal;
  requestId: string;
}

const typeDefs = `type Query { hello: String, secret: String, broken: String, both: Both }
  type Both { ok: String, denied: String }`;
const resolvers = {
  Query: {
    hello: () => 'world',
    secret: () => {
      throw new AppError('FORBIDDEN', 'Only operators may read the secret.');
    },
    broken: () => {
      throw new Error('connection to 10.0.0.7 lost while reading member M000042');
    },
    both: () => ({}),
  },
  Both: {
    ok: () => 'fine',
    denied: () => {
      throw new AppError('FORBIDDEN', 'Not this one.');
    },
  },
};

interface Started {
  server: RunningHttpServer;
  base: string;
  logs: Record<string, unknown>[];
}

/** The servers the running test started: each test's are closed after it. */
const running: Started[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((started) => started.server.close()));
});

async function start(
  options: { readiness?: ReadinessCheck[]; metricsAccess?: MetricsAccess; refuseWith?: AppError } = {},
): Promise<Started> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) });
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    formatError: formatClientError,
    includeStacktraceInErrorResponses: false,
    plugins: [operationObserverPlugin(), partialResultStatusPlugin()],
    logger,
  });
  await apollo.start();
  const server = await startApolloHttpServer<Context>({
    service: 'test-service',
    apollo,
    context: async (request, scope) => {
      if (options.refuseWith) throw options.refuseWith;
      const member = request.headers['x-test-member'];
      return {
        principal: typeof member === 'string' ? { role: 'member', memberId: member } : ANONYMOUS,
        requestId: scope.requestId,
      };
    },
    port: 0,
    readiness: options.readiness,
    metricsAccess: options.metricsAccess,
    logger,
  });
  const started = { server, base: server.url.replace('/graphql', ''), logs };
  running.push(started);
  return started;
}

const ask = (base: string, query: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

describe('statuses from the error registry', () => {
  it('a request refused by its context answers the status of the error code', async () => {
    const started = await start({ refuseWith: new AppError('RATE_LIMITED', 'Slow down.') });
    const response = await ask(started.base, '{ hello }');
    expect(response.status).toBe(429);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    // The status travels in `extensions.http` to Apollo, which does not show it to the client.
    expect(body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED' });
  });

  it('a field error leaves the response at 200 with its code, alongside the data that resolved', async () => {
    const started = await start();
    const whole = await ask(started.base, '{ hello secret }');
    expect(whole.status).toBe(200);
    expect(await whole.json()).toEqual({
      data: { hello: 'world', secret: null },
      errors: [
        {
          message: 'Only operators may read the secret.',
          locations: [{ line: 1, column: 9 }],
          path: ['secret'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    const nested = await ask(started.base, '{ both { ok denied } }');
    expect(nested.status).toBe(200);
  });

  it('a query that does not validate still answers 400', async () => {
    const started = await start();
    expect((await ask(started.base, '{ shoeSize }')).status).toBe(400);
  });
});

describe('GET /health and GET /ready', () => {
  const failing = (name: string, required?: boolean): ReadinessCheck => ({
    name,
    required,
    check: async () => {
      throw new Error(`${name} at 10.0.0.9:27017 refused the connection`);
    },
  });
  const passing = (name: string): ReadinessCheck => ({ name, check: async () => 'ok' });

  it('is ready when every check passes', async () => {
    const started = await start({ readiness: [passing('mongodb'), passing('redis')] });
    const health = await fetch(`${started.base}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${started.base}/ready`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', checks: { mongodb: 'ok', redis: 'ok' } },
    ]);
  });

  it('answers 503 naming the required check that failed, and logs why without telling the client', async () => {
    const started = await start({ readiness: [failing('mongodb'), passing('redis')] });
    const ready = await fetch(`${started.base}/ready`, { headers: { 'x-request-id': 'ready-probe-1' } });
    expect(ready.status).toBe(503);
    const text = await ready.text();
    expect(JSON.parse(text)).toEqual({
      status: 'unavailable',
      failed: ['mongodb'],
      checks: { mongodb: 'failed', redis: 'ok' },
    });
    expect(text).not.toContain('10.0.0.9');
    expect(started.logs).toContainEqual(
      expect.objectContaining({
        requestId: 'ready-probe-1',
        check: 'mongodb',
        error: 'mongodb at 10.0.0.9:27017 refused the connection',
      }),
    );
    // Liveness is another question: the process is alive.
    expect((await fetch(`${started.base}/health`)).status).toBe(200);
  });

  it('stays ready but says degraded when only a check that is not required fails', async () => {
    const started = await start({ readiness: [passing('mongodb'), failing('redis', false)] });
    const ready = await fetch(`${started.base}/ready`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'degraded', degraded: ['redis'], checks: { mongodb: 'ok', redis: 'failed' } },
    ]);
  });
});

describe('GET /metrics access', () => {
  it('is open by default, in the Prometheus text format', async () => {
    const started = await start();
    await ask(started.base, 'query Greeting { hello }');
    const response = await fetch(`${started.base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /http_requests_total\{service="test-service",route="\/graphql",operation="Greeting",status="200"\} \d+/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('asks for the token when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const started = await start({ metricsAccess: { kind: 'token', token } });
    expect((await fetch(`${started.base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${started.base}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${started.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
  });

  it('is not served at all when off', async () => {
    const started = await start({ metricsAccess: { kind: 'off' } });
    expect((await fetch(`${started.base}/metrics`)).status).toBe(404);
  });
});

describe('logs', () => {
  it('write one line per request: request id, service, role, route, operation, status, duration', async () => {
    const started = await start();
    await ask(started.base, 'query Greeting { hello }', {
      'x-request-id': 'req-log-0001',
      'x-test-member': 'M000042',
      authorization: 'Bearer secret-token-value',
    });
    const line = started.logs.find((l) => l.msg === 'request answered' && l.requestId === 'req-log-0001');
    expect(line).toEqual(
      expect.objectContaining({
        level: 'info',
        requestId: 'req-log-0001',
        method: 'POST',
        route: '/graphql',
        operation: 'Greeting',
        status: '200',
        role: 'member',
        durationMs: expect.any(Number),
      }),
    );
    const everything = JSON.stringify(started.logs);
    expect(everything).not.toContain('M000042');
    expect(everything).not.toContain('secret-token-value');
  });

  it('log an unexpected error with its cause and the request id, which the client gets instead', async () => {
    const started = await start();
    const response = await ask(started.base, '{ broken }', { 'x-request-id': 'req-broken-01' });
    expect(response.headers.get('x-request-id')).toBe('req-broken-01');
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'Unexpected server error; quote the request id to an operator.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const logged = started.logs.find((l) => l.level === 'error' && l.requestId === 'req-broken-01');
    expect(logged).toMatchObject({
      msg: 'unexpected error while answering a GraphQL request',
      path: 'broken',
      err: expect.objectContaining({ message: expect.stringContaining('connection to 10.0.0.7 lost') }),
    });
    const answered = started.logs.find(
      (l) => l.msg === 'request answered' && l.requestId === 'req-broken-01',
    );
    expect(answered).toMatchObject({ errorCodes: ['INTERNAL_SERVER_ERROR'] });
  });
});
