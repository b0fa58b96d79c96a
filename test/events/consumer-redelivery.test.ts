import { pointsEarningHandler } from '../../subgraphs/benefits/events/points-consumer.js';
import { POINTS_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import type { StreamReadEntry } from '../../subgraphs/shared/redis/redis-client.js';
import { closeRedisClient } from '../../subgraphs/shared/redis/create-redis-client.js';
import type { RedisClient } from '../../subgraphs/shared/redis/redis-client.js';
import {
  MEMBER_ACTIVITY_STREAM,
  decodeActivityMessage,
} from '../../subgraphs/shared/events/member-activity-message.js';
import type { StreamConsumerOptions } from '../../subgraphs/shared/events/stream-consumer.js';
import { StreamConsumer } from '../../subgraphs/shared/events/stream-consumer.js';
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
 * consumer claims them (XAUTOCLAIM after claimIdleMs), and crediting them again adds nothing.
 */
const PARTNER = 'pulsefit';
const CLAIM_IDLE_MS = 200;

describe('points consumer redelivery', () => {
  let fed: TestFederation;
  let account: LinkedAccount;
  const clients: RedisClient[] = [];
  const consumers: StreamConsumer[] = [];
  const consumerErrors: unknown[] = [];

  const connection = (): RedisClient => {
    const client = fed.redis.duplicate();
    clients.push(client);
    return client;
  };

  /** A consumer in the real points group, polled by the test rather than started. */
  const pointsConsumer = (
    name: string,
    handle: StreamConsumerOptions['handle'] = pointsEarningHandler(
      fed.federation.benefits.ledger,
      fed.earningRules,
    ),
  ): StreamConsumer => {
    const consumer = new StreamConsumer({
      redis: connection(),
      stream: MEMBER_ACTIVITY_STREAM,
      group: POINTS_CONSUMER_GROUP,
      consumer: name,
      handle,
      claimIdleMs: CLAIM_IDLE_MS,
      blockMs: 20,
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

  /** The pending entries of the points group held by one consumer. */
  const pendingOf = async (consumer: string) =>
    fed.redis.xpending(MEMBER_ACTIVITY_STREAM, POINTS_CONSUMER_GROUP, '-', '+', 1000, consumer);

  const entryOf = (entries: StreamReadEntry[], eventId: string): StreamReadEntry | undefined =>
    entries.find(([, fields]) => fields !== null && decodeActivityMessage(fields).eventId === eventId);

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
    for (const client of clients) await closeRedisClient(client).catch(() => undefined);
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

    // A consumer reads the entry and dies: no handling, no XACK.
    const dead = connection();
    const read = await dead.xreadgroup(
      'GROUP',
      POINTS_CONSUMER_GROUP,
      'dead-one',
      'COUNT',
      1000,
      'STREAMS',
      MEMBER_ACTIVITY_STREAM,
      '>',
    );
    const delivered = entryOf(read?.[0]?.[1] ?? [], purchase.eventId);
    expect(delivered).toBeDefined();
    const [entryId] = delivered!;
    expect((await pendingOf('dead-one')).map(([id]) => id)).toContain(entryId);
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
    expect((await pendingOf('dead-one')).map(([id]) => id)).not.toContain(entryId);
    expect((await pendingOf('rescuer')).map(([id]) => id)).not.toContain(entryId);
    const after = await walletOf(fed, account.memberId);
    expect(after.lifetimeEarned - wallet.lifetimeEarned).toBe(150);
    expect(after.balance + after.pending - (wallet.balance + wallet.pending)).toBe(150);
    expect(consumerErrors).toEqual([]);
  });

  it('keeps one ledger entry when an entry handled but not acknowledged is delivered again', async () => {
    const wallet = await walletOf(fed, account.memberId);
    const event = interactionEvent(account.brandMemberId);
    const credit = pointsEarningHandler(fed.federation.benefits.ledger, fed.earningRules);
    // Credits its batch, then dies before XACK when the batch holds the event.
    const crashing = pointsConsumer('crashes-before-ack', async (messages) => {
      await credit(messages);
      const ours = messages.find((m) => decodeActivityMessage(m.fields).eventId === event.eventId);
      if (ours) throw new Error(`crash before XACK of ${ours.id}`);
    });
    await publish([event]);

    await expect(crashing.poll()).rejects.toThrow('crash before XACK');
    const entries = await fed.redis.xrange(MEMBER_ACTIVITY_STREAM, '-', '+');
    const [crashedEntryId, fields] = entries.find(
      ([, f]) => decodeActivityMessage(f).eventId === event.eventId,
    )!;
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
    const [held] = (await pendingOf('crashes-before-ack')).filter(([id]) => id === crashedEntryId);
    expect(held).toEqual([crashedEntryId, 'crashes-before-ack', expect.any(Number), 1]);

    const rescuer = pointsConsumer('second-rescuer');
    await waitFor(
      'the entry to be claimed and acknowledged',
      async () => {
        await rescuer.poll();
        return (await pendingOf('crashes-before-ack')).length === 0;
      },
      { intervalMs: CLAIM_IDLE_MS / 2 },
    );
    expect(await pendingOf('second-rescuer')).toEqual([]);

    // The same entry handled twice more, as a third and fourth delivery would.
    await credit([{ id: crashedEntryId, fields }]);
    await credit([
      { id: crashedEntryId, fields },
      { id: crashedEntryId, fields },
    ]);

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
    const entries = (await fed.redis.xrange(MEMBER_ACTIVITY_STREAM, '-', '+')).map(([id, fields]) => ({
      id,
      fields,
    }));
    const entryOfEvent = (eventId: string) =>
      entries.find((m) => decodeActivityMessage(m.fields).eventId === eventId)!;
    const credit = pointsEarningHandler(fed.federation.benefits.ledger, fed.earningRules);

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
    const firstLife = connection();
    const read = await firstLife.xreadgroup(
      'GROUP',
      POINTS_CONSUMER_GROUP,
      name,
      'COUNT',
      1000,
      'STREAMS',
      MEMBER_ACTIVITY_STREAM,
      '>',
    );
    expect(entryOf(read?.[0]?.[1] ?? [], event.eventId)).toBeDefined();

    // Straight after the restart, before the entry could be claimed by idle time.
    const secondLife = new StreamConsumer({
      redis: connection(),
      stream: MEMBER_ACTIVITY_STREAM,
      group: POINTS_CONSUMER_GROUP,
      consumer: name,
      handle: pointsEarningHandler(fed.federation.benefits.ledger, fed.earningRules),
      claimIdleMs: 3_600_000,
      blockMs: 20,
    });
    consumers.push(secondLife);
    expect(await secondLife.poll()).toBeGreaterThanOrEqual(1);
    await waitForLedgerEntries(fed, PARTNER, [event.eventId]);
    expect(await pendingOf(name)).toEqual([]);
    expect(await ledgerEntriesOf(fed, PARTNER, event.eventId)).toHaveLength(1);
  });

  it('leaves nothing pending in the group at the end', async () => {
    // Whatever is still unacknowledged (from any consumer above) is claimed by idle time and applied.
    const sweeper = pointsConsumer('sweeper');
    await waitFor(
      'the points group to have nothing pending',
      async () => {
        await sweeper.poll();
        const [count] = await fed.redis.xpending(MEMBER_ACTIVITY_STREAM, POINTS_CONSUMER_GROUP);
        return count === 0;
      },
      { intervalMs: CLAIM_IDLE_MS / 2 },
    );
    const unpublished = await brandModelsOf(fed, PARTNER).Event.countDocuments({ published: false });
    expect(unpublished).toBe(0);
  });
});
