import { BrandEventIngestor } from '../../subgraphs/brand/ingest/brand-event-ingestor.js';
import { signEventBody } from '../../subgraphs/brand/ingest/event-signature.js';
import type { IngestResult } from '../../subgraphs/brand/ingest/ingest-result.js';
import { dayKey } from '../../subgraphs/shared/domain/behaviour.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { MAX_EVENT_AMOUNT_MINOR } from '../../subgraphs/shared/events/partner-event.js';
import type { IngestResponse, TestFederation } from '../federation-harness.js';
import { startTestFederation, testPartnerSecret } from '../federation-harness.js';
import type { LinkedAccount, PurchaseEvent } from './event-fixtures.js';
import {
  accountSummary,
  brandModelsOf,
  daysAgo,
  holdFirstWrite,
  interactionEvent,
  jsonBody,
  ledgerEntriesOf,
  linkedAccount,
  localCategory,
  loginEvent,
  ndjsonBody,
  newBrandAccount,
  purchaseEvent,
  referralEvent,
  refundEvent,
  uniqueId,
  waitForLedgerEntries,
} from './event-fixtures.js';

/**
 * Bad input at the signed ingest endpoint: each refusal names its reason, nothing is ever a 500, and a
 * rejected event writes nothing (no event document, no order, no change to the behaviour summary). An event
 * id sent again with other content is a conflict, never silently a duplicate.
 */
const PARTNER = 'pulsefit';
const DAY_MS = 86_400_000;
const OVER_MAXIMUM = `amountMinor must be at most ${MAX_EVENT_AMOUNT_MINOR} (CNY 10,000,000.00) per event`;

interface Refusal {
  code?: string;
  message?: string;
}

/**
 * The refusal in a non-200 answer. The ingest route answers `{ error: { code, message } }`; the shared HTTP
 * layer in front of it (body size) answers in the GraphQL error shape; both are read here.
 */
function refusalOf(
  body: IngestResponse & { errors?: { message: string; extensions?: { code?: string } }[] },
): Refusal {
  if (body.error) return body.error;
  const [first] = body.errors ?? [];
  return { code: first?.extensions?.code, message: first?.message };
}

describe('ingest endpoint refuses bad input clearly and writes nothing for it', () => {
  let fed: TestFederation;
  let account: LinkedAccount;
  let other: LinkedAccount;
  let category: string;
  let recorded: PurchaseEvent;

  /** Counts of every brand collection an event writes to, and the account's summary. */
  async function snapshot() {
    const { Event, Order, Referral } = brandModelsOf(fed, PARTNER);
    return {
      events: await Event.countDocuments({}),
      orders: await Order.countDocuments({}),
      referrals: await Referral.countDocuments({}),
      summary: await accountSummary(fed, PARTNER, account.brandMemberId),
    };
  }

  async function expectNothingStored(eventIds: string[], orderIds: string[] = []): Promise<void> {
    const { Event, Order } = brandModelsOf(fed, PARTNER);
    expect(await Event.find({ _id: { $in: eventIds } }).lean()).toEqual([]);
    if (orderIds.length) expect(await Order.find({ _id: { $in: orderIds } }).lean()).toEqual([]);
  }

  beforeAll(async () => {
    fed = await startTestFederation({ members: 20 });
    account = await linkedAccount(fed, PARTNER);
    other = await linkedAccount(fed, PARTNER, { skip: 1 });
    category = localCategory(fed, PARTNER);
    recorded = purchaseEvent(account.brandMemberId, { amountMinor: 15_050, category });
    const { body } = await fed.ingest(PARTNER, jsonBody([recorded]));
    expect(body.summary?.accepted).toBe(1);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('rejects each invalid event with its reason and stores none of them', async () => {
    const base = () => purchaseEvent(account.brandMemberId, { amountMinor: 15_050, category });
    const omit = (event: PurchaseEvent, ...keys: string[]) =>
      Object.fromEntries(Object.entries(event).filter(([key]) => !keys.includes(key)));
    const cases: [label: string, event: Record<string, unknown>, reason: string | RegExp][] = [
      [
        'missing fields',
        omit(base(), 'orderId', 'amountMinor'),
        'orderId is required; amountMinor is required',
      ],
      ['missing member', omit(base(), 'brandMemberId'), 'brandMemberId is required'],
      ['negative amount', { ...base(), amountMinor: -500 }, 'amountMinor must be greater than 0'],
      ['zero amount', { ...base(), amountMinor: 0 }, 'amountMinor must be greater than 0'],
      [
        'non-integer amount',
        { ...base(), amountMinor: 150.5 },
        /^amountMinor must be an integer number of minor units/,
      ],
      ['amount as text', { ...base(), amountMinor: '15050' }, /^amountMinor must be a number/],
      ['amount past 32 bits', { ...base(), amountMinor: 2_147_483_648 }, OVER_MAXIMUM],
      ['amount of 10^11', { ...base(), amountMinor: 1e11 }, OVER_MAXIMUM],
      ['refund over the maximum', { ...refundEvent(recorded, 1e11) }, OVER_MAXIMUM],
      [
        'unknown member',
        { ...base(), brandMemberId: 'PU-nobody' },
        `unknown brandMemberId "PU-nobody" at ${PARTNER}`,
      ],
      [
        'unknown type',
        { ...base(), type: 'chargeback' },
        'type must be one of purchase, refund, browse, interaction, referral, login, subscription',
      ],
      ['unknown field', { ...base(), coupon: 'SPRING' }, 'unknown field(s): coupon'],
      [
        'unknown category',
        { ...base(), category: 'karate' },
        /^unknown category "karate" for pulsefit; known: /,
      ],
      ['other currency', { ...base(), currency: 'USD' }, 'currency must be "CNY"'],
      [
        'future time',
        { ...base(), occurredAt: new Date(Date.now() + DAY_MS).toISOString() },
        'occurredAt is in the future',
      ],
      [
        'too old',
        { ...base(), occurredAt: new Date(Date.now() - 800 * DAY_MS).toISOString() },
        'occurredAt is older than the 730-day retention window',
      ],
      [
        'order id of another purchase',
        { ...base(), orderId: recorded.orderId },
        `orderId "${recorded.orderId}" was already recorded by event "${recorded.eventId}"`,
      ],
      [
        'refund over the remaining amount',
        { ...refundEvent(recorded, 15_051) },
        `amountMinor 15051 exceeds the 15050 that remains of order "${recorded.orderId}"`,
      ],
      [
        'refund dated before its purchase',
        { ...refundEvent(recorded, 100, daysAgo(11)) },
        /^occurredAt \S+ is before the purchase of order "[^"]+" \(\S+\); a refund follows its purchase$/,
      ],
      [
        'referral of oneself',
        { ...referralEvent(account.brandMemberId, account.brandMemberId) },
        'referredBrandMemberId is the referring account itself',
      ],
      [
        'referral of an account the brand does not have',
        { ...referralEvent(account.brandMemberId, 'PU-nobody') },
        `referredBrandMemberId "PU-nobody" is not an account at ${PARTNER}`,
      ],
      [
        'login with more than the common fields',
        { ...loginEvent(account.brandMemberId), kind: 'like' },
        'unknown field(s): kind',
      ],
      [
        'refund of an unknown order',
        { ...refundEvent({ brandMemberId: account.brandMemberId, orderId: 'no-such-order' }, 100) },
        'orderId "no-such-order" is not a recorded purchase',
      ],
      [
        "refund of another member's order",
        { ...refundEvent({ brandMemberId: other.brandMemberId, orderId: recorded.orderId }, 100) },
        `orderId "${recorded.orderId}" belongs to another member`,
      ],
      ['not an object', [1, 2] as unknown as Record<string, unknown>, 'each event must be a JSON object'],
    ];
    const before = await snapshot();

    const { status, body } = await fed.ingest(PARTNER, jsonBody(cases.map(([, event]) => event)));

    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: 0, duplicate: 0, conflict: 0, rejected: cases.length });
    cases.forEach(([label, event, reason], index) => {
      const result = body.results![index];
      expect({ label, index: result.index, status: result.status }).toEqual({
        label,
        index,
        status: 'rejected',
      });
      if (typeof reason === 'string') expect({ label, reason: result.reason }).toEqual({ label, reason });
      else expect({ label, reason: result.reason }).toEqual({ label, reason: expect.stringMatching(reason) });
      if (typeof event.eventId === 'string') expect(result.eventId).toBe(event.eventId);
    });
    expect(await snapshot()).toEqual(before);
    const purchases = cases.map(([, event]) => event).filter((e) => e.type === 'purchase');
    await expectNothingStored(
      cases.map(([, event]) => event.eventId).filter((id): id is string => typeof id === 'string'),
      purchases
        .map((e) => e.orderId)
        .filter((id): id is string => typeof id === 'string' && id !== recorded.orderId),
    );
    // The refused refunds left the order as it was.
    expect(await brandModelsOf(fed, PARTNER).Order.findById(recorded.orderId).lean()).toMatchObject({
      remainingMinor: 15_050,
      refundedMinor: 0,
      refundEventIds: [],
    });
  });

  it('accepts the valid events of a batch and rejects only the invalid ones', async () => {
    const good = interactionEvent(account.brandMemberId);
    const bad = { ...purchaseEvent(account.brandMemberId, { amountMinor: -1, category }) };
    const { status, body } = await fed.ingest(PARTNER, jsonBody([bad, good]));
    expect(status).toBe(200);
    expect(body.summary).toEqual({ accepted: 1, duplicate: 0, conflict: 0, rejected: 1 });
    expect(body.results).toEqual([
      { index: 0, eventId: bad.eventId, status: 'rejected', reason: 'amountMinor must be greater than 0' },
      { index: 1, eventId: good.eventId, status: 'accepted' },
    ]);
    await expectNothingStored([bad.eventId], [bad.orderId]);
    expect(await brandModelsOf(fed, PARTNER).Event.findById(good.eventId).lean()).toMatchObject({
      state: 'applied',
    });
  });

  it('answers 401 to a missing, wrong or other partner signature and stores nothing', async () => {
    const event = interactionEvent(account.brandMemberId);
    const body = jsonBody([event]);
    const before = await snapshot();
    for (const signature of [
      null,
      'sha256=' + '0'.repeat(64),
      signEventBody(body, testPartnerSecret('inkwell')),
      signEventBody(`${body} `, testPartnerSecret(PARTNER)),
      'not-a-signature',
    ]) {
      const response = await fed.ingest(PARTNER, body, { signature });
      expect(response.status).toBe(401);
      expect(refusalOf(response.body)).toEqual({
        code: 'UNAUTHENTICATED',
        message: expect.stringContaining('x-signature'),
      });
    }
    expect(await snapshot()).toEqual(before);
    await expectNothingStored([event.eventId]);
  });

  it('answers 413 to a body over 1 MiB and stores nothing', async () => {
    const event = interactionEvent(account.brandMemberId);
    const padding = Array.from({ length: 12_000 }, (_, i) => ({ eventId: `pad-${i}`, note: 'x'.repeat(80) }));
    const body = jsonBody([event, ...padding]);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const before = await snapshot();

    const response = await fed.ingest(PARTNER, body);

    expect(response.status).toBe(413);
    expect(refusalOf(response.body)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/1048576 bytes/),
    });
    expect(await snapshot()).toEqual(before);
    await expectNothingStored([event.eventId]);
  });

  it('answers 413 to more than 5000 events, accepts exactly 5000, and stores nothing of the refused request', async () => {
    const event = interactionEvent(account.brandMemberId);
    const before = await snapshot();
    const tooMany = await fed.ingest(
      PARTNER,
      jsonBody([event, ...Array.from({ length: 5_000 }, () => ({}))]),
    );
    expect(tooMany.status).toBe(413);
    expect(refusalOf(tooMany.body)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'at most 5000 events per request; got 5001',
    });
    await expectNothingStored([event.eventId]);

    const ndjson = await fed.ingest(PARTNER, ndjsonBody(Array.from({ length: 5_001 }, () => '{}')), {
      contentType: 'application/x-ndjson',
    });
    expect(ndjson.status).toBe(413);

    const limit = await fed.ingest(PARTNER, jsonBody(Array.from({ length: 5_000 }, () => ({}))));
    expect(limit.status).toBe(200);
    expect(limit.body.summary).toEqual({ accepted: 0, duplicate: 0, conflict: 0, rejected: 5_000 });
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 to a body that is not a JSON array of events', async () => {
    for (const [body, message] of [
      ['[{"eventId": "a",', 'the body is not valid JSON; send an array of event objects'],
      ['', 'the body is not valid JSON; send an array of event objects'],
      [
        JSON.stringify(interactionEvent(account.brandMemberId)),
        'the body must be a JSON array of event objects',
      ],
      ['[]', 'the body holds no events'],
    ]) {
      const response = await fed.ingest(PARTNER, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(refusalOf(response.body)).toEqual({ code: 'BAD_USER_INPUT', message });
    }
  });

  it('rejects only the malformed line of an NDJSON body and accepts the others', async () => {
    const first = interactionEvent(account.brandMemberId);
    const last = interactionEvent(account.brandMemberId);
    const body = ndjsonBody([JSON.stringify(first), '{"eventId": "half-a-line",', JSON.stringify(last)]);

    const { status, body: response } = await fed.ingest(PARTNER, body, {
      contentType: 'application/x-ndjson',
    });

    expect(status).toBe(200);
    expect(response).toEqual({
      summary: { accepted: 2, duplicate: 0, conflict: 0, rejected: 1 },
      results: [
        { index: 0, eventId: first.eventId, status: 'accepted' },
        { index: 1, status: 'rejected', reason: 'line 2 is not valid JSON' },
        { index: 2, eventId: last.eventId, status: 'accepted' },
      ],
    });
    await expectNothingStored(['half-a-line']);
    const stored = await brandModelsOf(fed, PARTNER)
      .Event.find({ _id: { $in: [first.eventId, last.eventId] } }, { state: 1 })
      .lean();
    expect(stored).toHaveLength(2);
  });

  it('answers 415 to a content type other than JSON or NDJSON and stores nothing', async () => {
    const event = interactionEvent(account.brandMemberId);
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const response = await fed.ingest(PARTNER, jsonBody([event]), { contentType });
      expect(response.status).toBe(415);
      expect(refusalOf(response.body)).toEqual({
        code: 'BAD_REQUEST',
        message: 'send events as application/json (an array) or application/x-ndjson (one per line)',
      });
    }
    await expectNothingStored([event.eventId]);
  });

  it('never answers 500, whatever the body: odd events are rejected one by one, and nothing is stored', async () => {
    const before = await snapshot();
    const odd = [
      '[null]',
      '[[]]',
      '["purchase"]',
      '[{"__proto__": {"polluted": true}}]',
      `[{"eventId": "${uniqueId('x')}", "type": "purchase", "brandMemberId": {"$gt": ""}}]`,
      `[{"eventId": "${uniqueId('x')}", "type": "refund", "brandMemberId": "${account.brandMemberId}", "occurredAt": "${daysAgo(1)}", "orderId": {"$ne": null}, "amountMinor": 1}]`,
    ];
    for (const body of odd) {
      const response = await fed.ingest(PARTNER, body);
      expect({ body, status: response.status, summary: response.body.summary }).toEqual({
        body,
        status: 200,
        summary: { accepted: 0, duplicate: 0, conflict: 0, rejected: 1 },
      });
    }
    const binary = await fed.ingest(PARTNER, '\u0000\u0001');
    expect(binary.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('reports an event id sent again with other content as a conflict, keeping the first', async () => {
    const event = interactionEvent(account.brandMemberId);
    const changed = { ...event, kind: 'share', category: category };
    expect((await fed.ingest(PARTNER, jsonBody([event]))).body.summary?.accepted).toBe(1);
    const before = await snapshot();

    const { status, body } = await fed.ingest(PARTNER, jsonBody([changed, event]));

    expect(status).toBe(200);
    expect(body).toEqual({
      summary: { accepted: 0, duplicate: 1, conflict: 1, rejected: 0 },
      results: [
        {
          index: 0,
          eventId: event.eventId,
          status: 'conflict',
          reason: `eventId "${event.eventId}" was already received with other content (differs in category, kind); the first stays recorded, so send a new event under a new eventId`,
        },
        { index: 1, eventId: event.eventId, status: 'duplicate' },
      ],
    });
    expect(await snapshot()).toEqual(before);
    expect(await brandModelsOf(fed, PARTNER).Event.findById(event.eventId).lean()).toMatchObject({
      payload: event,
    });
    // The same instant written another way is the same content.
    const whole = interactionEvent(account.brandMemberId, daysAgo(1).replace(/\.\d{3}Z$/, 'Z'));
    const respelt = { ...whole, occurredAt: new Date(whole.occurredAt).toISOString() };
    expect(respelt.occurredAt).not.toBe(whole.occurredAt);
    const answers = [
      await fed.ingest(PARTNER, jsonBody([whole])),
      await fed.ingest(PARTNER, jsonBody([respelt])),
    ];
    expect(answers.map((a) => a.body.results?.[0].status)).toEqual(['accepted', 'duplicate']);
  });

  it('reports two different events under one new id in one request as accepted, then conflict', async () => {
    const first = interactionEvent(account.brandMemberId);
    const second = { ...first, kind: 'like' };
    const { body } = await fed.ingest(PARTNER, jsonBody([first, second]));
    expect(body.results?.map((r) => r.status)).toEqual(['accepted', 'conflict']);
    expect(body.results?.[1].reason).toMatch(/\(differs in kind\)/);
  });

  it('counts a referral only for an existing, different account, once per referred account', async () => {
    const friend = await newBrandAccount(fed, PARTNER);
    const first = referralEvent(account.brandMemberId, friend);
    const again = referralEvent(other.brandMemberId, friend);
    const { Referral, Event } = brandModelsOf(fed, PARTNER);

    const { body } = await fed.ingest(PARTNER, jsonBody([first, again]));
    expect(body.results).toEqual([
      { index: 0, eventId: first.eventId, status: 'accepted' },
      {
        index: 1,
        eventId: again.eventId,
        status: 'rejected',
        reason: `referredBrandMemberId "${friend}" was already referred by event "${first.eventId}"`,
      },
    ]);
    const later = referralEvent(account.brandMemberId, friend);
    expect((await fed.ingest(PARTNER, jsonBody([later]))).body.results?.[0]).toMatchObject({
      status: 'rejected',
      reason: `referredBrandMemberId "${friend}" was already referred by event "${first.eventId}"`,
    });
    expect(await Referral.findById(friend).lean()).toMatchObject({
      eventId: first.eventId,
      referrerBrandMemberId: account.brandMemberId,
    });
    expect(await Event.find({ _id: { $in: [again.eventId, later.eventId] } }).lean()).toEqual([]);
    // The one that counted earns its 50 points.
    await waitForLedgerEntries(fed, PARTNER, [first.eventId]);
    expect(await ledgerEntriesOf(fed, PARTNER, first.eventId)).toEqual([
      expect.objectContaining({ points: 50, memberId: account.memberId }),
    ]);
  });

  it('lets only one of two concurrent referrals of the same account count (the referral claim is unique)', async () => {
    const friend = await newBrandAccount(fed, PARTNER);
    const referrals = [
      referralEvent(account.brandMemberId, friend),
      referralEvent(other.brandMemberId, friend),
    ];

    const answers = await Promise.all(referrals.map((r) => fed.ingest(PARTNER, jsonBody([r]))));

    const statuses = answers.map((a) => a.body.results?.[0].status);
    expect([...statuses].sort()).toEqual(['accepted', 'rejected']);
    const winner = referrals[statuses.indexOf('accepted')];
    const loser = referrals[statuses.indexOf('rejected')];
    expect(answers[statuses.indexOf('rejected')].body.results?.[0].reason).toBe(
      `referredBrandMemberId "${friend}" was already referred by event "${winner.eventId}"`,
    );
    const { Referral, Event } = brandModelsOf(fed, PARTNER);
    expect(await Referral.findById(friend).lean()).toMatchObject({ eventId: winner.eventId });
    expect(await Event.findById(loser.eventId).lean()).toBeNull();
  });

  it('keeps sums exact past 2^31: three purchases at the per-event maximum', async () => {
    const memberId = uniqueId('M-max');
    const buyer = await newBrandAccount(fed, PARTNER, memberId);
    const occurredAt = daysAgo(10);
    const purchases = [1, 2, 3].map(() =>
      purchaseEvent(buyer, { amountMinor: MAX_EVENT_AMOUNT_MINOR, category, occurredAt }),
    );

    const { body } = await fed.ingest(PARTNER, jsonBody(purchases));

    expect(body.summary).toEqual({ accepted: 3, duplicate: 0, conflict: 0, rejected: 0 });
    const stored = await accountSummary(fed, PARTNER, buyer);
    expect(stored.lifetimeSpendMinor).toBe(3_000_000_000);
    expect(Number.isSafeInteger(stored.lifetimeSpendMinor)).toBe(true);
    expect(stored.days[dayKey(new Date(occurredAt))]).toMatchObject({
      purchaseCount: 3,
      spendMinor: 3_000_000_000,
    });
    // 1 point per yuan: 10,000,000 points each, 30,000,000 together.
    const entries = await waitForLedgerEntries(
      fed,
      PARTNER,
      purchases.map((p) => p.eventId),
    );
    expect(entries.map((e) => e.points)).toEqual([10_000_000, 10_000_000, 10_000_000]);
  });

  it('accepts a login and counts it on its day, without points', async () => {
    const before = await accountSummary(fed, PARTNER, account.brandMemberId);
    const login = loginEvent(account.brandMemberId, daysAgo(2));
    const after = interactionEvent(account.brandMemberId, daysAgo(2));

    const { body } = await fed.ingest(PARTNER, jsonBody([login, after]));

    expect(body.summary).toEqual({ accepted: 2, duplicate: 0, conflict: 0, rejected: 0 });
    const day = dayKey(new Date(login.occurredAt));
    const summary = await accountSummary(fed, PARTNER, account.brandMemberId);
    expect((summary.days[day]?.loginCount ?? 0) - (before.days[day]?.loginCount ?? 0)).toBe(1);
    expect(summary.lifetimeSpendMinor).toBe(before.lifetimeSpendMinor);
    // The consumer reads the stream in order: once the later interaction is credited, the login was handled.
    await waitForLedgerEntries(fed, PARTNER, [after.eventId]);
    expect(await ledgerEntriesOf(fed, PARTNER, login.eventId)).toEqual([]);
    expect(await brandModelsOf(fed, PARTNER).Event.findById(login.eventId).lean()).toMatchObject({
      state: 'applied',
      message: expect.objectContaining({ type: 'login', eventId: login.eventId }),
    });
  });

  /** Holds `slow` just before its first write to `collection` while `fast` is sent and accepted meanwhile. */
  async function raceAtOrderStep(
    collection: 'Order' | 'Referral',
    slow: PartnerEvent,
    fast: PartnerEvent,
  ): Promise<IngestResult[]> {
    const hold = holdFirstWrite(brandModelsOf(fed, PARTNER), collection);
    const slowDone = new BrandEventIngestor(hold.models, fed.registry.byKey.get(PARTNER)!).ingest([slow]);
    await hold.reached;
    expect((await fed.ingest(PARTNER, jsonBody([fast]))).body.results?.[0].status).toBe('accepted');
    hold.release();
    return slowDone;
  }

  it('rejects an event that loses a race at the order step, and keeps nothing of it', async () => {
    const before = await accountSummary(fed, PARTNER, account.brandMemberId);
    // Another referral of the same account counts while the slow one waits before its referral claim.
    const friend = await newBrandAccount(fed, PARTNER);
    const slowReferral = referralEvent(account.brandMemberId, friend);
    const fastReferral = referralEvent(other.brandMemberId, friend);
    expect(await raceAtOrderStep('Referral', slowReferral, fastReferral)).toEqual([
      {
        index: 0,
        eventId: slowReferral.eventId,
        status: 'rejected',
        reason: `referredBrandMemberId "${friend}" was already referred by event "${fastReferral.eventId}"`,
      },
    ]);
    // Another purchase records the same order id while the slow one waits before its order.
    const slowPurchase = purchaseEvent(account.brandMemberId, { amountMinor: 1_000, category });
    const fastPurchase = {
      ...purchaseEvent(account.brandMemberId, { amountMinor: 2_000, category }),
      orderId: slowPurchase.orderId,
    };
    expect(await raceAtOrderStep('Order', slowPurchase, fastPurchase)).toEqual([
      {
        index: 0,
        eventId: slowPurchase.eventId,
        status: 'rejected',
        reason: `orderId "${slowPurchase.orderId}" was already recorded by event "${fastPurchase.eventId}"`,
      },
    ]);

    const { Event } = brandModelsOf(fed, PARTNER);
    expect(await Event.find({ _id: { $in: [slowReferral.eventId, slowPurchase.eventId] } }).lean()).toEqual(
      [],
    );
    const after = await accountSummary(fed, PARTNER, account.brandMemberId);
    expect(after.lifetimeSpendMinor - before.lifetimeSpendMinor).toBe(2_000);
  });
});
