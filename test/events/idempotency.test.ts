import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { BrandEventIngestor } from '../../subgraphs/brand/ingest/brand-event-ingestor.js';
import { useTestFederation } from '../federation-harness.js';
import type { LinkedAccount } from './event-fixtures.js';
import {
  accountSummary,
  brandModelsOf,
  daysAgo,
  holdFirstWrite,
  interactionEvent,
  jsonBody,
  ledgerEntriesOf,
  ledgerKey,
  linkedAccount,
  newBrandAccount,
  localCategory,
  purchaseEvent,
  referralEvent,
  waitFor,
  waitForLedgerEntries,
  waitForMemberCredited,
  waitForOutboxDrained,
  walletOf,
} from './event-fixtures.js';

/** The event id is the idempotency key end to end: ingest, outbox, stream and ledger (docs/architecture.md §6). */
const PARTNER = 'pulsefit';

describe('an event is credited once however often it arrives', () => {
  const fed = useTestFederation({ members: 20 });
  let account: LinkedAccount;
  let category: string;

  beforeAll(async () => {
    account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    category = localCategory(fed, PARTNER);
    await waitForMemberCredited(fed, account.memberId);
  });

  /** A purchase by the suite's member in a category of the partner. */
  const memberPurchase = (amountMinor: number, occurredAt: string) =>
    purchaseEvent(account.brandMemberId, { amountMinor, category, occurredAt });

  /** Waits for the event's ledger entry and for every other in-flight event of the member. */
  async function settled(eventIds: string[]): Promise<void> {
    await waitForLedgerEntries(fed, PARTNER, eventIds);
    await waitForOutboxDrained(fed);
    await waitForMemberCredited(fed, account.memberId);
  }

  it('credits an event sent twice once, and reports the second delivery as a duplicate', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const summary = await accountSummary(fed, PARTNER, account.brandMemberId);
    const event = memberPurchase(15_050, daysAgo(10));

    const first = await fed.ingest(PARTNER, jsonBody([event]));
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ index: 0, eventId: event.eventId, status: 'accepted' }]);
    const second = await fed.ingest(PARTNER, jsonBody([event]));
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      summary: { accepted: 0, duplicate: 1, conflict: 0, rejected: 0 },
      results: [{ index: 0, eventId: event.eventId, status: 'duplicate' }],
    });
    await settled([event.eventId]);

    const entries = await ledgerEntriesOf(fed, PARTNER, event.eventId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      _id: ledgerKey(PARTNER, event.eventId),
      memberId: account.memberId,
      kind: 'earn',
      points: 150,
    });
    // Ten days old: past the 7 pending days, so the points are spendable.
    expect(entries[0].availableAt.getTime()).toBeLessThan(Date.now());
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(150);
    expect(after.balance + after.pending - (wallet.balance + wallet.pending)).toBe(150);
    expect(after.history.edges.filter((e) => e.node.sourceEventId === event.eventId)).toEqual([
      {
        node: {
          id: ledgerKey(PARTNER, event.eventId),
          kind: 'EARN',
          points: 150,
          sourceEventId: event.eventId,
        },
      },
    ]);
    const summaryAfter = await accountSummary(fed, PARTNER, account.brandMemberId);
    expect(summaryAfter.lifetimeSpendMinor - summary.lifetimeSpendMinor).toBe(15_050);
  });

  it('credits an event sent in two concurrent requests once', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const summary = await accountSummary(fed, PARTNER, account.brandMemberId);
    const event = memberPurchase(20_099, daysAgo(12));
    const body = jsonBody([event]);

    const responses = await Promise.all([fed.ingest(PARTNER, body), fed.ingest(PARTNER, body)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(responses.map((r) => r.body.results![0].status).sort()).toEqual(['accepted', 'duplicate']);
    await settled([event.eventId]);

    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toEqual([
      expect.objectContaining({ kind: 'earn', points: 200, memberId: account.memberId }),
    ]);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(200);
    expect(after.balance + after.pending - (wallet.balance + wallet.pending)).toBe(200);
    const summaryAfter = await accountSummary(fed, PARTNER, account.brandMemberId);
    expect(summaryAfter.lifetimeSpendMinor - summary.lifetimeSpendMinor).toBe(20_099);
    expect(summaryAfter.pendingEventIds).toContain(event.eventId);
    // The guard stays until the recovery sweep finds the event applied for longer than the grace period.
    await fed.federation.brands.get(PARTNER)!.recovery.recover(0);
    expect((await accountSummary(fed, PARTNER, account.brandMemberId)).pendingEventIds).toEqual([]);
  });

  it('counts an event once when a retry arrives while the first delivery is still being applied', async () => {
    const summary = await accountSummary(fed, PARTNER, account.brandMemberId);
    const event = memberPurchase(30_000, daysAgo(11));
    // The first delivery claims the event and is slow to reach its summary step...
    const hold = holdFirstWrite(brandModelsOf(fed, PARTNER), 'Account');
    const first = new BrandEventIngestor(hold.models, fed.registry.byKey.get(PARTNER)!).ingest([event]);
    await hold.reached;

    // ...while the partner, seeing no answer yet, sends the event again.
    const retry = await fed.ingest(PARTNER, jsonBody([event]));
    expect(retry.body.results).toEqual([{ index: 0, eventId: event.eventId, status: 'duplicate' }]);
    hold.release();
    expect((await first)[0]).toMatchObject({ eventId: event.eventId, status: 'accepted' });
    fed.federation.brands.get(PARTNER)!.relay.kick();
    await settled([event.eventId]);

    const summaryAfter = await accountSummary(fed, PARTNER, account.brandMemberId);
    expect(summaryAfter.lifetimeSpendMinor - summary.lifetimeSpendMinor).toBe(30_000);
    const day = new Date(event.occurredAt).toISOString().slice(0, 10);
    expect((summaryAfter.days[day]?.purchaseCount ?? 0) - (summary.days[day]?.purchaseCount ?? 0)).toBe(1);
    expect(summaryAfter.pendingEventIds).toContain(event.eventId);
    // The guard stays until the recovery sweep finds the event applied for longer than the grace period.
    await fed.federation.brands.get(PARTNER)!.recovery.recover(0);
    expect((await accountSummary(fed, PARTNER, account.brandMemberId)).pendingEventIds).toEqual([]);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
  });

  it('credits an event id that appears twice in one batch once, and a whole batch sent again not at all', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const interaction = interactionEvent(account.brandMemberId);
    const referral = referralEvent(account.brandMemberId, await newBrandAccount(fed, PARTNER));
    const batch = [interaction, referral, interaction];

    const first = await fed.ingest(PARTNER, jsonBody(batch));
    expect(first.body).toEqual({
      summary: { accepted: 2, duplicate: 1, conflict: 0, rejected: 0 },
      results: [
        { index: 0, eventId: interaction.eventId, status: 'accepted' },
        { index: 1, eventId: referral.eventId, status: 'accepted' },
        { index: 2, eventId: interaction.eventId, status: 'duplicate' },
      ],
    });
    const again = await fed.ingest(PARTNER, jsonBody(batch));
    expect(again.body.summary).toEqual({ accepted: 0, duplicate: 3, conflict: 0, rejected: 0 });
    await settled([interaction.eventId, referral.eventId]);

    expect(await ledgerEntriesOf(fed, PARTNER, interaction.eventId)).toHaveLength(1);
    expect(await ledgerEntriesOf(fed, PARTNER, referral.eventId)).toHaveLength(1);
    const after = await walletOf(fed, account.memberId);
    // 5 for the interaction, 50 for the referral, both spendable at once.
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(55);
    expect(after.balance + after.pending - (wallet.balance + wallet.pending)).toBe(55);
  });

  it('treats the same event id at two partners as two events (ids are unique per partner)', async () => {
    const inkwell = await linkedAccount(fed, 'inkwell', { memberId: account.memberId });
    const wallet = await walletOf(fed, account.memberId);
    const atPulsefit = interactionEvent(account.brandMemberId);
    const atInkwell = { ...interactionEvent(inkwell.brandMemberId), eventId: atPulsefit.eventId };

    expect((await fed.ingest(PARTNER, jsonBody([atPulsefit]))).body.summary?.accepted).toBe(1);
    expect((await fed.ingest('inkwell', jsonBody([atInkwell]))).body.summary?.accepted).toBe(1);
    await waitForLedgerEntries(fed, 'inkwell', [atInkwell.eventId]);
    await settled([atPulsefit.eventId]);

    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(10);
    expect(
      after.history.edges
        .filter((e) => e.node.sourceEventId === atPulsefit.eventId)
        .map((e) => e.node.id)
        .sort(),
    ).toEqual([ledgerKey('inkwell', atPulsefit.eventId), ledgerKey(PARTNER, atPulsefit.eventId)]);
  });

  it('credits nothing more when the relay publishes an event again (a crash between publishing and its mark)', async () => {
    const event = referralEvent(account.brandMemberId, await newBrandAccount(fed, PARTNER));
    await fed.ingest(PARTNER, jsonBody([event]));
    await settled([event.eventId]);
    const wallet = await walletOf(fed, account.memberId);
    const { Event } = brandModelsOf(fed, PARTNER);
    const streamLength = await fed.activityStream.length();

    await Event.updateOne({ _id: event.eventId }, { $set: { published: false } });
    fed.federation.brands.get(PARTNER)!.relay.kick();
    await waitFor('the event to be published again', async () => {
      const doc = await Event.findById(event.eventId, { published: 1 }).lean<{ published: boolean }>();
      return doc?.published === true && (await fed.activityStream.length()) > streamLength;
    });
    // The consumer reads the stream in order: once a later event is credited, the copy has been handled.
    const later = interactionEvent(account.brandMemberId);
    await fed.ingest(PARTNER, jsonBody([later]));
    await settled([later.eventId]);

    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(5);
    expect(fed.workerErrors).toEqual([]);
  });
});
