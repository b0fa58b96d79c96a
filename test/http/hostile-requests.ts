import { signEventBody } from '../../subgraphs/brand/ingest/event-signature.js';
import { testPartnerSecret } from '../federation-harness.js';
import type { RawAnswer, RawRequest } from './raw-http-client.js';

/**
 * Requests no well-behaved client sends, as raw bytes: bad request targets and lines, methods, headers,
 * body framing, GraphQL bodies and event-ingest bodies. Each names what the server may answer.
 */
export interface Target {
  name: string;
  port: number;
  /** The partner key of a brand subgraph, whose event ingest is tried too. */
  partner?: string;
}

/** What may come back: a 4xx, or (for requests HTTP cannot answer) a closed connection. */
export type Expectation = '4xx' | '4xx-or-close' | 'no-answer';

export interface HostileCase {
  name: string;
  expect: Expectation;
  request(target: Target): RawRequest;
  /** Only for brand subgraphs (event ingest). */
  brandOnly?: boolean;
}

const MIB = 1024 * 1024;
const line = (...parts: string[]): string => parts.join('\r\n');
const get = (path: string, extra: string[] = []): RawRequest => ({
  chunks: [line(`GET ${path} HTTP/1.1`, 'Host: localhost', ...extra, '', '')],
});
const post = (path: string, contentType: string | null, body: string | Buffer, extra: string[] = []) => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = line(
    `POST ${path} HTTP/1.1`,
    'Host: localhost',
    ...(contentType ? [`Content-Type: ${contentType}`] : []),
    `Content-Length: ${bytes.length}`,
    ...extra,
    '',
    '',
  );
  return { chunks: [head, bytes] };
};
const raw = (...chunks: (string | Buffer)[]): RawRequest => ({ chunks });
/** The head of a POST /graphql with exactly `headers` (framing included), then the body's `lines`, as sent. */
const postHead = (headers: string[], ...lines: string[]): string =>
  line('POST /graphql HTTP/1.1', 'Host: x', ...headers, '', ...lines);
const QUERY = JSON.stringify({ query: '{ __typename }' });
const signedIngest = (target: Target, body: string | Buffer, contentType = 'application/json') =>
  post('/ingest/events', contentType, body, [
    `x-signature: ${signEventBody(typeof body === 'string' ? body : body.toString('latin1'), testPartnerSecret(target.partner!))}`,
  ]);

export const HOSTILE_REQUESTS: HostileCase[] = [
  // Request targets that are not a plain path
  { name: 'GET //', expect: '4xx', request: () => get('//') },
  { name: 'GET //@', expect: '4xx', request: () => get('//@') },
  { name: 'GET /\\', expect: '4xx', request: () => get('/\\') },
  { name: 'GET //evil.example/graphql', expect: '4xx', request: () => get('//evil.example/graphql') },
  { name: 'GET /%', expect: '4xx', request: () => get('/%') },
  { name: 'GET /graphql/%ZZ', expect: '4xx', request: () => get('/graphql/%ZZ') },
  { name: 'absolute-form target', expect: '4xx', request: () => get('http://evil.example/graphql') },
  { name: 'OPTIONS *', expect: '4xx', request: () => raw(line('OPTIONS * HTTP/1.1', 'Host: x', '', '')) },
  {
    name: 'CONNECT',
    expect: '4xx',
    request: () => raw(line('CONNECT evil.example:443 HTTP/1.1', 'Host: x', '', '')),
  },
  {
    name: 'non-UTF-8 bytes in the path',
    expect: '4xx',
    request: () => raw(Buffer.from('GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1')),
  },
  { name: 'a path of 20 kB', expect: '4xx', request: () => get(`/${'a'.repeat(20_000)}`) },
  // Request lines that are not HTTP/1.x
  { name: 'HTTP/0.9 request line', expect: '4xx-or-close', request: () => raw('GET /health\r\n\r\n') },
  {
    name: 'HTTP/2.0 request line',
    expect: '4xx-or-close',
    request: () => raw(line('GET /health HTTP/2.0', 'Host: x', '', '')),
  },
  {
    name: 'HTTP/2 connection preface',
    expect: '4xx-or-close',
    request: () => raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  },
  { name: 'HTTP/1.1 without Host', expect: '4xx', request: () => raw('GET /health HTTP/1.1\r\n\r\n') },
  {
    name: 'binary garbage',
    expect: '4xx-or-close',
    request: () => raw(Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10])),
  },
  {
    name: 'lower-case method',
    expect: '4xx-or-close',
    request: () => raw(line('get /health HTTP/1.1', 'Host: x', '', '')),
  },
  {
    name: 'unknown method',
    expect: '4xx-or-close',
    request: () => raw(line('BREW /graphql HTTP/1.1', 'Host: x', '', '')),
  },
  // Methods a path does not serve
  ...['PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'].map((method): HostileCase => ({
    name: `${method} /graphql`,
    expect: '4xx',
    request: () => raw(line(`${method} /graphql HTTP/1.1`, 'Host: x', 'Content-Length: 0', '', '')),
  })),
  {
    name: 'HEAD /graphql',
    expect: '4xx',
    request: () => ({ chunks: [line('HEAD /graphql HTTP/1.1', 'Host: x', '', '')], head: true }),
  },
  { name: 'POST /health', expect: '4xx', request: () => post('/health', 'application/json', '{}') },
  { name: 'GET /ingest/events', expect: '4xx', request: () => get('/ingest/events') },
  // Headers
  { name: 'a 20 kB header', expect: '4xx', request: () => get('/health', [`X-Big: ${'a'.repeat(20_000)}`]) },
  {
    name: '3000 headers',
    expect: '4xx',
    request: () =>
      get(
        '/health',
        Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`),
      ),
  },
  { name: 'a header without a colon', expect: '4xx', request: () => get('/health', ['NoColonHere']) },
  {
    name: 'a header with a space before the colon',
    expect: '4xx',
    request: () => get('/health', ['X-Bad : v']),
  },
  {
    name: 'non-UTF-8 bytes in headers',
    expect: '4xx',
    request: () =>
      raw(
        Buffer.from(
          postHead(
            [
              'Content-Type: application/json',
              `Content-Length: ${QUERY.length}`,
              'Authorization: Bearer \xff\xfe',
              'X-Request-Id: \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8',
            ],
            QUERY,
          ),
          'latin1',
        ),
      ),
  },
  {
    name: 'a malformed bearer token',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', QUERY, ['Authorization: Bearer a.b.c']),
  },
  // Body framing
  {
    name: 'content-length that is not a number',
    expect: '4xx',
    request: () => raw(postHead(['Content-Length: abc'], '')),
  },
  {
    name: 'negative content-length',
    expect: '4xx',
    request: () => raw(postHead(['Content-Length: -1'], '')),
  },
  {
    name: 'two different content-lengths',
    expect: '4xx',
    request: () => raw(postHead(['Content-Length: 5', 'Content-Length: 6'], 'hello!')),
  },
  {
    name: 'content-length with transfer-encoding',
    expect: '4xx',
    request: () => raw(postHead(['Content-Length: 5', 'Transfer-Encoding: chunked'], '0', '', '')),
  },
  {
    name: 'transfer-encoding that is not chunked',
    expect: '4xx',
    request: () => raw(postHead(['Transfer-Encoding: gzip'], 'hello')),
  },
  {
    name: 'chunked garbage',
    expect: '4xx-or-close',
    request: () =>
      raw(
        postHead(['Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz', 'garbage', '', ''),
      ),
  },
  {
    name: 'a chunk longer than announced',
    expect: '4xx-or-close',
    request: () =>
      raw(
        postHead(
          ['Content-Type: application/json', 'Transfer-Encoding: chunked'],
          '2',
          '{"query":"{__typename}"}',
          '0',
          '',
          '',
        ),
      ),
  },
  {
    name: 'a declared body over 1 MiB',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', Buffer.alloc(2 * MIB, 0x20)),
  },
  {
    name: 'a chunked body over 1 MiB',
    expect: '4xx',
    request: () => {
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const framed = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      ]);
      return raw(
        postHead(['Content-Type: application/json', 'Transfer-Encoding: chunked'], ''),
        ...Array(6).fill(framed),
        '0\r\n\r\n',
      );
    },
  },
  {
    name: 'an unfinished body, then the connection closed',
    expect: 'no-answer',
    request: () => ({
      ...raw(postHead(['Content-Type: application/json', 'Content-Length: 1000'], '{"query":')),
      then: 'abort',
    }),
  },
  {
    name: 'an unfinished body, then a half-close',
    expect: '4xx-or-close',
    request: () => ({
      ...raw(postHead(['Content-Type: application/json', 'Content-Length: 1000'], '{"query":')),
      then: 'half-close',
    }),
  },
  {
    name: 'an unfinished chunked body, then the connection closed',
    expect: 'no-answer',
    request: () => ({
      ...raw(postHead(['Content-Type: application/json', 'Transfer-Encoding: chunked'], '100', '{"query":')),
      then: 'abort',
    }),
  },
  // GraphQL bodies
  { name: 'an empty POST body', expect: '4xx', request: () => post('/graphql', 'application/json', '') },
  { name: 'invalid JSON', expect: '4xx', request: () => post('/graphql', 'application/json', '{"query": ') },
  ...['[]', '"{ __typename }"', '42', 'null', 'true', `[${QUERY}]`].map((body): HostileCase => ({
    name: `JSON that is not an object: ${body.slice(0, 20)}`,
    expect: '4xx',
    request: () => post('/graphql', 'application/json', body),
  })),
  {
    name: 'JSON nested 400,000 deep',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', '['.repeat(400_000) + ']'.repeat(400_000)),
  },
  {
    name: 'non-UTF-8 bytes in the JSON body',
    expect: '4xx',
    request: () =>
      post('/graphql', 'application/json', Buffer.from('{"query":"{ __typename \xff\xfe }"}', 'latin1')),
  },
  {
    name: 'a UTF-16 body',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', Buffer.from(QUERY, 'utf16le')),
  },
  ...[
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    'application/jsonx',
    null,
  ].map((type): HostileCase => ({
    name: `content type ${type ?? '(none)'}`,
    expect: '4xx',
    request: () => post('/graphql', type, QUERY),
  })),
  {
    name: 'a query that is not a string',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', '{"query": {"a": 1}}'),
  },
  {
    name: 'variables that are not an object',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', '{"query": "{ __typename }", "variables": [1]}'),
  },
  {
    name: 'a query that does not parse',
    expect: '4xx',
    request: () => post('/graphql', 'application/json', '{"query": "{ __typename"}'),
  },
  {
    name: 'a query nested 5,000 deep',
    expect: '4xx',
    request: () =>
      post(
        '/graphql',
        'application/json',
        JSON.stringify({ query: `${'{a'.repeat(5000)}${'}'.repeat(5000)}` }),
      ),
  },
  {
    name: 'GET /graphql without a query',
    expect: '4xx',
    request: () => get('/graphql', ['apollo-require-preflight: 1']),
  },
  {
    name: 'GET /graphql with a broken escape',
    expect: '4xx',
    request: () => get('/graphql?query=%7B%ZZ', ['apollo-require-preflight: 1']),
  },
  {
    name: 'GET /graphql without a CSRF header',
    expect: '4xx',
    request: () => get('/graphql?query=%7B__typename%7D'),
  },
  // Event ingest (brand subgraphs)
  {
    name: 'ingest: unsigned',
    expect: '4xx',
    brandOnly: true,
    request: () => post('/ingest/events', 'application/json', '[]'),
  },
  {
    name: 'ingest: invalid JSON',
    expect: '4xx',
    brandOnly: true,
    request: (t) => signedIngest(t, '[{"eventId": '),
  },
  {
    name: 'ingest: JSON that is not an array',
    expect: '4xx',
    brandOnly: true,
    request: (t) => signedIngest(t, '{"eventId": "x"}'),
  },
  { name: 'ingest: an empty array', expect: '4xx', brandOnly: true, request: (t) => signedIngest(t, '[]') },
  {
    name: 'ingest: non-UTF-8 bytes',
    expect: '4xx',
    brandOnly: true,
    request: (t) => signedIngest(t, Buffer.from('[\xff\xfe]', 'latin1')),
  },
  {
    name: 'ingest: a wrong content type',
    expect: '4xx',
    brandOnly: true,
    request: (t) => signedIngest(t, '[]', 'text/csv'),
  },
  {
    name: 'ingest: over 1 MiB',
    expect: '4xx',
    brandOnly: true,
    request: (t) => signedIngest(t, `[${'0,'.repeat(MIB)}0]`),
  },
];

export function checkAnswer(answer: RawAnswer, expectation: Expectation): void {
  if (expectation === 'no-answer') return;
  if (answer.status === null && expectation === '4xx-or-close') return;
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  // Refusals carry a request id like every other answer.
  expect(answer.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
}
