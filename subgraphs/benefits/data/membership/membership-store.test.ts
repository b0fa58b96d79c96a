import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { startTestMongo, uniqueDbName } from '../../../../tools/embedded-mongo/conformance/test-fixture.js';
import type { TestMongo } from '../../../../tools/embedded-mongo/conformance/test-fixture.js';
import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { decideSubscription } from '../../domain/membership/membership-lifecycle.js';
import { planPriceFor } from '../../domain/membership/membership-plan.js';
import { yearlyPlan } from '../../domain/membership/plan-fixtures.js';
import { eraseBenefitsData } from '../member-erasure.js';
import { MembershipStore } from './membership-store.js';

let mongo: TestMongo;
let connection: Connection;
let store: MembershipStore;
const changed: string[] = [];
const plan = yearlyPlan();
const plans = new Map([[plan.id, plan]]);
const calendar = createProgrammeCalendar('Asia/Shanghai');
const paidAt = new Date('2026-12-01T02:00:00Z');

beforeAll(async () => {
  mongo = await startTestMongo();
  connection = await mongoose.createConnection(mongo.uri, { dbName: uniqueDbName('membership') }).asPromise();
  store = await MembershipStore.open(connection, async (memberId) => {
    changed.push(memberId);
  });
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
  await mongo.stop();
});

const pay = (memberId: string, key: string) =>
  store.change(memberId, (state) =>
    decideSubscription(
      state,
      {
        key,
        partner: 'mindspark',
        action: 'pay',
        planId: plan.id,
        amountMinor: 29_900,
        periodStart: paidAt,
        occurredAt: paidAt,
      },
      { plans, price: planPriceFor(plan, 10), compositeScore: 10, calendar },
    ),
  );

describe('MembershipStore', () => {
  it('records a change once, whatever the number of concurrent deliveries, and says who changed', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => pay('M1', 'mindspark:s1')));
    expect(outcomes.filter((o) => o.entry !== null)).toHaveLength(1);
    const state = await store.get('M1');
    expect(state.history.map((h) => h.key)).toEqual(['mindspark:s1']);
    expect(state.periods[0]).toMatchObject({ paidAt, amountMinor: 29_900, compositeScore: 10 });
    expect(changed).toEqual(['M1']);
  });

  it('finds memberships by the periods paid in, or ending after, a time', async () => {
    expect(
      (await store.withPeriodsPaidBetween(paidAt, new Date(paidAt.getTime() + 1))).map((s) => s.memberId),
    ).toEqual(['M1']);
    expect(
      await store.withPeriodsPaidBetween(new Date(paidAt.getTime() + 1), new Date('2027-01-01')),
    ).toEqual([]);
    expect((await store.withPeriodsEndingSince(new Date('2027-11-30'))).map((s) => s.memberId)).toEqual([
      'M1',
    ]);
    expect(await store.withPeriodsEndingSince(new Date('2027-12-02'))).toEqual([]);
  });

  it('moves an erased member’s membership to a pseudonym, once, keeping its fees', async () => {
    await pay('M2', 'mindspark:s2');
    const first = await eraseBenefitsData(connection, 'M2', new Date());
    const again = await eraseBenefitsData(connection, 'M2', new Date());
    expect(first.counts.find((c) => c.collection === 'memberships')).toMatchObject({ anonymised: 1 });
    expect(again.counts.find((c) => c.collection === 'memberships')).toMatchObject({ anonymised: 0 });
    expect((await store.get('M2')).version).toBe(0);
    const kept = await store.withPeriodsPaidBetween(paidAt, new Date(paidAt.getTime() + 1));
    expect(kept).toHaveLength(2);
    expect(kept.find((s) => s.memberId !== 'M1')!.memberId).toMatch(/^erased-/);
  });
});
