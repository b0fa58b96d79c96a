import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyFetchError } from './subgraph-failure.js';
import { createKeepAliveHttp } from './keep-alive-http.js';

/** The subgraph client against a real local server: what it sends, what it reads, and how it fails. */
describe('keep-alive HTTP client', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  let handle: (request: IncomingMessage, body: string, response: ServerResponse) => void;
  const client = createKeepAliveHttp();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the body and headers, and reads the status, headers and body', async () => {
    handle = (request, body, response) => {
      response.writeHead(207, 'Multi', {
        'content-type': 'application/json',
        'x-echo': request.headers['x-token'],
      });
      response.end(JSON.stringify({ method: request.method, body }));
    };
    const answer = await client.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token': 'secret-ish' },
      body: '{"query":"{ me { id } }","variables":{"ü":"∂"}}',
    });
    expect(answer.status).toBe(207);
    expect(answer.statusText).toBe('Multi');
    expect(new Map(answer.headers).get('x-echo')).toBe('secret-ish');
    expect(JSON.parse(await answer.text())).toEqual({
      method: 'POST',
      body: '{"query":"{ me { id } }","variables":{"ü":"∂"}}',
    });
  });

  it('sends one request after another on the same connection', async () => {
    handle = (_request, _body, response) => response.end('{}');
    await client.send(url, { method: 'POST', body: '{}' });
    const before = connections;
    for (let i = 0; i < 20; i++) await client.send(url, { method: 'POST', body: '{}' });
    expect(connections).toBe(before);
  });

  it('gives up when the signal fires, headers or body still to come, with an error fetch would give', async () => {
    handle = () => undefined; // never answers
    const noAnswer = await client
      .send(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) })
      .catch((error: unknown) => error);
    expect(classifyFetchError(noAnswer)).toEqual({ kind: 'timeout', cause: 'TimeoutError' });

    handle = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":'); // and then stalls
    };
    const stalled = await client
      .send(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) })
      .catch((error: unknown) => error);
    expect(classifyFetchError(stalled)).toEqual({ kind: 'timeout', cause: 'TimeoutError' });
  });

  it('fails a refused connection with its code', async () => {
    const refused = await client
      .send('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' })
      .catch((e: unknown) => e);
    expect(classifyFetchError(refused)).toEqual({ kind: 'unreachable', cause: 'ECONNREFUSED' });
  });

  it('refuses a URL it cannot send to', async () => {
    await expect(client.send('ftp://127.0.0.1/x', {})).rejects.toThrow('unsupported protocol ftp:');
  });
});
