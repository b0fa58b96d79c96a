import { ANONYMOUS } from '../../subgraphs/shared/auth/principal.js';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import type { TestFederation } from '../federation-harness.js';
import { TEST_AUTH, startTestFederation } from '../federation-harness.js';
import type { Target } from './hostile-requests.js';
import { HOSTILE_REQUESTS, checkAnswer } from './hostile-requests.js';
import { sendRaw } from './raw-http-client.js';

/**
 * Every HTTP entry of the federation (the gateway, each brand subgraph with its event ingest, profile,
 * benefits) gets requests no well-behaved client sends, straight over TCP. Each must answer a 4xx (or close
 * the connection where HTTP leaves nothing else to do), and every process must still answer afterwards.
 */

describe('hostile raw requests against every service of the federation', () => {
  let fed: TestFederation;
  let targets: Target[];

  beforeAll(async () => {
    fed = await startTestFederation({ members: 10 });
    const portOf = (url: string): number => Number(new URL(url).port);
    targets = [
      { name: 'gateway', port: portOf(fed.federation.gatewayUrl) },
      ...Object.entries(fed.federation.subgraphUrls).map(([name, url]) => ({
        name,
        port: portOf(url),
        partner: fed.registry.byKey.has(name) ? name : undefined,
      })),
    ];
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it.each(HOSTILE_REQUESTS.map((c) => [c.name, c] as const))(
    '%s: a 4xx from every service',
    async (_name, hostile) => {
      for (const target of targets) {
        if (hostile.brandOnly && !target.partner) continue;
        const answer = await sendRaw(target.port, hostile.request(target));
        try {
          checkAnswer(answer, hostile.expect);
        } catch (error) {
          throw new Error(
            `${target.name}: ${JSON.stringify(answer).slice(0, 400)}\n${(error as Error).message}`,
          );
        }
      }
    },
  );

  it('leaves every process answering: the gateway a query, each subgraph its health and a signed query', async () => {
    const { status, body } = await fed.query('{ __typename }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ __typename: 'Query' });
    const internalToken = await signInternalToken(
      ANONYMOUS,
      TEST_AUTH.internalTokenSecret,
      'after-hostile-1',
    );
    for (const [name, url] of Object.entries(fed.federation.subgraphUrls)) {
      const health = await fetch(new URL('/health', url));
      expect({ name, status: health.status }).toEqual({ name, status: 200 });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: internalToken },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      const json = (await response.json()) as { data?: { _service?: { sdl?: string } } };
      expect(json.data?._service?.sdl).toContain('type Member');
    }
  });
});
