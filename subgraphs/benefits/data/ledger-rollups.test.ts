import type { Connection } from 'mongoose';
import { useConformanceDatabase } from '../../../tools/embedded-mongo/conformance/test-fixture.js';
import { SeededRandom } from '../../../tools/seed/seeded-random.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import { monthKeysOf } from '../../shared/domain/analytics-window.js';
import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { LedgerKind } from '../domain/earning-rules.js';
import { penetrationBuckets, pointsAnalytics, retentionCohorts } from '../domain/programme-analytics.js';
import type { LedgerFigures } from './ledger-analytics.js';
import { LedgerAnalytics } from './ledger-analytics.js';
import type { PointsBucketRollup } from './ledger-rollups.js';
import { anonymiseMemberRollups, LedgerRollups } from './ledger-rollups.js';
import { eraseBenefitsData } from './member-erasure.js';
import type { PointsLedgerEntry, PointsLedgerModel } from './points-ledger.js';
import { PointsLedger, pointsLedgerModel } from './points-ledger.js';

/**
 * The ledger's summaries answer exactly as the entries do: over a population with earnings, refunds,
 * redemptions, expiry and adjustments (some at the very first instant of a programme day or month), appended
 * in batches with retries, overlaps, concurrency and a crash between the ledger and the summaries; for
 * windows on month and day bounds and cutting through days; and a replay from the ledger builds the same
 * summaries as the appends did.
 */
const calendar = createProgrammeCalendar('Asia/Shanghai');
const PARTNERS = ['inkwell', 'mindspark', 'pulsefit', 'aurora'];
const KINDS: LedgerKind[] = ['earn', 'earn', 'earn', 'earn', 'reverse', 'redeem', 'expire', 'adjust'];
const DAY_MS = 86_400_000;
const START = Date.parse('2025-09-01T00:00:00Z');
const SPAN_DAYS = 430;

const database = useConformanceDatabase('rollups', { mongoose: true });
let connection: Connection;
let Ledger: PointsLedgerModel;
let rollups: LedgerRollups;

function population(): PointsLedgerEntry[] {
  const random = new SeededRandom(7);
  const entries: PointsLedgerEntry[] = [];
  for (let i = 0; i < 1_600; i++) {
    const kind = KINDS[random.int(0, KINDS.length - 1)];
    const day = random.int(0, SPAN_DAYS);
    // One in ten on the first instant of a programme day, some of those the first of a month.
    const onBound = random.int(0, 9) === 0;
    const occurredAt = onBound
      ? calendar.startOfDay(calendar.localDate(new Date(START + day * DAY_MS)))
      : new Date(START + day * DAY_MS + random.int(0, DAY_MS - 1));
    const magnitude = random.int(1, 500);
    const points = kind === 'earn' ? magnitude : kind === 'adjust' ? magnitude - 250 : -magnitude;
    entries.push({
      _id: `e${String(i).padStart(5, '0')}`,
      memberId: `M${String(random.int(1, 70)).padStart(4, '0')}`,
      kind,
      points,
      partner: PARTNERS[random.int(0, PARTNERS.length - 1)],
      sourceEventId: `ev${i}`,
      occurredAt,
      availableAt: occurredAt,
      recordedAt: occurredAt,
      settlementMonth: calendar.monthKey(occurredAt),
      allocations: [],
      fingerprint: `f${i}`,
    } as unknown as PointsLedgerEntry);
  }
  return entries;
}

const iso = (s: string) => new Date(s);
const WINDOWS: [string, AnalyticsWindow][] = [
  ['twelve UTC months (the console)', { from: iso('2025-11-01T00:00:00Z'), to: iso('2026-11-01T00:00:00Z') }],
  ['programme months', { from: iso('2025-12-31T16:00:00Z'), to: iso('2026-06-30T16:00:00Z') }],
  ['cut through days', { from: iso('2026-02-11T13:00:00Z'), to: iso('2026-08-03T01:00:00Z') }],
  ['cut through hours', { from: iso('2026-02-11T13:27:05.120Z'), to: iso('2026-08-03T01:00:00.001Z') }],
  ['cut through one hour', { from: iso('2026-02-11T13:27:05.120Z'), to: iso('2026-02-11T13:47:00Z') }],
  ['two adjacent months', { from: iso('2026-03-20T09:00:00Z'), to: iso('2026-04-02T03:00:00Z') }],
  ['within one month', { from: iso('2026-05-03T05:00:00Z'), to: iso('2026-05-27T20:00:00Z') }],
  ['within one day', { from: iso('2026-05-03T05:00:00Z'), to: iso('2026-05-03T09:00:00Z') }],
  ['before any entry', { from: iso('2024-01-01T00:00:00Z'), to: iso('2025-06-01T00:00:00Z') }],
  ['past the last entry', { from: iso('2026-07-15T00:00:00Z'), to: iso('2027-03-01T00:00:00Z') }],
];

const monthKeyOf = (at: Date) => calendar.monthKey(at);
const byKey = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

async function chartsOf(figures: LedgerFigures, window: AnalyticsWindow) {
  const months = monthKeysOf(window, monthKeyOf);
  const [penetration, cohorts, points] = await Promise.all([
    figures.penetration(window),
    figures.cohortActivity(window, months[0]),
    figures.pointsByKindAndMonth(window),
  ]);
  return {
    penetration: penetrationBuckets(penetration, PARTNERS.length),
    cohortRows: byKey(cohorts, (r) => `${r.cohort}|${r.month}`),
    retention: retentionCohorts(cohorts, months),
    pointRows: byKey(
      points.filter((r) => r.points !== 0),
      (r) => `${r.kind}|${r.month}`,
    ),
    points: pointsAnalytics(points, months),
  };
}

/**
 * Every summary, documents in `_id` order, their month sets sorted; point buckets summed first, without their
 * versions (how often a bucket was marked depends on how its entries were batched).
 */
async function summaries() {
  await Promise.all([rollups.days({}), rollups.hours({})]);
  const [members, memberPartners, days, hours] = await Promise.all(
    [rollups.Members, rollups.MemberPartners, rollups.Days, rollups.Hours].map((c) =>
      (c as unknown as typeof rollups.Days).find({}).sort({ _id: 1 }).toArray(),
    ),
  );
  const withoutVersion = (docs: PointsBucketRollup[]) => docs.map(({ version: _version, ...d }) => d);
  const sorted = <T extends object>(docs: (T & { months?: string[] })[]) =>
    docs.map((d) => ({ ...d, ...(d.months && { months: [...d.months].sort() }) }));
  return {
    members: sorted(members),
    memberPartners: sorted(memberPartners),
    days: withoutVersion(days),
    hours: withoutVersion(hours),
  };
}

/** Each day's and hour's sum of points per kind, from the entries themselves. */
function expectedSums(list: readonly PointsLedgerEntry[]) {
  const days: Record<string, number> = {};
  const hours: Record<string, number> = {};
  for (const e of list) {
    const day = rollups.day(e.occurredAt);
    const hour = LedgerRollups.hourOf(day, e.occurredAt);
    days[`${day.key}|${e.kind}`] = (days[`${day.key}|${e.kind}`] ?? 0) + e.points;
    hours[`${day.key}|${hour.index}|${e.kind}`] =
      (hours[`${day.key}|${hour.index}|${e.kind}`] ?? 0) + e.points;
  }
  return { days, hours };
}

const sumsOf = (buckets: { _id: string; points?: number }[]) =>
  Object.fromEntries(buckets.map((b) => [b._id, b.points]));

describe('ledger rollups', () => {
  const entries = population();
  let analytics: LedgerAnalytics;

  beforeAll(async () => {
    connection = database.connection;
    Ledger = pointsLedgerModel(connection);
    await Ledger.init();
    rollups = new LedgerRollups(connection, calendar);
    await rollups.init();
    await rollups.ensureBuilt(Ledger); // a new ledger: built at once
    analytics = new LedgerAnalytics(Ledger, rollups, calendar);

    let crashes = 1;
    const ledger = new PointsLedger(Ledger, async (batch) => {
      if (batch.length > 3 && crashes-- > 0) throw new Error('simulated crash after the ledger insert');
      await rollups.apply(batch);
    });
    const random = new SeededRandom(11);
    const batches: PointsLedgerEntry[][] = [];
    for (let i = 0; i < entries.length;) {
      const size = random.int(1, 12);
      batches.push(entries.slice(i, i + size));
      i += size;
    }
    for (let b = 0; b < batches.length; b += 4) {
      // Four batches at once, one of them overlapping the next (an entry appended twice concurrently).
      const group = batches.slice(b, b + 4);
      const overlap = group[1] ? [...group[0], group[1][0]] : group[0];
      await Promise.all(
        [overlap, ...group.slice(1)].map((batch) =>
          ledger.appendMany(batch).catch(async () => {
            await ledger.appendMany(batch); // the wallet appends a batch again after a crash
          }),
        ),
      );
      if (b % 20 === 0) await ledger.appendMany(group[0]); // a retry of a batch already stored
    }
    expect(await Ledger.countDocuments()).toBe(entries.length);
  });

  it.each(WINDOWS)('answers as the ledger entries for %s', async (_name, window) => {
    const [fromRollups, fromEntries] = await Promise.all([
      chartsOf(analytics, window),
      chartsOf(analytics.entries, window),
    ]);
    expect(fromRollups).toEqual(fromEntries);
  });

  it('has figures to compare in the console window', async () => {
    const charts = await chartsOf(analytics, WINDOWS[0][1]);
    expect(charts.penetration.filter((b) => b.members > 0).length).toBeGreaterThan(2);
    expect(charts.retention.some((c) => c.retained.slice(1).some((n) => n > 0))).toBe(true);
    for (const figure of ['issued', 'reversed', 'redeemed', 'expired'] as const) {
      expect(charts.points[figure]).toBeGreaterThan(0);
    }
    expect(charts.points.outstanding).toBe(
      entries.filter((e) => e.occurredAt < WINDOWS[0][1].to).reduce((s, e) => s + e.points, 0),
    );
  });

  it('builds the same summaries by replaying the ledger as the appends kept', async () => {
    const incremental = await summaries();
    const expected = expectedSums(entries);
    expect(sumsOf(incremental.days)).toEqual(expected.days);
    expect(sumsOf(incremental.hours)).toEqual(expected.hours);
    expect(incremental.members.length).toBeGreaterThan(50);
    await rollups.clear();
    expect(await rollups.isBuilt()).toBe(false);
    expect(await rollups.rebuild(Ledger)).toBe(entries.length);
    expect(await rollups.isBuilt()).toBe(true);
    expect(await summaries()).toEqual(incremental);
    // A second replay (e.g. beside live appends) changes nothing.
    await rollups.rebuild(Ledger);
    expect(await summaries()).toEqual(incremental);
  });

  it('reads the entries until the summaries are built', async () => {
    await rollups.clear();
    const window = WINDOWS[0][1];
    const fromEntries = await chartsOf(analytics.entries, window);
    expect(await chartsOf(analytics, window)).toEqual(fromEntries);
    await rollups.ensureBuilt(Ledger);
    expect(await chartsOf(analytics, window)).toEqual(fromEntries);
  });

  it('moves an erased member’s summaries to the pseudonym of their ledger entries, once', async () => {
    await rollups.ensureBuilt(Ledger);
    const window = WINDOWS[0][1];
    const before = await chartsOf(analytics, window);
    const erased = 'M0007';
    const summariesOf = async (memberId: string) => [
      ...(await rollups.Members.find({ _id: memberId }).toArray()),
      ...(await rollups.MemberPartners.find({ memberId }).toArray()),
    ];
    const held = (await summariesOf(erased)).length;
    expect(held).toBeGreaterThan(1);

    const first = await eraseBenefitsData(connection, erased, new Date());
    const moved = (collection: string, receipt: typeof first) =>
      receipt.counts.find((c) => c.collection === collection)!.anonymised;
    expect(moved('ledger_members', first) + moved('ledger_member_partners', first)).toBe(held);
    expect(await summariesOf(erased)).toEqual([]);
    const pseudonym = (await Ledger.findOne({
      _id: { $in: entries.filter((e) => e.memberId === erased).map((e) => e._id) },
    }))!.memberId;
    expect(pseudonym).toMatch(/^erased-/);
    expect((await summariesOf(pseudonym)).length).toBe(held);
    // The figures are unchanged, and the same as the anonymised ledger's and a replay of it.
    expect(await chartsOf(analytics, window)).toEqual(before);
    expect(await chartsOf(analytics.entries, window)).toEqual(before);
    const kept = await summaries();
    await rollups.clear();
    await rollups.rebuild(Ledger);
    expect(await summaries()).toEqual(kept);

    const again = await eraseBenefitsData(connection, erased, new Date());
    expect(moved('ledger_members', again) + moved('ledger_member_partners', again)).toBe(0);
    expect(await summaries()).toEqual(kept);
  });

  it('finishes a move a crash cut short under the pseudonym it recorded, counting the member once', async () => {
    const member = 'M0011';
    const partners = await rollups.MemberPartners.countDocuments({ memberId: member });
    expect(partners).toBeGreaterThan(0);
    // The first attempt recorded its pseudonym and moved one partner summary, then stopped.
    await rollups.Members.updateOne({ _id: member }, { $set: { anonymisedAs: 'erased-first' } as never });
    const one = (await rollups.MemberPartners.findOne({ memberId: member }))!;
    await rollups.MemberPartners.insertOne({
      ...one,
      _id: `erased-first|${one.partner}`,
      memberId: 'erased-first',
    });
    const membersBefore = await rollups.Members.countDocuments();

    await anonymiseMemberRollups(connection, member, 'erased-second');
    expect(await rollups.Members.countDocuments()).toBe(membersBefore);
    expect(await rollups.Members.countDocuments({ _id: { $in: [member, 'erased-second'] } })).toBe(0);
    expect(await rollups.Members.findOne({ _id: 'erased-first' })).not.toHaveProperty('anonymisedAs');
    expect(await rollups.MemberPartners.countDocuments({ memberId: 'erased-first' })).toBe(partners);
    expect(
      await rollups.MemberPartners.countDocuments({ memberId: { $in: [member, 'erased-second'] } }),
    ).toBe(0);
  });

  it('keeps a busy hour one small document, and never stores a sum over a later append', async () => {
    // Entries past every window above, all in one programme hour, appended in batches while readers sum it.
    const at = Date.parse('2027-06-01T02:00:00Z');
    const busy = Array.from({ length: 600 }, (_, i) => ({
      ...entries[0],
      _id: `busy${String(i).padStart(4, '0')}`,
      kind: 'earn' as const,
      points: (i % 7) + 1,
      occurredAt: new Date(at + i * 1_000),
    }));
    const ledger = new PointsLedger(Ledger, (batch) => rollups.apply(batch));
    const day = rollups.day(busy[0].occurredAt);
    const reads: Promise<unknown>[] = [];
    for (let i = 0; i < busy.length; i += 20) {
      reads.push(rollups.hours({ day: day.key }), rollups.days({ day: day.key }));
      await Promise.all([ledger.appendMany(busy.slice(i, i + 20)), rollups.hours({ day: day.key })]);
    }
    await Promise.all(reads);
    const expected = expectedSums(busy);
    expect(sumsOf(await rollups.hours({ day: day.key }))).toEqual(expected.hours);
    expect(sumsOf(await rollups.days({ day: day.key }))).toEqual(expected.days);
    // What is stored is the sum itself (no reader stored one an append had already made stale) …
    expect(sumsOf(await rollups.Hours.find({ day: day.key }).toArray())).toEqual(expected.hours);
    // … in a document that does not grow with its entries.
    const [hour] = await rollups.Hours.find({ day: day.key }).toArray();
    expect(Object.keys(hour).sort()).toEqual([
      '_id',
      'day',
      'end',
      'kind',
      'month',
      'points',
      'start',
      'version',
    ]);
    // An append after the last sum leaves the bucket stale until it is read.
    await ledger.appendMany([{ ...busy[0], _id: 'busy-late', points: 1_000 }]);
    expect((await rollups.Hours.findOne({ _id: hour._id }))!.points).toBeUndefined();
    // A reader that summed the ledger before another append landed does not store its (now short) sum.
    const internals = rollups as unknown as { storeSums: (...args: unknown[]) => Promise<void> };
    const storeSums = internals.storeSums.bind(rollups);
    let appendMeanwhile: (() => Promise<unknown>) | undefined = () =>
      ledger.appendMany([{ ...busy[0], _id: 'busy-later', points: 10_000 }]);
    const spy = jest.spyOn(internals, 'storeSums').mockImplementation(async (...args) => {
      const append = appendMeanwhile;
      appendMeanwhile = undefined;
      await append?.();
      return storeSums(...args);
    });
    try {
      expect((await rollups.hours({ _id: hour._id }))[0].points).toBe(expected.hours[hour._id] + 1_000);
    } finally {
      spy.mockRestore();
    }
    expect((await rollups.Hours.findOne({ _id: hour._id }))!.points).toBeUndefined();
    expect((await rollups.hours({ _id: hour._id }))[0].points).toBe(expected.hours[hour._id] + 11_000);
  });
});
