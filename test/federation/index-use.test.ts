import type { Document } from 'mongodb';
import { UNPUBLISHED_EVENTS } from '../../subgraphs/brand/data/brand-models.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import type { Db } from './store-profiler.js';
import { profiledCommands } from './store-profiler.js';
import {
  daysAgo,
  interactionEvent,
  jsonBody,
  brandModelsOf,
  linkedAccount,
  localCategory,
  pointsLedger,
  newBrandAccount,
  purchaseEvent,
  refundEvent,
  waitFor,
} from '../events/event-fixtures.js';
import { dataOf } from './graphql-responses.js';
import {
  addLocalMonths,
  createProgrammeCalendar,
  formatMonthKey,
  parseMonthKey,
} from '../../subgraphs/shared/domain/programme-calendar.js';

/**
 * Collections that grow with members or events: a query on them must never scan the whole collection.
 * (Campaigns are written by operators, a few a month.)
 */
const GROWING = new Set([
  'accounts',
  'orders',
  'events',
  'referrals',
  'members',
  'points_ledger',
  'campaign_participants',
  'benefit_feedback',
  'settlement_statements',
]);
/** What erasure, export and the access log also read and write by member (docs/architecture.md §7). */
const PRIVACY = new Set([
  ...GROWING,
  'accessLog',
  'lifecycleOutbox',
  'linkCodes',
  'accountHolders',
  'erasureJobs',
  'wallets',
  'redemptions',
  'member_activity_days',
  'campaign_participants',
]);

const MEMBER = 'M000001';
const DASHBOARD = `{ me { id mindspark { brandMemberId } inkwell { brandMemberId } profile { compositeScore tier { code } }
  benefits { items { benefit { id } } } wallet { balance pending history(first: 5) { edges { node { id } } } } } }`;

/**
 * Every query the product makes is served by an index (docs/architecture.md §5). The store's profiler
 * (`profile: 2`, as `db.setProfilingLevel(2)` on a real server) records the plan of every query the
 * services send while the dashboard, the staff lookups, the admin list, the ingest path, the outbox relay,
 * the recovery sweep and the wallet run; the test fails on any collection scan of a growing collection.
 */
describe('index use of every product query', () => {
  let fed: TestFederation;
  let databases: Db[];

  beforeAll(async () => {
    fed = await startTestFederation({ members: 120 });
    const handles = [fed.dbs.profile, fed.dbs.benefits, ...fed.dbs.brands.values()];
    databases = handles.map((handle) => handle.connection.db!);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const profiled = (run: () => Promise<void>): Promise<Document[]> => profiledCommands(databases, run);

  const collectionOf = (entry: Document) => String(entry.ns).split('.').slice(1).join('.');
  const scansOfGrowing = (entries: Document[], watched: ReadonlySet<string> = GROWING) =>
    entries
      .filter((e) => e.planSummary === 'COLLSCAN' && watched.has(collectionOf(e)))
      .map((e) => ({ ns: e.ns, op: e.op, command: e.command }));

  async function ok(query: string, token: string): Promise<Record<string, unknown>> {
    const { status, body } = await fed.query(query, { token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return dataOf<Record<string, unknown>>(body);
  }

  it('reads through indexes for the dashboard, the staff lookups and the admin list', async () => {
    const entries = await profiled(async () => {
      for (const memberId of [MEMBER, 'M000002', 'M000003']) {
        await ok(DASHBOARD, await fed.token({ role: 'member', memberId }));
      }
      const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
      const member = (await ok(`{ member(id: "${MEMBER}") { partners { partner partnerMemberId } } }`, admin))
        .member as { partners: { partner: string; partnerMemberId: string }[] };
      const inkwell = member.partners.find((p) => p.partner === 'inkwell')!;
      const staff = await fed.token({ role: 'partner_staff', partner: 'inkwell' });
      await ok(
        `{ memberByPartnerAccount(partner: "inkwell", partnerMemberId: "${inkwell.partnerMemberId}") { id inkwell { brandMemberId } } }`,
        staff,
      );
      await ok(
        `{ member(id: "${MEMBER}") { id inkwell { brandMemberId } profile { tier { code } } } }`,
        staff,
      );
      const first = (await ok('{ members(first: 20) { totalCount pageInfo { endCursor } } }', admin))
        .members as { pageInfo: { endCursor: string } };
      await ok(
        `{ members(first: 20, after: "${first.pageInfo.endCursor}") { edges { node { id inkwell { brandMemberId } } } } }`,
        admin,
      );
    });
    const touched = new Set(entries.filter((e) => e.planSummary).map(collectionOf));
    for (const collection of ['members', 'accounts', 'points_ledger']) expect(touched).toContain(collection);
    expect(scansOfGrowing(entries)).toEqual([]);
  });

  it('reads through indexes on the ingest path, in the outbox relay, the recovery sweep and the wallet', async () => {
    const partner = 'mindspark';
    const account = await linkedAccount(fed, partner, { skip: 3 });
    const token = await fed.token({ role: 'member', memberId: account.memberId });
    const walletQuery = '{ me { wallet { lifetimeEarned history(first: 50) { edges { node { id } } } } } }';
    const earnedBefore = ((await ok(walletQuery, token)).me as { wallet: { lifetimeEarned: number } }).wallet
      .lifetimeEarned;
    const brand = fed.federation.brands.get(partner)!;
    const entries = await profiled(async () => {
      const purchase = purchaseEvent(account.brandMemberId, {
        amountMinor: 12_300,
        category: localCategory(fed, partner),
        occurredAt: daysAgo(10),
      });
      const events = [purchase, interactionEvent(account.brandMemberId)];
      const response = await fed.ingest(partner, jsonBody(events));
      expect(response.status).toBe(200);
      // The same events again: the repeat path reads what is stored.
      expect((await fed.ingest(partner, jsonBody(events))).body.summary?.duplicate).toBe(2);
      await brand.relay.publishPending();
      await brand.recovery.recover(0);
      // How the benches and tests count the events still to publish (`waitForEventBacklog`).
      await brandModelsOf(fed, partner).Event.countDocuments(UNPUBLISHED_EVENTS);
      await waitFor('the purchase to reach the wallet', async () => {
        const wallet = (await ok(walletQuery, token)).me as { wallet: { lifetimeEarned: number } };
        return wallet.wallet.lifetimeEarned > earnedBefore;
      });
    });
    const touched = new Set(entries.filter((e) => e.planSummary).map(collectionOf));
    for (const collection of ['accounts', 'events', 'orders', 'points_ledger'])
      expect(touched).toContain(collection);
    // The relay, the recovery sweep and the backlog count read the partial index of unpublished events (it
    // holds none of the published ones), and the purchase's reference lookup the partial index of entries
    // with an order.
    const plans = (collection: string, field: string) =>
      entries
        .filter((e) => collectionOf(e) === collection && JSON.stringify(e.command).includes(field))
        .map((e) => String(e.planSummary));
    expect(new Set(plans('events', '"published":false'))).toEqual(
      new Set(['IXSCAN { state: 1, receivedAt: 1 }']),
    );
    expect(plans('points_ledger', '"orderRef":{"$in"')).toContain('IXSCAN { memberId: 1, orderRef: 1 }');
    expect(scansOfGrowing(entries)).toEqual([]);
  });

  it('reads through indexes for campaigns (earning, refunds, the paged list) and benefit feedback', async () => {
    const partner = 'pulsefit';
    const account = await linkedAccount(fed, partner, { skip: 5 });
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const member = await fed.token({ role: 'member', memberId: account.memberId });
    const entries = await profiled(async () => {
      const created = (await ok(
        `mutation { createCampaign(input: { name: "Index week", partner: "${partner}",
          startsAt: "${daysAgo(30)}", endsAt: "${new Date(Date.now() + 86_400_000).toISOString()}",
          activities: [PURCHASE], pointsMultiplier: 2 }) { id } }`,
        admin,
      )) as { createCampaign: { id: string } };
      const campaignId = created.createCampaign.id;
      const purchase = purchaseEvent(account.brandMemberId, {
        amountMinor: 8_000,
        category: localCategory(fed, partner),
        occurredAt: daysAgo(3),
      });
      await fed.ingest(partner, jsonBody([purchase, refundEvent(purchase, 8_000, daysAgo(2))]));
      await waitFor('the campaign’s reversal of the refund', async () =>
        // By member, as the wallet history reads it (this wait is profiled too).
        pointsLedger(fed).findOne({ memberId: account.memberId, campaignId, kind: 'reverse' }),
      );
      const page = (await ok(
        `{ campaigns(partner: "${partner}", first: 1) { pageInfo { endCursor } } }`,
        admin,
      )) as { campaigns: { pageInfo: { endCursor: string } } };
      await ok(
        `{ campaigns(status: ACTIVE, partner: "${partner}", first: 5, after: "${page.campaigns.pageInfo.endCursor}") { totalCount } }`,
        admin,
      );
      await ok('{ campaigns(status: ACTIVE, first: 5) { totalCount } }', admin);
      await ok(
        `mutation { recordBenefitFeedback(benefitId: "PF-DAY-PASS", action: REDEEMED, rating: 4) { rating } }`,
        member,
      );
      await ok('{ me { benefits { items { reason } } campaigns { reason } } }', member);
      await ok('{ benefitSatisfaction { partners { partner } } }', admin);
    });
    const touched = new Set(entries.filter((e) => e.planSummary).map(collectionOf));
    for (const collection of ['campaign_participants', 'benefit_feedback'])
      expect(touched).toContain(collection);
    expect(scansOfGrowing(entries)).toEqual([]);
  });

  it('reads through indexes at a partner checkout and for settlement statements, liability and a close', async () => {
    const checkout = await fed.token({ role: 'partner_service', partner: 'inkwell' });
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const month = createProgrammeCalendar(fed.registry.programmeTimeZone).monthKey(new Date());
    const previous = formatMonthKey(addLocalMonths(parseMonthKey(month), -1));
    const entries = await profiled(async () => {
      await ok(
        `{ quotePointsPayment(memberRef: "${MEMBER}", orderAmountMinor: 10000) { maxPoints } }`,
        checkout,
      );
      await ok(
        `mutation { payWithPoints(input: { memberRef: "${MEMBER}", orderId: "idx-1", orderAmountMinor: 10000, points: 100, idempotencyKey: "idx-1" }) { points } }`,
        checkout,
      );
      await ok(`{ partnerSettlement(partner: "inkwell", month: "${month}") { pointsRedeemed csv } }`, admin);
      await ok(`{ outstandingPointsLiability { totalPoints } }`, admin);
      await ok(`mutation { closeSettlementMonth(month: "${previous}") { statements { partner } } }`, admin);
      await ok(`{ partnerSettlement(partner: "inkwell", month: "${previous}") { status } }`, admin);
    });
    const touched = new Set(entries.filter((e) => e.planSummary).map(collectionOf));
    for (const collection of ['members', 'points_ledger', 'wallets', 'settlement_statements'])
      expect(touched).toContain(collection);
    expect(scansOfGrowing(entries)).toEqual([]);
  });

  it('reads and writes through indexes when linking, reading the access log, exporting, erasing and purging', async () => {
    const partner = 'starlight';
    const brandMemberId = await newBrandAccount(fed, partner);
    const service = await fed.token({ role: 'partner_service', partner });
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const subject = await linkedAccount(fed, 'mindspark', { skip: 5 });
    const entries = await profiled(async () => {
      const enrolled = (await ok(
        `mutation { enrol(partner: "${partner}", partnerMemberId: "${brandMemberId}", displayName: "Ada") { member { id } } }`,
        service,
      )) as { enrol: { member: { id: string } } };
      const memberId = enrolled.enrol.member.id;
      await waitFor('the link to reach the brand', async () =>
        (await brandModelsOf(fed, partner).Account.findById(brandMemberId).lean())?.memberId === memberId
          ? true
          : null,
      );
      await ok(`{ member(id: "${subject.memberId}") { id } }`, admin);
      const own = await fed.token({ role: 'member', memberId: subject.memberId });
      await ok('{ me { accessLog(first: 5) { entries { requestId } } dataExport } }', own);
      await ok(`mutation { eraseMember(memberId: "${subject.memberId}") { id } }`, admin);
      await waitFor('the erasure to complete', async () => {
        const job = (await ok(`{ erasureJob(memberId: "${subject.memberId}") { state } }`, admin)) as {
          erasureJob: { state: string };
        };
        return job.erasureJob.state === 'COMPLETE' ? true : null;
      });
      await fed.federation.brands.get(partner)!.purgeExpiredEvents();
    });
    const touched = new Set(entries.filter((e) => e.planSummary).map(collectionOf));
    for (const collection of ['accounts', 'events', 'orders', 'points_ledger', 'accessLog', 'members'])
      expect(touched).toContain(collection);
    // The retention sweep (the run's last delete of events) deletes by age through the `receivedAt` index.
    const eventDeletes = entries.filter((e) => collectionOf(e) === 'events' && e.op === 'remove');
    expect(eventDeletes.at(-1)?.planSummary).toBe('IXSCAN { receivedAt: 1 }');
    expect(scansOfGrowing(entries, PRIVACY)).toEqual([]);
  });

  it('reads ranges through indexes: the expiry sweep, hourly point sums, reconciliation and analytics', async () => {
    const admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    const to = new Date(Date.now() + 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const entries = await profiled(async () => {
      await ok('mutation { sweepExpiredPoints { wallets points } }', admin);
      await fed.federation.benefits.reconciler!.run({ dryRun: true });
      await ok(
        `{ programmeAnalytics(from: "${from.toISOString()}", to: "${to.toISOString()}") { points { issued monthly { month issued } } } }`,
        admin,
      );
    });
    const ranged = entries.filter((e) => e.planSummary && JSON.stringify(e.command).includes('"$l'));
    // The wallets' next expiry, the ledger's hours and the brands' published events, each by its index.
    const summaries = new Set(ranged.map((e) => `${collectionOf(e)} ${String(e.planSummary)}`));
    expect(summaries).toContain('wallets IXSCAN { nextExpiryAt: 1 }');
    expect(summaries).toContain('events IXSCAN { publishedAt: 1, _id: 1 }');
    expect(summaries).toContain('points_ledger IXSCAN { occurredAt: 1, kind: 1 }');
    expect(scansOfGrowing(entries, new Set([...GROWING, 'wallets']))).toEqual([]);
  });
});
