import type { Connection } from 'mongoose';
import { createBrandSubgraph } from '../../subgraphs/brand/server.js';
import { startSubgraph } from '../../subgraphs/shared/http/subgraph-service.js';
import type { RunningHttpServer } from '../../subgraphs/shared/http/apollo-http-server.js';
import type { MemberDocument } from '../../subgraphs/profile/data/member-model.js';
import { memberModel } from '../../subgraphs/profile/data/member-model.js';
import { backfillLinks } from '../../subgraphs/profile/data/link-backfill.js';
import { LifecycleOutbox, lifecycleOutboxModel } from '../../subgraphs/profile/data/lifecycle-outbox.js';
import {
  MemberLifecycleStore,
  accountHolderModel,
  linkCodeModel,
} from '../../subgraphs/profile/data/member-lifecycle-store.js';
import { profileCacheKey } from '../../subgraphs/profile/data/profile-cache.js';
import type { TestFederation } from '../federation-harness.js';
import { TEST_AUTH, startTestFederation, testPartnerSecret } from '../federation-harness.js';
import {
  brandModelsOf,
  daysAgo,
  jsonBody,
  newBrandAccount,
  localCategory,
  purchaseEvent,
  waitFor,
} from '../events/event-fixtures.js';
import { dataOf, errorCodes } from './graphql-responses.js';

interface ErasureJob {
  id: string;
  state: 'PENDING' | 'COMPLETE';
  stores: string[];
  pendingStores: string[];
  completedAt: string | null;
  receipts: {
    store: string;
    at: string;
    counts: { collection: string; deleted: number; anonymised: number }[];
  }[];
}

const ERASURE_FIELDS = `id state stores pendingStores completedAt
  receipts { store at counts { collection deleted anonymised } }`;

interface AccessLogPage {
  entries: { at: string; role: string; partner: string | null; fields: string[]; requestId: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const ACCESS_FIELDS = 'entries { at role partner fields requestId } pageInfo { hasNextPage endCursor }';

/** Every document of every collection of a database whose JSON names one of `needles` (as a whole string). */
async function documentsNaming(connection: Connection, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const collections = await connection.db!.listCollections().toArray();
  for (const { name } of collections) {
    if (name.startsWith('system.')) continue;
    for (const doc of await connection.db!.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      const hit = needles.find((n) => text.includes(`"${n}"`));
      if (hit) found.push(`${connection.name}.${name}: ${hit} ${text.slice(0, 600)}`);
    }
  }
  return found;
}

/** Member lifecycle and privacy through the gateway (README "Privacy"; docs/architecture.md §7). */
describe('privacy: links reach the brands, access log, export, erasure, retention', () => {
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 40, erasureRetryMs: 1_000 });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const service = (partner: string) => fed.token({ role: 'partner_service', partner });
  const memberToken = (memberId: string) => fed.token({ role: 'member', memberId });
  const admin = () => fed.token({ role: 'admin' });

  async function enrol(partner: string, account: string): Promise<string> {
    const { body } = await fed.query(
      `mutation { enrol(partner: "${partner}", partnerMemberId: "${account}", displayName: "Ada Chen") { member { id } } }`,
      { token: await service(partner) },
    );
    expect(body.errors).toBeUndefined();
    return dataOf<{ enrol: { member: { id: string } } }>(body).enrol.member.id;
  }

  async function linkAccount(memberId: string, partner: string, account: string): Promise<void> {
    const issued = await fed.query(
      `mutation { issueLinkCode(partner: "${partner}", partnerMemberId: "${account}") { code } }`,
      { token: await service(partner) },
    );
    const { code } = dataOf<{ issueLinkCode: { code: string } }>(issued.body).issueLinkCode;
    const { body } = await fed.query(
      `mutation { linkAccount(partner: "${partner}", code: "${code}") { id } }`,
      {
        token: await memberToken(memberId),
      },
    );
    expect(body.errors).toBeUndefined();
  }

  const accountMember = async (partner: string, account: string) =>
    (await brandModelsOf(fed, partner).Account.findById(account, { memberId: 1 }).lean())?.memberId ?? null;

  const ledger = () => fed.dbs.benefits.connection.collection<{ memberId: string }>('points_ledger');

  it('a link reaches the brand: new events at the linked account earn joint points; an unlink stops that', async () => {
    const home = await newBrandAccount(fed, 'starlight');
    const member = await enrol('starlight', home);
    // Enrolment is a link too: the brand's account names the member.
    await waitFor('the enrolled account to name the member', async () =>
      (await accountMember('starlight', home)) === member ? true : null,
    );
    const account = await newBrandAccount(fed, 'inkwell');
    await linkAccount(member, 'inkwell', account);
    await waitFor('the linked account to name the member', async () =>
      (await accountMember('inkwell', account)) === member ? true : null,
    );

    const purchase = purchaseEvent(account, {
      amountMinor: 12_300,
      category: localCategory(fed, 'inkwell'),
      occurredAt: daysAgo(10),
    });
    expect((await fed.ingest('inkwell', jsonBody([purchase]))).body.summary?.accepted).toBe(1);
    const earned = await waitFor('joint points for the purchase', () =>
      ledger().findOne({ memberId: member, sourceEventId: purchase.eventId }),
    );
    expect(earned.memberId).toBe(member);

    const { body } = await fed.query('mutation { unlinkAccount(partner: "inkwell") { id } }', {
      token: await memberToken(member),
    });
    expect(body.errors).toBeUndefined();
    await waitFor('the unlinked account to name no one', async () =>
      (await accountMember('inkwell', account)) === null ? true : null,
    );
    const after = purchaseEvent(account, {
      amountMinor: 4_500,
      category: localCategory(fed, 'inkwell'),
      occurredAt: daysAgo(9),
    });
    expect((await fed.ingest('inkwell', jsonBody([after]))).body.summary?.accepted).toBe(1);
    // The brand records the event without a member: it earns no joint points.
    const stored = await brandModelsOf(fed, 'inkwell').Event.findById(after.eventId).lean();
    expect(stored?.memberId).toBeNull();
  });

  it('backfills holders and brand accounts for links made before either existed (npm run migrate:links)', async () => {
    const connection = fed.dbs.profile.connection;
    const subject = (await connection
      .collection<MemberDocument>('members')
      .findOne({ 'links.partner': 'pulsefit' }))!;
    const account = subject.links.find((l) => l.partner === 'pulsefit')!.partnerMemberId;
    // As before links reached the brands: the brand's account names no one, and no holder is recorded.
    await brandModelsOf(fed, 'pulsefit').Account.updateOne({ _id: account }, { $set: { memberId: null } });
    await connection.collection<{ _id: string }>('accountHolders').deleteOne({ _id: `pulsefit:${account}` });
    const outboxModel = lifecycleOutboxModel(connection);
    const lifecycle = new MemberLifecycleStore(
      memberModel(connection),
      linkCodeModel(connection),
      accountHolderModel(connection),
      new LifecycleOutbox(outboxModel, fed.lifecycleStream),
    );
    const first = await backfillLinks(memberModel(connection), lifecycle);
    expect(first.links).toBeGreaterThanOrEqual(subject.links.length);
    await waitFor('the backfilled link to reach the brand', async () =>
      (await accountMember('pulsefit', account)) === subject._id ? true : null,
    );
    expect(
      await connection.collection('accountHolders').findOne({ _id: `pulsefit:${account}` as never }),
    ).toMatchObject({
      memberId: subject._id,
    });
    // Again: nothing new to announce.
    const queued = await outboxModel.countDocuments();
    expect(await backfillLinks(memberModel(connection), lifecycle)).toEqual(first);
    expect(await outboxModel.countDocuments()).toBe(queued);
  });

  it("records partner staff's and operators' reads, which the member reads page by page; no one else may", async () => {
    const account = await newBrandAccount(fed, 'starlight');
    const member = await enrol('starlight', account);
    const staff = await fed.token({ role: 'partner_staff', partner: 'starlight' });
    for (const requestId of ['req-privacy-staff-1', 'req-privacy-staff-2']) {
      const { body } = await fed.query(`{ member(id: "${member}") { id starlight { brandMemberId } } }`, {
        token: staff,
        headers: { 'x-request-id': requestId },
      });
      expect(body.errors).toBeUndefined();
    }
    // An operator's list of members reads the member too.
    const list = await fed.query('{ members(first: 100) { edges { node { id displayName } } } }', {
      token: await admin(),
      headers: { 'x-request-id': 'req-privacy-list' },
    });
    expect(list.body.errors).toBeUndefined();
    // The member's own reads are not recorded.
    await fed.query('{ me { id displayName } }', { token: await memberToken(member) });

    const read = async (after: string | null) => {
      const { body } = await fed.query(
        `query ($after: String) { me { accessLog(first: 1, after: $after) { ${ACCESS_FIELDS} } } }`,
        { token: await memberToken(member), variables: { after } },
      );
      expect(body.errors).toBeUndefined();
      return dataOf<{ me: { accessLog: AccessLogPage } }>(body).me.accessLog;
    };
    const entries: AccessLogPage['entries'] = [];
    let page = await read(null);
    entries.push(...page.entries);
    while (page.pageInfo.hasNextPage) {
      page = await read(page.pageInfo.endCursor);
      entries.push(...page.entries);
    }
    expect(new Set(entries.map((e) => e.requestId))).toEqual(
      new Set(['req-privacy-staff-1', 'req-privacy-staff-2', 'req-privacy-list']),
    );
    for (const entry of entries.filter((e) => e.requestId.startsWith('req-privacy-staff'))) {
      expect(entry).toMatchObject({ role: 'partner_staff', partner: 'starlight' });
      expect(entry.fields).toContain('id');
    }
    expect(entries.find((e) => e.requestId === 'req-privacy-list')).toMatchObject({
      role: 'admin',
      partner: null,
      fields: ['displayName', 'id'],
    });
    // Newest first.
    expect(entries[0].requestId).toBe('req-privacy-list');
    expect(entries.findIndex((e) => e.requestId === 'req-privacy-staff-2')).toBeLessThan(
      entries.findIndex((e) => e.requestId === 'req-privacy-staff-1'),
    );

    const byAdmin = await fed.query(
      `{ memberAccessLog(memberId: "${member}", first: 10) { ${ACCESS_FIELDS} } }`,
      { token: await admin() },
    );
    expect(dataOf<{ memberAccessLog: AccessLogPage }>(byAdmin.body).memberAccessLog.entries.length).toBe(
      entries.length,
    );
    const byStaff = await fed.query(`{ memberAccessLog(memberId: "${member}") { ${ACCESS_FIELDS} } }`, {
      token: staff,
    });
    expect(errorCodes(byStaff.body)).toContain('FORBIDDEN');
  });

  it("answers a partner's system whether it may market to each of its customers, from the member's MARKETING consent", async () => {
    const account = await newBrandAccount(fed, 'starlight');
    const stranger = await newBrandAccount(fed, 'starlight');
    const member = await enrol('starlight', account);
    const ask = async (partner = 'starlight') =>
      fed.query(
        `{ marketingConsent(partner: "starlight", partnerMemberIds: ["${account}", "${stranger}"]) { partnerMemberId granted noticeVersion } }`,
        { token: await service(partner), headers: { 'x-request-id': 'req-privacy-marketing' } },
      );
    const answers = async () => {
      const { body } = await ask();
      expect(body.errors).toBeUndefined();
      return dataOf<{
        marketingConsent: { partnerMemberId: string; granted: boolean; noticeVersion: string | null }[];
      }>(body).marketingConsent;
    };
    const notYet = [
      { partnerMemberId: account, granted: false, noticeVersion: null },
      { partnerMemberId: stranger, granted: false, noticeVersion: null },
    ];
    expect(await answers()).toEqual(notYet);
    const answer = async (mutation: string) => {
      const { body } = await fed.query(mutation, { token: await memberToken(member) });
      expect(body.errors).toBeUndefined();
    };
    await answer(
      'mutation { grantConsent(partner: "starlight", purposes: [MARKETING], noticeVersion: "2026-11") { id } }',
    );
    expect(await answers()).toEqual([
      { partnerMemberId: account, granted: true, noticeVersion: '2026-11' },
      { partnerMemberId: stranger, granted: false, noticeVersion: null },
    ]);
    await answer('mutation { withdrawConsent(partner: "starlight", purposes: [MARKETING]) { id } }');
    expect(await answers()).toEqual(notYet);
    expect(errorCodes((await ask('inkwell')).body)).toContain('FORBIDDEN');
    // The partner's system read the member's consent: that is in the member's access log.
    const { body } = await fed.query(`{ me { accessLog(first: 10) { ${ACCESS_FIELDS} } } }`, {
      token: await memberToken(member),
    });
    const entries = dataOf<{ me: { accessLog: AccessLogPage } }>(body).me.accessLog.entries;
    expect(entries).toContainEqual(
      expect.objectContaining({
        role: 'partner_service',
        partner: 'starlight',
        requestId: 'req-privacy-marketing',
      }),
    );
  });

  it('exports everything every store holds about the member as one JSON document', async () => {
    const account = await newBrandAccount(fed, 'starlight');
    const member = await enrol('starlight', account);
    const granted = await fed.query(
      'mutation { grantConsent(partner: "starlight", purposes: [MARKETING], noticeVersion: "2026-10") { id } }',
      { token: await memberToken(member) },
    );
    expect(granted.body.errors).toBeUndefined();
    await waitFor('the enrolled account to name the member', async () =>
      (await accountMember('starlight', account)) === member ? true : null,
    );
    const purchase = purchaseEvent(account, {
      amountMinor: 23_400,
      category: localCategory(fed, 'starlight'),
      occurredAt: daysAgo(10),
    });
    expect((await fed.ingest('starlight', jsonBody([purchase]))).body.summary?.accepted).toBe(1);
    await waitFor('points for the purchase', () =>
      ledger().findOne({ memberId: member, sourceEventId: purchase.eventId }),
    );
    await fed.query(`{ member(id: "${member}") { id } }`, {
      token: await fed.token({ role: 'partner_staff', partner: 'starlight' }),
      headers: { 'x-request-id': 'req-privacy-export' },
    });

    const { body } = await fed.query('mutation { requestDataExport { dataExport } }', {
      token: await memberToken(member),
    });
    expect(body.errors).toBeUndefined();
    const document = JSON.parse(
      dataOf<{ requestDataExport: { dataExport: string } }>(body).requestDataExport.dataExport,
    ) as {
      profile: {
        id: string;
        links: {
          partner: string;
          partnerMemberId: string;
          consents: { purpose: string; granted: boolean }[];
        }[];
        consentHistory: { purpose: string; granted: boolean; noticeVersion: string }[];
      };
      accessLog: { requestId: string }[];
      brands: Record<
        string,
        { account: { _id: string } | null; orders: { _id: string }[]; events: { _id: string }[] } | null
      >;
      benefits: { wallet: { _id: string } | null; ledger: { sourceEventId: string }[] } | null;
      unavailable: string[];
    };
    expect(document.profile.id).toBe(member);
    expect(document.profile.links).toHaveLength(1);
    expect(document.profile.links[0]).toMatchObject({ partner: 'starlight', partnerMemberId: account });
    expect(document.profile.links[0].consents).toContainEqual(
      expect.objectContaining({ purpose: 'MARKETING', granted: true }),
    );
    expect(document.profile.consentHistory).toContainEqual(
      expect.objectContaining({ purpose: 'MARKETING', granted: true, noticeVersion: '2026-10' }),
    );
    expect(document.accessLog.map((e) => e.requestId)).toContain('req-privacy-export');
    // Each brand's part: the linked account with its orders and events; nothing where nothing is linked.
    expect(document.brands.starlight?.account?._id).toBe(account);
    expect(document.brands.starlight?.orders.map((o) => o._id)).toContain(purchase.orderId);
    expect(document.brands.starlight?.events.map((e) => e._id)).toContain(purchase.eventId);
    expect(document.brands.mindspark).toMatchObject({ account: null, orders: [], events: [] });
    expect(document.benefits?.wallet?._id).toBe(member);
    expect(document.benefits?.ledger.map((e) => e.sourceEventId)).toContain(purchase.eventId);
    expect(document.unavailable).toEqual([]);

    const staff = await fed.token({ role: 'partner_staff', partner: 'starlight' });
    const refused = await fed.query(`{ member(id: "${member}") { dataExport } }`, { token: staff });
    expect(errorCodes(refused.body)).toContain('FORBIDDEN');
    const byOtherMember = await fed.query('mutation { requestDataExport { dataExport } }', { token: staff });
    expect(errorCodes(byOtherMember.body)).toContain('FORBIDDEN');
  });

  it('erases a member from every store, with one brand down during the request and retried until it answers', async () => {
    // A member with accounts at every partner, fresh activity (events, an order, ledger entries) and a read logged.
    const profiles = fed.dbs.profile.connection.collection<MemberDocument>('members');
    const subject = (await profiles.findOne({ 'links.3': { $exists: true } }))!;
    const memberId = subject._id;
    const accounts = Object.fromEntries(subject.links.map((l) => [l.partner, l.partnerMemberId]));
    const purchase = purchaseEvent(accounts.mindspark, {
      amountMinor: 88_800,
      category: localCategory(fed, 'mindspark'),
      occurredAt: daysAgo(10),
    });
    expect((await fed.ingest('mindspark', jsonBody([purchase]))).body.summary?.accepted).toBe(1);
    await waitFor('points for the purchase', () =>
      ledger().findOne({ memberId, sourceEventId: purchase.eventId }),
    );
    const dashboard = await fed.query('{ me { id profile { compositeScore } } }', {
      token: await memberToken(memberId),
    });
    expect(dashboard.body.errors).toBeUndefined();
    await fed.query(`{ member(id: "${memberId}") { id } }`, { token: await admin() });
    const ledgerEntries = await ledger().countDocuments({ memberId });
    expect(ledgerEntries).toBeGreaterThan(0);

    await fed.federation.stopSubgraph('inkwell');
    let restarted: RunningHttpServer | null = null;
    try {
      const requested = await fed.query(`mutation { requestErasure { ${ERASURE_FIELDS} } }`, {
        token: await memberToken(memberId),
      });
      expect(requested.body.errors).toBeUndefined();
      const job = dataOf<{ requestErasure: ErasureJob }>(requested.body).requestErasure;
      expect(job.state).toBe('PENDING');
      expect(job.id).not.toContain(memberId);
      expect(job.stores).toEqual(
        expect.arrayContaining(['profile', 'benefits', 'brand:inkwell', 'brand:mindspark']),
      );

      const readJob = async () => {
        const { body } = await fed.query(`{ myErasure { ${ERASURE_FIELDS} } }`, {
          token: await memberToken(memberId),
        });
        expect(body.errors).toBeUndefined();
        return dataOf<{ myErasure: ErasureJob }>(body).myErasure;
      };
      // Every brand but the one that is down answers; the job waits for it, sending again meanwhile.
      const waiting = await waitFor('every running store to answer', async () => {
        const current = await readJob();
        return current.pendingStores.length === 3 ? current : null;
      });
      // The streams are scrubbed once no brand can publish about the member any more, and the benefits
      // service erases after that, so no consumer builds its data again from an entry still in a stream.
      expect(waiting).toMatchObject({
        state: 'PENDING',
        pendingStores: ['benefits', 'brand:inkwell', 'streams'],
      });
      const sentBefore = (await fed.dbs.profile.connection
        .collection<{ _id: string; attempts: number }>('erasureJobs')
        .findOne({ _id: job.id }))!.attempts;
      await waitFor('the erasure to be sent again', async () => {
        const doc = await fed.dbs.profile.connection
          .collection<{ _id: string; attempts: number }>('erasureJobs')
          .findOne({ _id: job.id });
        return doc!.attempts > sentBefore ? true : null;
      });
      expect((await readJob()).state).toBe('PENDING');

      // The brand comes back (same store, same streams) and finishes its part.
      const brand = await createBrandSubgraph({
        partner: fed.registry.byKey.get('inkwell')!,
        db: fed.dbs.brands.get('inkwell')!,
        activityStream: fed.activityStream,
        lifecycleStream: fed.lifecycleStream,
        internalTokenSecret: TEST_AUTH.internalTokenSecret,
        partnerSecret: testPartnerSecret('inkwell'),
        onWorkerError: (error) => fed.workerErrors.push(error),
      });
      restarted = await startSubgraph(brand.service, { port: 0 });
      const done = await waitFor('the erasure to complete', async () => {
        const current = await readJob();
        return current.state === 'COMPLETE' ? current : null;
      });
      expect(done.pendingStores).toEqual([]);
      expect(done.completedAt).not.toBeNull();
      const receipt = (store: string) => done.receipts.find((r) => r.store === store)!;
      const count = (store: string, collection: string) =>
        receipt(store).counts.find((c) => c.collection === collection)!;
      expect(count('profile', 'members').deleted).toBe(1);
      expect(count('brand:inkwell', 'accounts').deleted).toBe(1);
      expect(count('brand:mindspark', 'orders').deleted).toBeGreaterThanOrEqual(1);
      expect(count('brand:mindspark', 'events').deleted).toBeGreaterThanOrEqual(1);
      expect(count('benefits', 'wallets').deleted).toBe(1);
      expect(count('benefits', 'points_ledger').anonymised).toBeGreaterThanOrEqual(ledgerEntries);

      // Nothing with the member's id or any of their account ids remains in any collection of any store.
      const needles = [memberId, ...Object.values(accounts)];
      const databases = [
        fed.dbs.profile.connection,
        fed.dbs.benefits.connection,
        ...[...fed.dbs.brands.values()].map((d) => d.connection),
      ];
      const remaining = (await Promise.all(databases.map((c) => documentsNaming(c, needles)))).flat();
      expect(remaining).toEqual([]);
      // Nor in the event streams (read whole by a group of this test's own).
      for (const stream of [fed.activityStream, fed.lifecycleStream]) {
        const audit = stream.openReader(`privacy-audit-${memberId}`, 'audit');
        try {
          await audit.createGroup();
          const entries = await audit.readNew(1_000_000);
          expect(entries.length).toBeGreaterThan(0);
          expect(entries.filter((e) => needles.some((n) => e.payload.includes(`"${n}"`)))).toEqual([]);
        } finally {
          await audit.close();
        }
      }
      expect(count('streams', 'stream:member-activity').deleted).toBeGreaterThanOrEqual(1);
      // Nor in the cache.
      expect(await fed.cache.get(profileCacheKey(memberId))).toBeUndefined();
      // Settlement keeps the amounts, under a pseudonym.
      const kept = await ledger().findOne({ sourceEventId: purchase.eventId });
      expect(kept?.memberId).toMatch(/^erased-/);
      // The member is gone from the graph; asking again answers the same, completed erasure.
      const me = await fed.query('{ me { id } }', { token: await memberToken(memberId) });
      expect(dataOf<{ me: null }>(me.body).me).toBeNull();
      const again = await fed.query(`mutation { requestErasure { ${ERASURE_FIELDS} } }`, {
        token: await memberToken(memberId),
      });
      expect(dataOf<{ requestErasure: ErasureJob }>(again.body).requestErasure).toEqual(done);
    } finally {
      await restarted?.close();
    }
  });

  it('lets operators erase a member, and not partner staff', async () => {
    const account = await newBrandAccount(fed, 'starlight');
    const member = await enrol('starlight', account);
    const staff = await fed.query(`mutation { eraseMember(memberId: "${member}") { id } }`, {
      token: await fed.token({ role: 'partner_staff', partner: 'starlight' }),
    });
    expect(errorCodes(staff.body)).toContain('FORBIDDEN');
    const { body } = await fed.query(
      `mutation { eraseMember(memberId: "${member}") { ${ERASURE_FIELDS} } }`,
      {
        token: await admin(),
      },
    );
    expect(body.errors).toBeUndefined();
    expect(dataOf<{ eraseMember: ErasureJob }>(body).eraseMember.receipts.map((r) => r.store)).toContain(
      'profile',
    );
    const unknown = await fed.query('mutation { eraseMember(memberId: "M-NO-SUCH") { id } }', {
      token: await admin(),
    });
    expect(errorCodes(unknown.body)).toContain('NOT_FOUND');
  });

  it('purges raw events past the retention age; what they changed stays in the graph', async () => {
    const members = fed.dbs.profile.connection.collection<MemberDocument>('members');
    const subject = (await members.findOne({ 'links.partner': 'starlight', 'links.1': { $exists: true } }))!;
    const account = subject.links.find((l) => l.partner === 'starlight')!.partnerMemberId;
    const purchase = purchaseEvent(account, {
      amountMinor: 6_600,
      category: localCategory(fed, 'starlight'),
      occurredAt: daysAgo(3),
    });
    expect((await fed.ingest('starlight', jsonBody([purchase]))).body.summary?.accepted).toBe(1);
    const events = brandModelsOf(fed, 'starlight').Event;
    await waitFor('the event to be published', async () =>
      (await events.findById(purchase.eventId).lean())?.published ? true : null,
    );
    const read = async () => {
      const { body } = await fed.query(
        `{ member(id: "${subject._id}") { starlight { localTier recentOrders(first: 3) { orderId amount { amountMinor } } } } }`,
        { token: await admin() },
      );
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const before = await read();
    // The event was received long ago, as far as the sweep can tell.
    await events.updateOne(
      { _id: purchase.eventId },
      { $set: { receivedAt: new Date(Date.now() - 500 * 86_400_000) } },
    );
    expect(await fed.federation.brands.get('starlight')!.purgeExpiredEvents()).toBeGreaterThanOrEqual(1);
    expect(await events.countDocuments({ _id: purchase.eventId })).toBe(0);
    expect(await read()).toEqual(before);
  });
});
