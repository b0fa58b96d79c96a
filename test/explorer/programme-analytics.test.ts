import { waitForEventBacklog } from '../../tools/local-federation/wait-for-event-backlog.js';
import type { LinkConsents } from '../../subgraphs/profile/domain/consent/consent-purposes.js';
import { grantedPurposesOf } from '../../subgraphs/profile/domain/consent/consent-purposes.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';

/**
 * `programmeAnalytics`: operators' figures, each computed by an aggregation pipeline in the store that owns
 * the data (profile: members; brands: orders; benefits: the points ledger), joined by the gateway on the
 * window. Checked against the stores read directly.
 */
const QUERY = `query Analytics($from: DateTime!, $to: DateTime!) {
  programmeAnalytics(from: $from, to: $to) {
    from
    to
    partners
    membership { members joinedByMonth { month members } linkedBrands { brands members } consentRate }
    crossBrandPenetration { brands members }
    retentionCohorts { cohort size retained }
    points { issued reversed redeemed expired adjusted outstanding monthly { month issued } }
    mindspark { partner buyers repeatBuyers repurchaseRate orders spendMinor }
    inkwell { buyers repeatBuyers repurchaseRate }
  }
}`;

interface Analytics {
  from: string;
  partners: string[];
  membership: { members: number; linkedBrands: { brands: number; members: number }[]; consentRate: number };
  crossBrandPenetration: { brands: number; members: number }[];
  retentionCohorts: { cohort: string; size: number; retained: number[] }[];
  points: { issued: number; outstanding: number; monthly: { month: string; issued: number }[] };
  mindspark: { buyers: number; repeatBuyers: number; repurchaseRate: number; orders: number };
}

describe('programmeAnalytics', () => {
  let fed: TestFederation;
  let admin: string;
  const to = new Date(Date.now() + 86_400_000);
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const variables = { from: from.toISOString(), to: to.toISOString() };

  beforeAll(async () => {
    fed = await startTestFederation({ members: 120 });
    // Five quiet seconds: the figures are compared with the stores, so the seeded events must all be in.
    await waitForEventBacklog(fed.dbs, 5_000, 180_000);
    admin = await fed.token({ role: 'admin', subject: 'operator-test' });
  });
  afterAll(() => fed?.stop());

  it('answers an operator with every store’s figures, as the stores hold them', async () => {
    const { status, body } = await fed.query(QUERY, { token: admin, variables });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const a = body.data!.programmeAnalytics as Analytics;
    expect(a.from).toBe(from.toISOString());
    expect(a.partners).toEqual(fed.registry.partners.map((p) => p.key));

    const members = fed.dbs.profile.connection.collection('members');
    expect(a.membership.members).toBe(await members.countDocuments({ joinedAt: { $lt: to } }));
    expect(a.membership.linkedBrands.map((b) => b.brands)).toEqual([1, 2, 3, 4]);
    // Consent: links whose cross-brand profile consent stands, as the profile reads each link.
    const links = (await members.find({ joinedAt: { $lt: to } }).toArray()).flatMap(
      (m) => m.links as LinkConsents[],
    );
    const consented = links.filter((l) => grantedPurposesOf(l).includes('CROSS_BRAND_PROFILE')).length;
    expect(consented).toBeGreaterThan(0);
    expect(a.membership.consentRate).toBeCloseTo(consented / links.length, 10);

    // Penetration: members by the number of partners they earned points at in the window.
    const ledger = await fed.dbs.benefits.connection.collection('points_ledger').find({}).toArray();
    const partnersOf = new Map<string, Set<string>>();
    for (const e of ledger) {
      if (e.kind !== 'earn' || e.occurredAt < from || e.occurredAt >= to) continue;
      partnersOf.set(e.memberId, (partnersOf.get(e.memberId) ?? new Set()).add(e.partner));
    }
    const expected = [1, 2, 3, 4].map((k) => [...partnersOf.values()].filter((s) => s.size === k).length);
    expect(a.crossBrandPenetration.map((b) => b.members)).toEqual(expected);
    expect(expected.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);

    // Points: the liability is the signed sum of the ledger.
    expect(a.points.outstanding).toBe(ledger.reduce((sum, e) => sum + (e.points as number), 0));
    expect(a.points.issued).toBe(
      ledger
        .filter((e) => e.kind === 'earn' && e.occurredAt >= from)
        .reduce((s, e) => s + (e.points as number), 0),
    );
    expect(a.points.monthly.reduce((s, m) => s + m.issued, 0)).toBe(a.points.issued);

    // Cohorts: every cohort row starts with its size and never grows past it.
    for (const c of a.retentionCohorts) {
      expect(c.retained[0]).toBe(c.size);
      for (const r of c.retained) expect(r).toBeLessThanOrEqual(c.size);
    }
    expect(a.retentionCohorts.reduce((s, c) => s + c.size, 0)).toBeGreaterThan(0);

    // Repurchase at one partner, from its orders.
    const orders = await fed.dbs.brands
      .get('mindspark')!
      .connection.collection('orders')
      .find({
        occurredAt: { $gte: from, $lt: to },
        memberId: { $type: 'string' },
        remainingMinor: { $gt: 0 },
      })
      .toArray();
    const perBuyer = new Map<string, number>();
    for (const o of orders) perBuyer.set(o.brandMemberId, (perBuyer.get(o.brandMemberId) ?? 0) + 1);
    const repeat = [...perBuyer.values()].filter((n) => n >= 2).length;
    expect(a.mindspark).toMatchObject({ buyers: perBuyer.size, repeatBuyers: repeat, orders: orders.length });
    expect(a.mindspark.repurchaseRate).toBeCloseTo(perBuyer.size ? repeat / perBuyer.size : 0, 10);
    expect(perBuyer.size).toBeGreaterThan(0);
  });

  it.each([
    ['a member', { role: 'member' as const, memberId: 'M000001' }, 'FORBIDDEN'],
    ['partner staff', { role: 'partner_staff' as const, partner: 'inkwell', subject: 's' }, 'FORBIDDEN'],
  ])('refuses %s', async (_who, principal, code) => {
    const { body } = await fed.query(QUERY, { token: await fed.token(principal), variables });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('asks an anonymous caller to sign in', async () => {
    const { body } = await fed.query(QUERY, { variables });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    [{ from: variables.to, to: variables.from }, '`from` must be before `to`'],
    [{ from: '2020-01-01T00:00:00Z', to: variables.to }, 'more than 36 months'],
    [{ from: 'last year', to: variables.to }, 'ISO-8601'],
  ])('refuses a bad window %j', async (window, message) => {
    const { body } = await fed.query(QUERY, { token: admin, variables: window });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain(message);
  });
});
