import type { ApolloServer } from '@apollo/server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsAccess } from '../config/environment.js';
import type { Logger } from '../observability/logger.js';
import { serviceLogger } from '../observability/logger.js';
import { logWhenAnswered } from './access-log.js';
import { GracefulDrain } from './graceful-drain.js';
import type { ContextFactory, GraphQLRequestScreen, ObservedContext } from './graphql-routes.js';
import { GRAPHQL_PATH, graphqlRoutes } from './graphql-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpRoute, RequestAdmission } from './http-route.js';
import type { ErrorShape } from './http-responses.js';
import { sendError } from './http-responses.js';
import { metricsRoutes } from './metrics-route.js';
import type { ReadinessCheck } from './readiness.js';
import {
  BodyAbortedError,
  BodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  declaredBodyLength,
  discardRefusedBody,
  readRequestBody,
} from './request-body.js';
import type { RequestScope } from './request-scope.js';
import { openRequestScope } from './request-scope.js';
import { unparsableRequestHandlers } from './unparsable-requests.js';

export type { HttpRoute, Refusal, RequestAdmission } from './http-route.js';
export { sendJson } from './http-responses.js';
export { GRAPHQL_PATH } from './graphql-routes.js';

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  /** Drains (stops accepting, lets requests in flight finish within the grace period), then stops Apollo. */
  close(): Promise<void>;
}

export interface ApolloHttpServerOptions<TContext extends ObservedContext> {
  /** The service's name in logs and metrics (`gateway`, `profile`, a partner key, …). */
  service: string;
  apollo: ApolloServer<TContext>;
  context: ContextFactory<TContext>;
  port: number;
  host?: string;
  routes?: HttpRoute[];
  /** What a browser asking `GET /graphql` for HTML gets (the gateway's GraphiQL); default: Apollo's answer. */
  graphqlBrowserPage?: HttpRoute['handle'];
  /** Checked on /graphql before the body is read (the gateway's rate limits). */
  admitGraphQL?: RequestAdmission;
  /** Checked on /graphql once the request is read, before Apollo parses it (the gateway's safelist). */
  screenGraphQL?: GraphQLRequestScreen;
  /** What `GET /ready` checks; the service is ready when every required check passes. */
  readiness?: ReadinessCheck[];
  /** Default: open (development and tests); service entry points pass the environment's choice. */
  metricsAccess?: MetricsAccess;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** How long `close()` lets requests in flight finish before cutting them (default 10 s). */
  shutdownGraceMs?: number;
  logger?: Logger;
}

/** Where and how a service listens: from the environment in a deployment (`listenOptions`), or chosen by a test. */
export type ListenOptions = Pick<
  ApolloHttpServerOptions<never>,
  'port' | 'host' | 'metricsAccess' | 'shutdownGraceMs'
>;

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Routes answer errors in their own shape: GraphQL's on /graphql, `{ error }` elsewhere. */
const shapeOf = (scope: RequestScope): ErrorShape =>
  scope.target?.pathname === GRAPHQL_PATH ? 'graphql' : 'route';

/**
 * Finds the route and reads the body, answering every request it cannot serve with a 4xx: a target that is
 * not a path, an HTTP version other than 1.x, no Host, an unknown path or method, a body too large or cut
 * off. Nothing a client sends reaches a route unchecked, or escapes as an exception.
 */
async function dispatch(
  routes: readonly HttpRoute[],
  limit: number,
  request: IncomingMessage,
  response: ServerResponse,
  scope: RequestScope,
): Promise<void> {
  const shape = shapeOf(scope);
  if (request.httpVersionMajor !== 1) {
    return sendError(response, shape, 'BAD_REQUEST', 'Send HTTP/1.1 (or HTTP/1.0) requests.', {
      connection: 'close',
    });
  }
  if (!scope.target) {
    return sendError(response, shape, 'BAD_REQUEST', 'The request target must be a path, such as /graphql.');
  }
  if (request.httpVersionMinor === 1 && !request.headers.host) {
    return sendError(response, shape, 'BAD_REQUEST', 'An HTTP/1.1 request needs a Host header.');
  }
  const onPath = routes.filter((r) => r.path === scope.target!.pathname);
  if (onPath.length === 0) return sendError(response, shape, 'NOT_FOUND', 'Nothing is served at this path.');
  scope.route = scope.target.pathname;
  const route = onPath.find((r) => r.method === request.method);
  if (!route) {
    const allow = onPath.map((r) => r.method).join(', ');
    return sendError(response, shape, 'METHOD_NOT_ALLOWED', `This path answers ${allow}.`, { allow });
  }
  const refusal = route.admit ? await route.admit(request, scope) : null;
  if (refusal) {
    // The body is not wanted: read and dropped, so the client reads the refusal rather than a reset.
    discardRefusedBody(request, response);
    return sendError(response, shape, refusal.code, refusal.message, refusal.headers);
  }
  const declared = declaredBodyLength(request);
  if (declared !== null && declared > limit) throw new BodyTooLargeError(limit);
  const body = request.method === 'POST' ? await readRequestBody(request, limit) : Buffer.alloc(0);
  await route.handle(request, response, body, scope);
}

/** Serves an Apollo Server over Node's http module at /graphql, with /health, /ready, /metrics and extra routes. */
export async function startApolloHttpServer<TContext extends ObservedContext>(
  options: ApolloHttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.logger ?? serviceLogger(options.service);
  // The Host check is ours (in `dispatch`), so that its refusal carries a request id like every other.
  const server = createServer({ requireHostHeader: false });
  const drain = new GracefulDrain(server);
  const routes: HttpRoute[] = [
    ...healthRoutes(options.readiness ?? [], () => drain.isDraining),
    ...metricsRoutes(options.metricsAccess ?? { kind: 'open' }),
    ...graphqlRoutes(
      options.apollo,
      options.context,
      options.graphqlBrowserPage,
      options.admitGraphQL,
      options.screenGraphQL,
    ),
    ...(options.routes ?? []),
  ];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    drain.admit(request, response);
    const scope = openRequestScope(request, response, options.service, log);
    logWhenAnswered(scope, request, response);
    // Writing to a connection the client already closed must not become an unhandled 'error'.
    response.on('error', (error) => scope.log.debug({ err: error }, 'response not delivered'));
    dispatch(routes, limit, request, response, scope).catch((error: unknown) => {
      if (error instanceof BodyAbortedError) return void response.destroy();
      if (error instanceof BodyTooLargeError) {
        discardRefusedBody(request, response);
        return sendError(response, shapeOf(scope), 'PAYLOAD_TOO_LARGE', error.message);
      }
      scope.log.error({ err: error }, 'request failed');
      sendError(
        response,
        shapeOf(scope),
        'INTERNAL_SERVER_ERROR',
        'Unexpected server error; quote the request id to an operator.',
      );
    });
  });
  const unparsable = unparsableRequestHandlers(options.service, log);
  server.on('clientError', unparsable.onClientError);
  server.on('connect', unparsable.onConnect);
  await new Promise<void>((resolve, reject) => {
    // A port already taken fails start-up with a message instead of an unhandled 'error' event.
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}${GRAPHQL_PATH}`,
    port,
    server,
    close: async () => {
      const { forced } = await drain.drain(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      if (forced > 0) log.warn({ forced }, 'shutdown deadline reached: requests still in flight were cut');
      await options.apollo.stop();
    },
  };
}
