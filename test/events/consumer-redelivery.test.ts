import { UNPUBLISHED_EVENTS } from '../../subgraphs/brand/data/brand-models.js';
import { pointsEarningHandler } from '../../subgraphs/benefits/events/points-consumer.js';
import { POINTS_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import { decodeActivityMessage } from '../../subgraphs/shared/events/member-activity-message.js';
import type { StreamConsumerOptions } from '../../subgraphs/shared/events/stream-consumer.js';
import { StreamConsumer } from '../../subgraphs/shared/events/stream-consumer.js';
import type { ConsumerGroupReader, StreamEntry } from '../../subgraphs/shared/streams/activity-stream.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import type { LinkedAccount } from './event-fixtures.js';
import {
  brandModelsOf,
  daysAgo,
  interactionEvent,
  jsonBody,
  ledgerEntriesOf,
  linkedAccount,
  localCategory,
  newBrandAccount,
  purchaseEvent,
  referralEvent,
  waitFor,
  waitForLedgerEntries,
  waitForMemberCredited,
  waitForOutboxDrained,
  walletOf,
} from './event-fixtures.js';

/**
 * A points consumer that dies before acknowledging: its entries stay pending in the group until another
 * consumer claims them (after claimIdleMs), and crediting them again adds nothing.
 */
const PARTNER = 'pulsefit';
const CLAIM_IDLE_MS = 200;

describe('points consumer redelivery', () => {
  let fed: TestFederation;
  let account: LinkedAccount;
  const readers: ConsumerGroupReader[] = [];
  const consumers: StreamConsumer[] = [];
  const consumerErrors: unknown[] = [];

  /** A bare reader in a group, read by the test itself: a consumer that reads and then dies. */
  const reader = (name: string, group = POINTS_CONSUMER_GROUP): ConsumerGroupReader => {
    const opened = fed.activityStream.openReader(group, name);
    readers.push(opened);
    return opened;
  };

  /** A consumer in the real points group, polled by the test rather than started. */
  const pointsConsumer = (
    name: string,
    handle: StreamConsumerOptions['handle'] = pointsEarningHandler(
      fed.federation.benefits.wallet,
      fed.earningRules,
    ),
  ): StreamConsumer => {
    const consumer = new StreamConsumer({
      stream: fed.activityStream,
      group: POINTS_CONSUMER_GROUP,
      consumer: name,
      handle,
      claimIdleMs: CLAIM_IDLE_MS,
      waitMs: 20,
      onError: (error) => consumerErrors.push(error),
    });
    consumers.push(consumer);
    return consumer;
  };

  /** Ingests events and waits until the relay has put them on the stream. */
  async function publish(events: { eventId: string }[]): Promise<void> {
    const { body } = await fed.ingest(PARTNER, jsonBody(events));
    expect(body.summary?.accepted).toBe(events.length);
    await waitForOutboxDrained(fed);
  }

  /** How many entries of the points group one consumer holds unacknowledged. */
  const pendingCountOf = async (consumer: string): Promise<number> =>
    (await fed.activityStream.groupStatus(POINTS_CONSUMER_GROUP))?.pendingByConsumer[consumer] ?? 0;

  const entryOf = (entries: StreamEntry[], eventId: string): StreamEntry | undefined =>
    entries.find((entry) => decodeActivityMessage(entry.payload).eventId === eventId);

  /** Every entry on the stream so far, read through a group of the test's own that starts at the first. */
  async function everyEntry(): Promise<StreamEntry[]> {
    const tap = reader('tap', `test-tap-${readers.length}`);
    await tap.createGroup();
    return tap.readNew(100_000);
  }

  beforeAll(async () => {
    fed = await startTestFederation({ members: 20 });
    account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    await waitForOutboxDrained(fed);
    await waitForMemberCredited(fed, account.memberId);
    // From here on the test plays every consumer of the points group.
    await fed.federation.benefits.pointsConsumer.stop();
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop().catch(() => undefined);
    for (const opened of readers) await opened.close().catch(() => undefined);
    await fed?.stop();
  });

  it('redelivers the entries of a consumer that died before acknowledging, and credits them once', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const purchase = purchaseEvent(account.brandMemberId, {
      amountMinor: 15_050,
      category: localCategory(fed, PARTNER),
      occurredAt: daysAgo(10),
    });
    await publish([purchase]);

    // A consumer reads the entry and dies: no handling, no acknowledgement.
    const dead = reader('dead-one');
    const delivered = entryOf(await dead.readNew(1000), purchase.eventId);
    expect(delivered).toBeDefined();
    const entryId = delivered!.id;
    expect((await dead.readPending(1000)).map((e) => e.id)).toContain(entryId);
    expect(await ledgerEntriesOf(fed, PARTNER, purchase.eventId)).toEqual([]);

    // Another consumer takes the entry over once it has been idle for claimIdleMs.
    const rescuer = pointsConsumer('rescuer');
    await waitFor(
      'the rescuer to claim and credit the entry',
      async () => {
        await rescuer.poll();
        return (await ledgerEntriesOf(fed, PARTNER, purchase.eventId)).length > 0;
      },
      { intervalMs: CLAIM_IDLE_MS / 2 },
    );

    expect(await ledgerEntriesOf(fed, PARTNER, purchase.eventId)).toEqual([
      expect.objectContaining({ kind: 'earn', points: 150, memberId: account.memberId }),
    ]);
    // Taken from the dead consumer, and acknowledged by the rescuer.
    expect((await dead.readPending(1000)).map((e) => e.id)).not.toContain(entryId);
    expect(await pendingCountOf('dead-one')).toBe(0);
    expect(await pendingCountOf('rescuer')).toBe(0);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(150);
    expect(after.balance + after.pending - (wallet.balance + wallet.pending)).toBe(150);
    expect(consumerErrors).toEqual([]);
  });

  it('keeps one ledger entry when an entry handled but not acknowledged is delivered again', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const event = interactionEvent(account.brandMemberId);
    const credit = pointsEarningHandler(fed.federation.benefits.wallet, fed.earningRules);
    // Credits its batch, then dies before acknowledging when the batch holds the event.
    let crashed: StreamEntry | undefined;
    const crashing = pointsConsumer('crashes-before-ack', async (entries) => {
      await credit(entries);
      crashed = entryOf(entries, event.eventId);
      if (crashed) throw new Error(`crash before acknowledging ${crashed.id}`);
    });
    await publish([event]);

    await expect(crashing.poll()).rejects.toThrow('crash before acknowledging');
    expect(crashed).toBeDefined();
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
    expect(await pendingCountOf('crashes-before-ack')).toBe(1);

    const rescuer = pointsConsumer('second-rescuer');
    await waitFor(
      'the entry to be claimed and acknowledged',
      async () => {
        await rescuer.poll();
        return (await pendingCountOf('crashes-before-ack')) === 0;
      },
      { intervalMs: CLAIM_IDLE_MS / 2 },
    );
    expect(await pendingCountOf('second-rescuer')).toBe(0);

    // The same entry handled twice more, as a third and fourth delivery would.
    await credit([crashed!]);
    await credit([crashed!, crashed!]);

    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toEqual([
      expect.objectContaining({ kind: 'earn', points: 5, memberId: account.memberId }),
    ]);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(5);
  });

  it('credits the new entries of a redelivered batch that also holds entries credited before', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const credited = interactionEvent(account.brandMemberId);
    const fresh = referralEvent(account.brandMemberId, await newBrandAccount(fed, PARTNER));
    await publish([credited, fresh]);
    const entries = await everyEntry();
    const entryOfEvent = (eventId: string): StreamEntry => entryOf(entries, eventId)!;
    const credit = pointsEarningHandler(fed.federation.benefits.wallet, fed.earningRules);

    await credit([entryOfEvent(credited.eventId)]);
    await credit([entryOfEvent(credited.eventId), entryOfEvent(fresh.eventId)]);

    expect(await ledgerEntriesOf(fed, PARTNER, credited.eventId)).toHaveLength(1);
    expect(await ledgerEntriesOf(fed, PARTNER, fresh.eventId)).toEqual([
      expect.objectContaining({ kind: 'earn', points: 50, memberId: account.memberId }),
    ]);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(55);
  });

  it('lets a restarted consumer re-read its own unacknowledged entries (same name, no claim needed)', async () => {
    const event = interactionEvent(account.brandMemberId);
    await publish([event]);
    const name = 'restarts';
    const firstLife = reader(name);
    expect(entryOf(await firstLife.readNew(1000), event.eventId)).toBeDefined();
    await firstLife.close();

    // Straight after the restart, before the entry could be claimed by idle time.
    const secondLife = new StreamConsumer({
      stream: fed.activityStream,
      group: POINTS_CONSUMER_GROUP,
      consumer: name,
      handle: pointsEarningHandler(fed.federation.benefits.wallet, fed.earningRules),
      claimIdleMs: 3_600_000,
      waitMs: 20,
    });
    consumers.push(secondLife);
    expect(await secondLife.poll()).toBeGreaterThanOrEqual(1);
    await waitForLedgerEntries(fed, PARTNER, [event.eventId]);
    expect(await pendingCountOf(name)).toBe(0);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
  });

  it('leaves nothing pending in the group at the end', async () => {
    // Whatever is still unacknowledged (from any consumer above) is claimed by idle time and applied.
    const sweeper = pointsConsumer('sweeper');
    await waitFor(
      'the points group to have nothing pending',
      async () => {
        await sweeper.poll();
        return (await fed.activityStream.groupStatus(POINTS_CONSUMER_GROUP))?.pending === 0;
      },
      { intervalMs: CLAIM_IDLE_MS / 2 },
    );
    const unpublished = await brandModelsOf(fed, PARTNER).Event.countDocuments(UNPUBLISHED_EVENTS);
    expect(unpublished).toBe(0);
  });
});
