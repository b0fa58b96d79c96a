import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { HttpRoute } from '../../subgraphs/shared/http/http-route.js';
import { sendError, sendJson } from '../../subgraphs/shared/http/http-responses.js';
import type { DevToken } from './dev-token-offer.js';
import type { ExplorerPage } from './explorer-pages.js';
import { EXPLORER_ASSET_PATH, EXPLORER_SECURITY_HEADERS, explorerPageHtml } from './explorer-pages.js';

export const GRAPHIQL_PATH = '/graphiql';
export const CONSOLE_PATH = '/console';
export const DEV_TOKENS_PATH = '/explorer/dev-tokens';

/** What the build writes (gateway/explorer/build-explorer-app.ts); nothing else is served from the folder. */
const ASSETS: Record<string, string> = {
  'graphiql.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'editor.worker.js': 'text/javascript; charset=utf-8',
  'json.worker.js': 'text/javascript; charset=utf-8',
  'graphql.worker.js': 'text/javascript; charset=utf-8',
};

export interface ExplorerRouteOptions {
  /** Off: the pages answer 404 (production, unless the deployment enables them). */
  enabled: boolean;
  /** Where the bundles are (gateway/explorer/public). */
  assetsDir: string;
  /** The tokens the GraphiQL picker offers; absent in production, where the page never offers tokens. */
  devTokens?: () => Promise<DevToken[]>;
}

function sendPage(response: ServerResponse, page: ExplorerPage): void {
  const html = explorerPageHtml(page);
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-cache',
    ...EXPLORER_SECURITY_HEADERS,
  });
  response.end(html);
}

/**
 * GraphiQL at /graphiql (and at GET /graphql for browsers, see `browserPage`), the operator console at
 * /console, their bundles under /explorer/assets, and outside production the development tokens.
 */
export function explorerRoutes(options: ExplorerRouteOptions): {
  routes: HttpRoute[];
  browserPage: HttpRoute['handle'];
} {
  const off = (response: ServerResponse) =>
    sendError(
      response,
      'route',
      'NOT_FOUND',
      'GraphiQL and the operator console are off on this deployment (EXPLORER_ENABLED=true turns them on).',
    );
  const page =
    (name: ExplorerPage): HttpRoute['handle'] =>
    (_request, response) =>
      options.enabled ? sendPage(response, name) : off(response);
  const cache = new Map<string, Buffer>();
  const asset =
    (file: string): HttpRoute['handle'] =>
    async (_request, response, _body, scope) => {
      if (!options.enabled) return off(response);
      let bytes = cache.get(file);
      if (!bytes) {
        try {
          bytes = await readFile(join(options.assetsDir, file));
        } catch (error) {
          scope.log.error({ err: error, file }, 'explorer bundle missing');
          return sendError(
            response,
            'route',
            'EXPLORER_NOT_BUILT',
            'The browser apps are not bundled here: run `npm run build:explorer` on the server.',
          );
        }
        cache.set(file, bytes);
      }
      response.writeHead(200, {
        'content-type': ASSETS[file],
        'content-length': String(bytes.length),
        'cache-control': 'no-cache',
        ...EXPLORER_SECURITY_HEADERS,
      });
      response.end(bytes);
    };
  const routes: HttpRoute[] = [
    { method: 'GET', path: GRAPHIQL_PATH, handle: page('graphiql') },
    { method: 'GET', path: CONSOLE_PATH, handle: page('console') },
    ...Object.keys(ASSETS).map((file): HttpRoute => ({
      method: 'GET',
      path: `${EXPLORER_ASSET_PATH}/${file}`,
      handle: asset(file),
    })),
  ];
  const devTokens = options.devTokens;
  if (options.enabled && devTokens) {
    routes.push({
      method: 'GET',
      path: DEV_TOKENS_PATH,
      handle: async (_request, response) =>
        sendJson(response, 200, { tokens: await devTokens() }, { 'cache-control': 'no-store' }),
    });
  }
  return { routes, browserPage: page('graphiql') };
}
