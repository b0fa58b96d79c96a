import type { ApolloServer, BaseContext, HTTPGraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { principalLogFields } from '../observability/principal-log-fields.js';
import type { HttpRoute, Refusal, RequestAdmission } from './http-route.js';
import { sendError } from './http-responses.js';
import type { RequestScope } from './request-scope.js';
import { bindScopeToContext } from './request-scope.js';

export const GRAPHQL_PATH = '/graphql';

/** What the HTTP layer reads from a context: who asked, for the access log. */
export interface ObservedContext extends BaseContext {
  principal: Principal;
}

/** The fields of a GraphQL request a screen reads, from the JSON body (POST) or the query string (GET). */
export interface GraphQLRequestFields {
  query?: unknown;
  extensions?: unknown;
}

/** Refuses a GraphQL request from its fields before Apollo sees it (the gateway's operation safelist). */
export type GraphQLRequestScreen = (fields: GraphQLRequestFields) => Refusal | null;

/** `query` and `extensions` (JSON) from a GET request's query string; an unreadable `extensions` is absent. */
function fieldsOfSearch(search: string): GraphQLRequestFields {
  const params = new URLSearchParams(search);
  let extensions: unknown;
  try {
    extensions = JSON.parse(params.get('extensions') ?? 'null') ?? undefined;
  } catch {
    extensions = undefined;
  }
  return { query: params.get('query') ?? undefined, extensions };
}

/** Builds a request's context from the request and its scope (request id, logger); throws to refuse it. */
export type ContextFactory<TContext> = (request: IncomingMessage, scope: RequestScope) => Promise<TContext>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

type BodyReading = { ok: true; body: Record<string, unknown> } | { ok: false; refuse: () => void };

/** A GraphQL POST body: UTF-8 JSON holding one object (`{ "query": …, "variables": … }`). */
function readGraphQLBody(request: IncomingMessage, response: ServerResponse, raw: Buffer): BodyReading {
  const refuse = (code: 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE', message: string): BodyReading => ({
    ok: false,
    refuse: () => sendError(response, 'graphql', code, message),
  });
  const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  if (mediaType.trim().toLowerCase() !== 'application/json' || (charset && charset !== 'charset=utf-8')) {
    return refuse(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send GraphQL requests as JSON (content-type: application/json).',
    );
  }
  if (raw.length === 0) return refuse('BAD_REQUEST', 'The request body is empty: send {"query": "…"}.');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return refuse('BAD_REQUEST', 'The request body is not valid UTF-8.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse('BAD_REQUEST', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse('BAD_REQUEST', 'The request body must be one JSON object: {"query": "…"}.');
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

async function writeResult(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of result.headers) response.setHeader(key, value);
  // Answers are personal and computed per request: no browser or shared cache may keep one.
  if (!response.hasHeader('cache-control')) response.setHeader('cache-control', 'no-store');
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/** A browser navigating to /graphql asks for HTML; GraphQL clients (and GET queries) ask for JSON. */
const asksForHtml = (request: IncomingMessage): boolean =>
  /\btext\/html\b/i.test(request.headers.accept ?? '');

/**
 * `GET` and `POST /graphql`, executed by Apollo Server with the context built for this request. A `GET` that
 * asks for HTML gets `browserPage` when given (the gateway's GraphiQL), instead of Apollo's landing page.
 */
export function graphqlRoutes<TContext extends ObservedContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFactory<TContext>,
  browserPage?: HttpRoute['handle'],
  admit?: RequestAdmission,
  screen?: GraphQLRequestScreen,
): HttpRoute[] {
  const handle: HttpRoute['handle'] = async (request, response, raw, scope) => {
    if (browserPage && request.method === 'GET' && asksForHtml(request)) {
      return browserPage(request, response, raw, scope);
    }
    let body: unknown;
    if (request.method === 'POST') {
      const reading = readGraphQLBody(request, response, raw);
      if (!reading.ok) return reading.refuse();
      body = reading.body;
    }
    if (screen) {
      const fields = (body as GraphQLRequestFields | undefined) ?? fieldsOfSearch(scope.target?.search ?? '');
      const refusal = screen(fields);
      if (refusal) return sendError(response, 'graphql', refusal.code, refusal.message, refusal.headers);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method!, headers, search: scope.target?.search ?? '', body },
      context: async () => {
        const value = await context(request, scope);
        scope.principal = principalLogFields(value.principal);
        bindScopeToContext(value, scope);
        return value;
      },
    });
    await writeResult(response, result);
  };
  return [
    { method: 'GET', path: GRAPHQL_PATH, handle, admit },
    { method: 'POST', path: GRAPHQL_PATH, handle, admit },
  ];
}
