import { createHash } from 'node:crypto';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { postRaw } from '../federation/graphql-responses.js';

const QUERY = '{ me { id displayName } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');

describe('automatic persisted queries (APQ)', () => {
  let fed: TestFederation;
  let headers: Record<string, string>;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 10 });
    headers = { authorization: `Bearer ${await fed.token({ role: 'member', memberId: 'M000001' })}` };
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const send = (body: object) => postRaw(fed.federation.gatewayUrl, JSON.stringify(body), headers);
  const persisted = { persistedQuery: { version: 1, sha256Hash: HASH } };

  it('goes hash only → NOT_FOUND → hash and query → answer → hash only → answer', async () => {
    const unknown = await send({ extensions: persisted });
    expect(unknown.status).toBe(200);
    expect(unknown.body?.errors).toEqual([
      { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    ]);

    const registered = await send({ query: QUERY, extensions: persisted });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ data: { me: { id: 'M000001', displayName: expect.any(String) } } });

    const byHash = await send({ extensions: persisted });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual(registered.body);
  });

  it('refuses a hash that does not match its query as a bad request, and does not store it', async () => {
    const other = '{ me { id } }';
    const mismatch = await send({ query: other, extensions: persisted });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
