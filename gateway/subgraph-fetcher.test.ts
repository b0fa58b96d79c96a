import { CircuitBreaker } from './circuit-breaker.js';
import { SubgraphFetchFailure } from './subgraph-failure.js';
import { DEADLINE_HEADER, createSubgraphFetcher } from './subgraph-fetcher.js';
import { errorRejectedBy } from '../test/thrown-error.js';

const URL = 'http://subgraph.test/graphql';

function setup(answer: () => Promise<Response>, clockStart = 0) {
  const clock = { now: clockStart };
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1000, now: () => clock.now });
  const calls: RequestInit[] = [];
  const fetcher = createSubgraphFetcher({
    subgraph: 'mindspark',
    timeoutMs: 1500,
    breaker,
    now: () => clock.now,
    fetch: (async (_url: string, init: RequestInit) => {
      calls.push(init);
      return answer();
    }) as typeof fetch,
  });
  return { clock, breaker, calls, fetcher };
}

const failureOf = (promise: Promise<unknown>): Promise<SubgraphFetchFailure> =>
  errorRejectedBy(promise, SubgraphFetchFailure);

const refused = () =>
  Promise.reject(
    new TypeError('fetch failed', { cause: Object.assign(new Error(), { code: 'ECONNREFUSED' }) }),
  );

describe('createSubgraphFetcher', () => {
  it('returns any answer as is, errors included, and counts it as the subgraph being up', async () => {
    const { fetcher, breaker } = setup(async () => new Response('{"errors":[]}', { status: 500 }));
    breaker.recordFailure();
    const response = await fetcher(URL, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"errors":[]}');
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });

  it('sends each fetch with a timeout signal', async () => {
    const { fetcher, calls } = setup(async () => new Response('{}'));
    await fetcher(URL, {});
    expect(calls[0].signal).toBeInstanceOf(AbortSignal);
  });

  it('turns a refused connection into an outage and opens the breaker after the threshold', async () => {
    const { fetcher, breaker, calls } = setup(refused);
    expect((await failureOf(fetcher(URL, {}))).kind).toBe('unreachable');
    expect((await failureOf(fetcher(URL, {}))).kind).toBe('unreachable');
    expect(breaker.state).toBe('open');
    const shortCircuited = await failureOf(fetcher(URL, {}));
    expect(shortCircuited.kind).toBe('short_circuited');
    expect(shortCircuited.errors[0].extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'mindspark',
    });
    expect(calls).toHaveLength(2);
  });

  it("reads a proxy's 502, 503 and 504 as the subgraph being unreachable", async () => {
    const { fetcher } = setup(async () => new Response('Bad Gateway', { status: 502 }));
    const failure = await failureOf(fetcher(URL, {}));
    expect(failure).toMatchObject({ kind: 'unreachable', status: 502 });
  });

  it('does not call a subgraph once the request deadline has passed, and does not blame it', async () => {
    const { fetcher, calls, breaker } = setup(async () => new Response('{}'), 10_000);
    const failure = await failureOf(fetcher(URL, { headers: { [DEADLINE_HEADER]: '10000' } }));
    expect(failure.kind).toBe('deadline_exceeded');
    expect(calls).toHaveLength(0);
    expect(breaker.state).toBe('closed');
  });

  it('does not blame the subgraph for a timeout that the request deadline cut short', async () => {
    const timeout = () => Promise.reject(new DOMException('timed out', 'TimeoutError'));
    const { fetcher, breaker } = setup(timeout, 0);
    const cut = await failureOf(fetcher(URL, { headers: { [DEADLINE_HEADER]: '100' } }));
    expect(cut.kind).toBe('deadline_exceeded');
    const full = await failureOf(fetcher(URL, { headers: { [DEADLINE_HEADER]: '100000' } }));
    expect(full.kind).toBe('timeout');
    await failureOf(fetcher(URL, {}));
    expect(breaker.state).toBe('open');
  });
});
