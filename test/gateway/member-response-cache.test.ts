import { waitForEventBacklog } from '../../tools/local-federation/wait-for-event-backlog.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf } from '../federation/graphql-responses.js';
import type { LinkedAccount } from '../events/event-fixtures.js';
import {
  jsonBody,
  linkedAccount,
  localCategory,
  purchaseEvent,
  uniqueId,
  waitFor,
} from '../events/event-fixtures.js';

/**
 * The gateway's response cache for members' own queries (gateway/response-cache): an answer is served again
 * only to the member it was computed for, and only until something about that member (or the programme)
 * changes. The cache's verdict is in the `x-response-cache` header.
 */
const PARTNER = 'pulsefit';
const DASHBOARD = `{ me { id pulsefit { recentOrders(first: 1) { orderId } } profile { compositeScore } } }`;

interface Dashboard {
  id: string;
  pulsefit: { recentOrders: { orderId: string }[] } | null;
  profile: { compositeScore: number };
}

describe('member response cache', () => {
  let fed: TestFederation;
  let account: LinkedAccount;
  let token: string;

  async function dashboard(as = token) {
    const { status, body, headers } = await fed.query(DASHBOARD, { token: as });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return {
      me: dataOf<{ me: Dashboard }>(body).me,
      cache: headers.get('x-response-cache'),
      cacheControl: headers.get('cache-control'),
    };
  }

  /** Until the cache answers: the member's events (points, activity counts) may still be landing. */
  const settled = () =>
    waitFor('a cached answer', async () => (await dashboard()).cache === 'hit', { timeoutMs: 30_000 });

  beforeAll(async () => {
    fed = await startTestFederation({ responseCacheTtlSeconds: 60 });
    // The seeded events are still reaching the wallets and the profile: each advances a generation.
    await waitForEventBacklog(fed.dbs);
    account = await linkedAccount(fed, PARTNER);
    token = await fed.token({ role: 'member', memberId: account.memberId });
  });
  afterAll(() => fed?.stop());

  it('serves a repeated query from the cache, with the same answer', async () => {
    // A miss computes and stores the answer; the next request with nothing changed in between is a hit. Late
    // work of the seed (a wallet credited, a profile invalidated) may advance the generation first: then ask again.
    let computed: Awaited<ReturnType<typeof dashboard>> | undefined;
    const served = await waitFor(
      'a computed answer served again',
      async () => {
        const answer = await dashboard();
        if (answer.cache === 'miss') computed = answer;
        return answer.cache === 'hit' && computed && answer;
      },
      { timeoutMs: 30_000 },
    );
    expect(computed!.cache).toBe('miss');
    expect(served.me).toEqual(computed!.me);
    // Cached by the gateway for this member only: never by a browser or a shared cache on the way.
    expect(computed!.cacheControl).toBe('no-store');
    expect(served.cacheControl).toBe('no-store');
  });

  it("never serves one member's answer to another", async () => {
    const mine = await dashboard();
    const otherId = mine.me.id === DEMO_MEMBER_ID ? 'M000002' : DEMO_MEMBER_ID;
    const otherToken = await fed.token({ role: 'member', memberId: otherId });
    const theirs = await dashboard(otherToken);
    expect(theirs.me.id).toBe(otherId);
    expect(theirs.cache).toBe('miss');
    expect((await dashboard(otherToken)).me.id).toBe(otherId);
    expect((await dashboard()).me.id).toBe(account.memberId);
  });

  it("drops the member's answers when one of their events is applied", async () => {
    await dashboard(); // cached
    const orderId = uniqueId('order');
    const category = localCategory(fed, PARTNER);
    const ingested = await fed.ingest(
      PARTNER,
      jsonBody([purchaseEvent(account.brandMemberId, { amountMinor: 12_300, category, orderId })]),
    );
    expect(ingested.body.summary?.accepted).toBe(1);
    const fresh = await waitFor('the new order in the answer', async () => {
      const answer = await dashboard();
      return answer.me.pulsefit?.recentOrders[0]?.orderId === orderId && answer;
    });
    expect(fresh.cache).toBe('miss');
    await settled();
  });

  it("drops the member's answers after their own mutation", async () => {
    await settled();
    const { body } = await fed.query(
      `mutation { grantConsent(partner: "${PARTNER}", purposes: [MARKETING], noticeVersion: "2026-01") { id } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    expect((await dashboard()).cache).toBe('miss');
  });

  it("drops every member's answers after a change by staff or an operator", async () => {
    await settled();
    const admin = await fed.token({ role: 'admin', subject: 'ops' });
    const { body } = await fed.query(
      `mutation { grantConsent(partner: "${PARTNER}", purposes: [MARKETING], noticeVersion: "2026-01") { id } }`,
      { token: admin },
    );
    // Whatever the operator's mutation answers (operators do not consent for members), it went through.
    expect(body).toBeDefined();
    expect((await dashboard()).cache).toBe('miss');
  });

  it('caches neither answers with errors nor other roles', async () => {
    const invalid = `{ me { id pulsefit { recentOrders(first: 0) { orderId } } } }`;
    for (let i = 0; i < 2; i++) {
      const { body, headers } = await fed.query(invalid, { token });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(headers.get('x-response-cache')).not.toBe('hit');
    }
    const staff = await fed.token({ role: 'partner_staff', partner: PARTNER, subject: 'desk' });
    const lookup = `{ member(id: "${account.memberId}") { id } }`;
    for (let i = 0; i < 2; i++) {
      const { headers } = await fed.query(lookup, { token: staff });
      expect(headers.get('x-response-cache')).toBeNull();
    }
  });
});
