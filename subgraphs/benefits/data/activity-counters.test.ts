import { useConformanceDatabase } from '../../../tools/embedded-mongo/conformance/test-fixture.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { ActivityCounters } from './activity-counters.js';

/**
 * Counting a batch of events in one write gives the counts counting them one by one gives: each event once,
 * whatever was counted before, repeated in the batch, or counted by another consumer at the same time.
 */
const calendar = createProgrammeCalendar('Asia/Shanghai');
const NOW = new Date('2026-11-20T04:00:00Z');
const database = useConformanceDatabase('activity-counters', { mongoose: true });

const event = (
  i: number,
  memberId: string,
  hoursAgo: number,
  type: MemberActivityMessage['type'] = 'purchase',
) =>
  ({
    partner: i % 3 === 0 ? 'inkwell' : 'pulsefit',
    eventId: `e${i}`,
    type,
    brandMemberId: `b-${memberId}`,
    memberId,
    occurredAt: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString(),
  }) as MemberActivityMessage;

/** A population over three members and three days, with types the counters skip and a member-less event. */
function population(): MemberActivityMessage[] {
  const types: MemberActivityMessage['type'][] = [
    'purchase',
    'login',
    'interaction',
    'browse',
    'refund',
    'subscription',
  ];
  const list = Array.from({ length: 90 }, (_, i) =>
    event(i, `M${i % 3}`, (i * 7) % 60, types[i % types.length]),
  );
  list.push({ ...event(90, 'M0', 1), memberId: null });
  list.push(event(91, 'M1', 24 * 60)); // beyond the horizon
  return list;
}

describe('activity counters', () => {
  let oneByOne: ActivityCounters;
  let batched: ActivityCounters;

  beforeAll(async () => {
    const [a, b] = await Promise.all(
      ['ActivityDayOne', 'ActivityDayBatch'].map(async (name, i) => {
        const model = database.connection.model(
          name,
          ActivityCounters.model(database.connection).schema.clone(),
          `member_activity_days_${i}`,
        );
        await model.init();
        return new ActivityCounters(model as never, calendar, () => NOW);
      }),
    );
    oneByOne = a;
    batched = b;
  });

  const periodsOf = (counters: ActivityCounters) =>
    Promise.all(['M0', 'M1', 'M2'].map((memberId) => counters.periods(memberId, NOW)));

  it('counts a batch as it counts each event, once, however it is redelivered or shared', async () => {
    const events = population();
    for (const e of events) await oneByOne.record(e);
    // The first batches; then a redelivery overlapping what was counted, a batch repeating an event, and two
    // consumers counting overlapping batches at once.
    await batched.recordMany(events.slice(0, 30));
    await batched.recordMany(events.slice(20, 50));
    await batched.recordMany([...events.slice(50, 60), events[55], events[50]]);
    await Promise.all([batched.recordMany(events.slice(60, 85)), batched.recordMany(events.slice(70, 92))]);
    await batched.recordMany(events);
    const expected = await periodsOf(oneByOne);
    expect(await periodsOf(batched)).toEqual(expected);
    expect(JSON.stringify(expected)).toMatch(/purchase/);
  });
});
