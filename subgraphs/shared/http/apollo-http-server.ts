import type { ApolloServer, BaseContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> | void;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface ApolloHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  port: number;
  host?: string;
  routes?: HttpRoute[];
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

export const GRAPHQL_PATH = '/graphql';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

export function sendGraphQLError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] });
}

class BodyTooLargeError extends Error {}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id before anything else runs: the caller's own `x-request-id` when well-formed,
 * else a new one. It is written back onto the request (so contexts and logs read one value) and onto the
 * response, including refusals such as a bad token or a malformed body.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const header = request.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  const requestId = given && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  request.headers['x-request-id'] = requestId;
  response.setHeader('x-request-id', requestId);
  return requestId;
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering but leave the socket open, so the client reads the 413 before it is closed.
        request.off('data', onData);
        request.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function runGraphQL<TContext extends BaseContext>(
  options: ApolloHttpServerOptions<TContext>,
  request: IncomingMessage,
  response: ServerResponse,
  raw: Buffer,
  search: string,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown = undefined;
  if (request.method === 'POST' && raw.length > 0) {
    if (!(headers.get('content-type') ?? '').includes('application/json')) {
      return sendGraphQLError(
        response,
        415,
        'BAD_REQUEST',
        'Send GraphQL requests as JSON (content-type: application/json).',
      );
    }
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendGraphQLError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers, search, body },
    context: () => options.context(request),
  });
  for (const [key, value] of result.headers) response.setHeader(key, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/** Serves an Apollo Server over Node's http module at /graphql, plus /health and any extra routes. */
export async function startApolloHttpServer<TContext extends BaseContext>(
  options: ApolloHttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const routes = [
    {
      method: 'GET',
      path: '/health',
      handle: (_q: IncomingMessage, s: ServerResponse) => sendJson(s, 200, { status: 'ok' }),
    },
    ...(options.routes ?? []),
  ] as HttpRoute[];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    assignRequestId(request, response);
    void (async () => {
      try {
        const raw = request.method === 'POST' ? await readBody(request, limit) : Buffer.alloc(0);
        const route = routes.find((r) => r.path === url.pathname && r.method === request.method);
        if (route) return await route.handle(request, response, raw);
        if (url.pathname === GRAPHQL_PATH)
          return await runGraphQL(options, request, response, raw, url.search);
        sendJson(response, 404, { error: `No route for ${request.method} ${url.pathname}` });
      } catch (error) {
        if (response.headersSent) return void response.end();
        if (error instanceof BodyTooLargeError) {
          const message = `The request body exceeds ${limit} bytes.`;
          response.setHeader('connection', 'close');
          response.on('finish', () => request.destroy());
          // Routes (e.g. event ingest) answer in their own `{ error }` shape; GraphQL in its own.
          if (routes.some((r) => r.path === url.pathname)) {
            return sendJson(response, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message } });
          }
          return sendGraphQLError(response, 413, 'PAYLOAD_TOO_LARGE', message);
        }
        sendGraphQLError(response, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected server error.');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}${GRAPHQL_PATH}`,
    port,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.apollo.stop();
    },
  };
}
