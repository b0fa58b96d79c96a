import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedMongo } from '../../tools/embedded-mongo/index.js';
import { startEmbeddedMongo } from '../../tools/embedded-mongo/index.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { signEventBody } from '../../subgraphs/brand/ingest/event-signature.js';
import type { IngestResponse, TestFederation } from '../federation-harness.js';
import { startTestFederation, testPartnerSecret } from '../federation-harness.js';
import {
  interactionEvent,
  jsonBody,
  ledgerEntriesOf,
  linkedAccount,
  waitFor,
  waitForLedgerEntries,
} from '../events/event-fixtures.js';

/**
 * MongoDB down (README "When MongoDB is down"): the federation runs on an embedded store of this test's own,
 * which it stops under the running services and starts again on the same port from its snapshot. While it
 * is down a GraphQL request gets SERVICE_UNAVAILABLE with 503 and Retry-After (not a hang, not an internal
 * error), ingest answers 503 with Retry-After, `/ready` says so; the partner's resend afterwards loses nothing.
 */
const PARTNER = 'pulsefit';
const WALLET = '{ me { id wallet { balance } } }';

describe('MongoDB down under a running federation', () => {
  let dataDir: string;
  let store: EmbeddedMongo;
  let fed: TestFederation;
  const previousUri = process.env.MONGODB_URI;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mongo-outage-'));
    store = await startEmbeddedMongo({ port: 0, dbPath: dataDir });
    // The harness uses MONGODB_URI when it is set: here, the store this test can stop.
    process.env.MONGODB_URI = store.uri;
    fed = await startTestFederation({ members: 20 });
  });

  afterAll(async () => {
    try {
      await fed?.stop();
      await store?.stop();
    } finally {
      if (previousUri === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = previousUri;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const ready = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(new URL('/ready', url));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers SERVICE_UNAVAILABLE with 503 and Retry-After, refuses ingest with 503, then recovers without losing an event', async () => {
    const token = await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID });
    const account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    expect((await fed.query(WALLET, { token })).status).toBe(200);
    const event = interactionEvent(account.brandMemberId);

    await store.stop();

    const down = await fed.query(WALLET, { token });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    const codes = (down.body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).toContain('SERVICE_UNAVAILABLE');
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|Mongo/);

    const body = jsonBody([event]);
    const refused = await fetch(new URL('/ingest/events', fed.federation.subgraphUrls[PARTNER]), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signEventBody(body, testPartnerSecret(PARTNER)),
      },
      body,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as IngestResponse).error?.code).toBe('SERVICE_UNAVAILABLE');

    for (const name of ['profile', 'benefits', PARTNER]) {
      const readiness = await ready(fed.federation.subgraphUrls[name]);
      expect(readiness.status).toBe(503);
      expect(readiness.body).toMatchObject({ status: 'unavailable', failed: ['mongodb'] });
    }

    store = await startEmbeddedMongo({ port: store.port, dbPath: dataDir });
    await waitFor(
      'the brand to be ready again',
      async () => (await ready(fed.federation.subgraphUrls[PARTNER])).status === 200,
      { timeoutMs: 30_000 },
    );

    // The partner resends what was refused: accepted now, and credited once.
    const resent = await fed.ingest(PARTNER, jsonBody([event]));
    expect(resent.status).toBe(200);
    expect(resent.body.summary).toMatchObject({ accepted: 1, rejected: 0 });
    await waitForLedgerEntries(fed, PARTNER, [event.eventId], 30_000);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
    const up = await fed.query(WALLET, { token });
    expect(up.status).toBe(200);
    expect(up.body.errors).toBeUndefined();
  });
});
