import { useTestFederation } from '../federation-harness.js';

/** What the gateway accepts as a client request id, and what an id it generates looks like. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

describe('the gateway over HTTP', () => {
  const fed = useTestFederation({ members: 20 });

  it('answers /health with 200', async () => {
    const response = await fetch(new URL('/health', fed.federation.gatewayUrl));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('echoes a well-formed x-request-id sent by the client', async () => {
    const { status, headers } = await fed.query('{ __typename }', {
      headers: { 'x-request-id': 'req-12345678' },
    });
    expect(status).toBe(200);
    expect(headers.get('x-request-id')).toBe('req-12345678');
  });

  it('echoes the request id on responses that carry errors too', async () => {
    const token = await fed.token({ role: 'member', memberId: 'M000001' });
    const forbidden = await fed.query('{ member(id: "M000002") { id } }', {
      token,
      headers: { 'x-request-id': 'req-forbidden-1' },
    });
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(forbidden.headers.get('x-request-id')).toBe('req-forbidden-1');

    const invalid = await fed.query('{ me { shoeSize } }', {
      token,
      headers: { 'x-request-id': 'req-invalid-1' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-request-id')).toBe('req-invalid-1');
  });

  it('generates a request id when the client sends none, a new one per request', async () => {
    const first = (await fed.query('{ __typename }')).headers.get('x-request-id');
    const second = (await fed.query('{ __typename }')).headers.get('x-request-id');
    expect(first).toMatch(REQUEST_ID);
    expect(second).toMatch(REQUEST_ID);
    expect(first).not.toBe(second);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'r'.repeat(65)],
    ['with spaces', 'req 12345678'],
    ['with markup', '<script>alert(1)</script>'],
  ])('replaces a client request id that is %s with one of its own', async (_name, clientId) => {
    const { headers } = await fed.query('{ __typename }', { headers: { 'x-request-id': clientId } });
    const id = headers.get('x-request-id');
    expect(id).toMatch(REQUEST_ID);
    expect(id).not.toBe(clientId);
  });

  it('carries the request id on refusals before any GraphQL runs: a bad token, a malformed body', async () => {
    const badToken = await fed.query('{ me { id } }', {
      token: 'not-a-jwt',
      headers: { 'x-request-id': 'req-bad-token-1' },
    });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('x-request-id')).toBe('req-bad-token-1');

    const malformed = await fetch(fed.federation.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-bad-json-1' },
      body: '{"query": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBe('req-bad-json-1');
  });
});
