import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import type { GatewayExplorerOptions } from '../../gateway/server.js';
import { createGateway, startGateway } from '../../gateway/server.js';
import { readEnvironment } from '../../subgraphs/shared/config/environment.js';
import { explorerAssetsPath, supergraphPath } from '../../subgraphs/shared/config/paths.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import { TEST_AUTH } from '../federation-harness.js';

/**
 * GraphiQL and the console as HTTP resources: the pages, their bundles, the security headers, the development
 * tokens, and what production serves. The gateway alone suffices (nothing here reaches a subgraph).
 */
const PARTNERS = ['mindspark', 'inkwell', 'pulsefit', 'starlight'];

async function startExplorerGateway(
  explorer?: GatewayExplorerOptions,
): Promise<{ base: string; server: RunningHttpServer }> {
  const gateway = createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: {},
    auth: TEST_AUTH,
    brandSubgraphs: PARTNERS,
    explorer,
  });
  const server = await startGateway(gateway, { port: 0 });
  return { server, base: `http://127.0.0.1:${server.port}` };
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('GraphiQL and the console outside production', () => {
  let base: string;
  let server: RunningHttpServer;
  beforeAll(async () => {
    ({ base, server } = await startExplorerGateway({ enabled: true, devTokensFor: { memberId: 'M000001' } }));
  });
  afterAll(() => server.close());

  it.each(['/graphql', '/graphiql'])(
    'GET %s for a browser serves GraphiQL under a strict CSP',
    async (path) => {
      const response = await fetch(`${base}${path}`, { headers: html });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      const page = await response.text();
      expect(page).toContain('<script type="module" src="/explorer/assets/graphiql.js">');
      // Every URL in the page is a path on this gateway.
      expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    },
  );

  it('still answers GraphQL clients at /graphql (JSON, not the page)', async () => {
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves the console page and every bundle, with no CDN in them', async () => {
    const page = await fetch(`${base}/console`, { headers: html });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/explorer/assets/console.js');
    const built = readdirSync(explorerAssetsPath()).filter((f) => /\.(js|css)$/.test(f));
    expect(built).toEqual(
      expect.arrayContaining([
        'graphiql.js',
        'graphiql.css',
        'console.js',
        'console.css',
        'editor.worker.js',
        'json.worker.js',
        'graphql.worker.js',
      ]),
    );
    for (const file of built) {
      const response = await fetch(`${base}/explorer/assets/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(
        file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      const text = await response.text();
      expect(text).toBe(readFileSync(join(explorerAssetsPath(), file), 'utf8'));
      // The hosts GraphiQL and Apollo's page load from when bundled the usual way.
      expect(text).not.toMatch(
        /esm\.sh|unpkg\.com|jsdelivr|fonts\.googleapis|fonts\.gstatic|apollographql\.com/,
      );
    }
  });

  it('serves nothing else from the bundle folder', async () => {
    expect((await fetch(`${base}/explorer/assets/build-stamp.json`)).status).toBe(404);
    expect((await fetch(`${base}/explorer/assets/../../package.json`)).status).toBe(404);
  });

  it('offers tokens for the demo member, staff of each partner and an operator, signed for this gateway', async () => {
    const response = await fetch(`${base}/explorer/dev-tokens`);
    expect(response.status).toBe(200);
    const { tokens } = (await response.json()) as { tokens: { label: string; token: string }[] };
    expect(tokens.map((t) => t.label)).toEqual([
      'member M000001 (demo)',
      ...PARTNERS.map((p) => `staff of ${p}`),
      'operator (admin)',
    ]);
    for (const { token } of tokens) {
      await expect(jwtVerify(token, new TextEncoder().encode(TEST_AUTH.jwtSecret!))).resolves.toBeDefined();
    }
    expect(decodeJwt(tokens[0].token).sub).toBe('M000001');
    expect(decodeJwt(tokens[2].token)).toMatchObject({ role: 'partner_staff', partner: 'inkwell' });
    expect(decodeJwt(tokens.at(-1)!.token)).toMatchObject({ role: 'admin' });
  });

  it('a picked token works at /graphql', async () => {
    const { tokens } = (await (await fetch(`${base}/explorer/dev-tokens`)).json()) as {
      tokens: { token: string }[];
    };
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0].token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
  });
});

describe('GraphiQL and the console in production', () => {
  it('are off by default: 404 with the variable that turns them on, and no tokens', async () => {
    const env = readEnvironment({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      INTERNAL_TOKEN_SECRET: 'y'.repeat(32),
    });
    expect(env.explorer).toEqual({ enabled: false, offerDevTokens: false });
    const { base, server } = await startExplorerGateway({ enabled: env.explorer.enabled });
    try {
      for (const path of ['/graphql', '/graphiql', '/console', '/explorer/assets/graphiql.js']) {
        const response = await fetch(`${base}${path}`, { headers: html });
        expect(response.status).toBe(404);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('NOT_FOUND');
        expect(body.error.message).toContain('EXPLORER_ENABLED=true');
      }
      expect((await fetch(`${base}/explorer/dev-tokens`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('when enabled serve the pages but never offer tokens', async () => {
    const env = readEnvironment({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      INTERNAL_TOKEN_SECRET: 'y'.repeat(32),
      EXPLORER_ENABLED: 'true',
    });
    expect(env.explorer).toEqual({ enabled: true, offerDevTokens: false });
    const { base, server } = await startExplorerGateway({ enabled: env.explorer.enabled });
    try {
      expect((await fetch(`${base}/graphiql`, { headers: html })).status).toBe(200);
      expect((await fetch(`${base}/explorer/dev-tokens`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('EXPLORER_ENABLED accepts only true or false, naming the variable', () => {
    expect(() => readEnvironment({ EXPLORER_ENABLED: 'yes' })).toThrow(
      /EXPLORER_ENABLED: must be true or false/,
    );
  });
});
