import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';
import { IntelligenceStore, intelligenceModels } from '../../subgraphs/profile/data/intelligence-store.js';
import type { IntelligenceModel } from '../../subgraphs/profile/domain/intelligence-model.js';
import { memberLifetimeValue } from '../../subgraphs/profile/domain/member-intelligence.js';
import { tierForScore } from '../../subgraphs/shared/domain/tiers.js';

/** The demo member: linked, with consent, to mindspark, inkwell and pulsefit (tools/seed/demo-population.ts). */
const MEMBER = 'M000001';
const REVOKED = 'pulsefit';

const INTELLIGENCE = `
  intelligenceVersion
  tier { code }
  rfm { recency frequency monetary segment segmentName explanation }
  segment { id label explanation }
  lifetimeValue { expectedPurchases90d probabilityAlive expectedOrderValue { amountMinor currency } clv12m { amountMinor currency } asOf }
  churnRisk { probabilityAlive atRisk highValue }
  recommendations(first: 3) { partner category score reason }
  tierProgress { next { code minScore } score scoreGap extraSpend { amountMinor currency } hint }
`;

interface Intelligence {
  intelligenceVersion: string;
  tier: { code: string };
  rfm: {
    recency: number;
    frequency: number;
    monetary: number;
    segment: string;
    segmentName: string;
    explanation: string;
  } | null;
  segment: { id: string; label: string; explanation: string };
  lifetimeValue: {
    expectedPurchases90d: number;
    probabilityAlive: number;
    expectedOrderValue: { amountMinor: number; currency: string };
    clv12m: { amountMinor: number; currency: string };
    asOf: string;
  } | null;
  churnRisk: { probabilityAlive: number; atRisk: boolean; highValue: boolean } | null;
  recommendations: { partner: string; category: string; score: number; reason: string }[];
  tierProgress: {
    next: { code: string; minScore: number } | null;
    score: number;
    scoreGap: number;
    hint: string;
  };
}

interface Order {
  jointCategory: string;
  occurredAt: string;
}

describe('member intelligence through the gateway', () => {
  let fed: TestFederation;
  let store: IntelligenceStore;
  let model: IntelligenceModel;
  let member: string;
  let admin: string;
  let staff: string;

  // Seeding and training share two cores with other runs: the setup may take minutes, the tests do not.
  beforeAll(async () => {
    fed = await startTestFederation({ members: 120, train: true });
    store = new IntelligenceStore(intelligenceModels(fed.dbs.profile.connection));
    model = (await store.loadModel((await store.currentVersion())!))!;
    member = await fed.token({ role: 'member', memberId: MEMBER });
    admin = await fed.token({ role: 'admin' });
    staff = await fed.token({ role: 'partner_staff', partner: 'mindspark' });
  }, 240_000);

  afterAll(async () => {
    await fed?.stop();
  });

  async function myIntelligence(): Promise<Intelligence> {
    const { body } = await fed.query(`{ me { profile { ${INTELLIGENCE} } } }`, { token: member });
    expect(body.errors).toBeUndefined();
    return dataOf<{ me: { profile: Intelligence } }>(body).me.profile;
  }

  it('lets a campaign audience select members by value segment, as training stored it', async () => {
    const { label } = (await myIntelligence()).segment;
    const other = model.valueSegments.labels.find((l) => l !== label)!;
    const window = `startsAt: "${new Date(Date.now() - 86_400_000).toISOString()}", endsAt: "${new Date(Date.now() + 86_400_000).toISOString()}"`;
    for (const [name, segment] of [
      ['Mine', label],
      ['Theirs', other],
    ]) {
      const audience = JSON.stringify(JSON.stringify({ fact: 'segment', operator: 'equal', value: segment }));
      const { body } = await fed.query(
        `mutation { createCampaign(input: { name: "${name}", ${window}, activities: [PURCHASE], pointsMultiplier: 2,
          controlShare: 0, audienceRule: ${audience} }) { id } }`,
        { token: admin },
      );
      expect(body.errors).toBeUndefined();
    }
    const { body } = await fed.query('{ me { campaigns { campaign { name } reason } } }', { token: member });
    expect(body.errors).toBeUndefined();
    const offered = dataOf<{ me: { campaigns: { campaign: { name: string }; reason: string }[] } }>(body).me
      .campaigns;
    expect(offered.map((c) => c.campaign.name)).toEqual(['Mine']);
    expect(offered[0].reason).toContain(`segment ${label} = ${label}`);
  });

  it('gives a member their RFM, segment, lifetime value, churn risk, recommendations and tier progress', async () => {
    const mine = await myIntelligence();
    expect(mine.intelligenceVersion).toBe(model.version);
    expect(mine.rfm).not.toBeNull();
    for (const score of [mine.rfm!.recency, mine.rfm!.frequency, mine.rfm!.monetary]) {
      expect([1, 2, 3, 4, 5]).toContain(score);
    }
    expect(mine.rfm!.explanation).toContain(mine.rfm!.segmentName);
    expect(model.valueSegments.labels[Number(mine.segment.id)]).toBe(mine.segment.label);
    expect(mine.lifetimeValue!.clv12m.currency).toBe('CNY');
    expect(mine.lifetimeValue!.asOf).toBe(model.asOf);
    expect(mine.churnRisk!.probabilityAlive).toBe(mine.lifetimeValue!.probabilityAlive);
    expect(mine.churnRisk!.atRisk).toBe(mine.churnRisk!.probabilityAlive < 0.5);
    expect(mine.recommendations.length).toBeGreaterThan(0);
    expect(mine.recommendations.length).toBeLessThanOrEqual(3);
    if (mine.tierProgress.next) expect(mine.tierProgress.next.code).not.toBe(mine.tier.code);
    expect(mine.tierProgress.hint.length).toBeGreaterThan(0);
  });

  it('recommends only what the member does not buy at a consented brand', async () => {
    const { body } = await fed.query(
      `{ me { profile { recommendations(first: 20) { partner category } } mindspark { recentOrders(first: 50) { jointCategory occurredAt } } inkwell { recentOrders(first: 50) { jointCategory occurredAt } } } }`,
      { token: member },
    );
    expect(body.errors).toBeUndefined();
    const me = dataOf<{
      me: {
        profile: { recommendations: { partner: string; category: string }[] };
        mindspark: { recentOrders: Order[] } | null;
        inkwell: { recentOrders: Order[] } | null;
      };
    }>(body).me;
    // Purchases inside the behaviour window (365 days; a day's margin for the window's day boundary).
    const windowStart = fed.now.getTime() - 363 * 86_400_000;
    const inWindow = (orders: Order[] | undefined) =>
      (orders ?? []).filter((o) => Date.parse(o.occurredAt) >= windowStart);
    const bought = new Set([
      ...inWindow(me.mindspark?.recentOrders).map((o) => `mindspark/${o.jointCategory}`),
      ...inWindow(me.inkwell?.recentOrders).map((o) => `inkwell/${o.jointCategory}`),
    ]);
    expect(bought.size).toBeGreaterThan(0);
    for (const r of me.profile.recommendations) expect(bought.has(`${r.partner}/${r.category}`)).toBe(false);
  });

  it('stores the tier of the scheduled evaluation with its history, and tier progress measures from it', async () => {
    const { body } = await fed.query(
      `{ me { profile { tier { code } heldTier { tier { code } period score grace { sincePeriod } } tierHistory { from to change period } } } }`,
      { token: member },
    );
    expect(body.errors).toBeUndefined();
    const profile = dataOf<{
      me: {
        profile: {
          tier: { code: string };
          heldTier: { tier: { code: string }; period: string; grace: unknown };
          tierHistory: { from: string | null; to: string; change: string; period: string }[];
        };
      };
    }>(body).me.profile;
    // One evaluation, against the population model the live tier uses: the same tier, an initial entry.
    expect(profile.heldTier.tier.code).toBe(profile.tier.code);
    expect(profile.heldTier.grace).toBeNull();
    expect(profile.tierHistory).toEqual([
      { from: null, to: profile.tier.code, change: 'INITIAL', period: profile.heldTier.period },
    ]);
  });

  it('refuses a recommendation count out of range as bad input', async () => {
    const { body } = await fed.query(`{ me { profile { recommendations(first: 0) { partner } } } }`, {
      token: member,
    });
    expect(errorCodes(body)).toContain('BAD_USER_INPUT');
  });

  it('shows partner staff the tier of a linked member and nothing of their intelligence', async () => {
    const tierOnly = await fed.query(
      `{ member(id: "${MEMBER}") { profile { tier { code } heldTier { tier { code } } } } }`,
      {
        token: staff,
      },
    );
    expect(tierOnly.body.errors).toBeUndefined();
    for (const field of [
      'rfm { segment }',
      'segment { label }',
      'lifetimeValue { probabilityAlive }',
      'churnRisk { atRisk }',
      'recommendations { partner }',
      'tierProgress { hint }',
      'tierHistory { to }',
    ]) {
      const { body } = await fed.query(`{ member(id: "${MEMBER}") { profile { ${field} } } }`, {
        token: staff,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
    }
    const { body } = await fed.query(`{ segments { id } }`, { token: staff });
    expect(errorCodes(body)).toEqual(['FORBIDDEN']);
  });

  it('keeps the operators’ views to operators: segments, members at risk, the model in use', async () => {
    const { body } = await fed.query(
      `{ intelligenceModel { version members valueSegments silhouette }
         segments { id label size centroid features }
         membersAtRisk(first: 100) { edges { cursor node { member { id } probabilityAlive spend { amountMinor } valueAtRisk { amountMinor currency } } } pageInfo { hasNextPage endCursor } } }`,
      { token: admin },
    );
    expect(body.errors).toBeUndefined();
    const data = dataOf<{
      intelligenceModel: { version: string; members: number; valueSegments: number };
      segments: { id: string; label: string; size: number; centroid: number[]; features: string[] }[];
      membersAtRisk: {
        edges: {
          cursor: string;
          node: { member: { id: string }; probabilityAlive: number; valueAtRisk: { amountMinor: number } };
        }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }>(body);
    const atRisk = data.membersAtRisk.edges.map((e) => e.node);
    expect(data.intelligenceModel).toMatchObject({ version: model.version, members: 120 });
    expect(data.segments).toHaveLength(data.intelligenceModel.valueSegments);
    expect(data.segments.reduce((sum, s) => sum + s.size, 0)).toBe(120);
    for (const s of data.segments) expect(s.centroid).toHaveLength(s.features.length);
    expect(data.membersAtRisk.pageInfo.hasNextPage).toBe(false);
    expect(atRisk.length).toBeGreaterThanOrEqual(3);
    for (const m of atRisk) expect(m.probabilityAlive).toBeLessThan(0.5);
    const values = atRisk.map((m) => m.valueAtRisk.amountMinor);
    expect(values).toEqual([...values].sort((a, b) => b - a));

    // Two at a time, each page after the last one's endCursor: the same members, once each, in order.
    const paged: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages <= atRisk.length; pages++) {
      const page: Awaited<ReturnType<TestFederation['query']>> = await fed.query(
        `query ($after: String) { membersAtRisk(first: 2, after: $after) { edges { node { member { id } } } pageInfo { hasNextPage endCursor } } }`,
        { token: admin, variables: { after } },
      );
      const { edges, pageInfo } = dataOf<{
        membersAtRisk: {
          edges: { node: { member: { id: string } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>(page.body).membersAtRisk;
      paged.push(...edges.map((e) => e.node.member.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(paged).toEqual(atRisk.map((m) => m.member.id));
    for (const query of [
      '{ membersAtRisk(first: 0) { pageInfo { hasNextPage } } }',
      '{ membersAtRisk(first: 101) { pageInfo { hasNextPage } } }',
      `{ membersAtRisk(after: "${Buffer.from('member:M000001').toString('base64url')}") { pageInfo { hasNextPage } } }`,
    ]) {
      expect(errorCodes((await fed.query(query, { token: admin })).body)).toEqual(['BAD_USER_INPUT']);
    }
    for (const query of [
      '{ segments { id } }',
      '{ membersAtRisk { edges { node { probabilityAlive } } } }',
      '{ intelligenceModel { version } }',
    ]) {
      expect(errorCodes((await fed.query(query, { token: member })).body)).toEqual(['FORBIDDEN']);
    }
    // An operator may read a member's intelligence too.
    const forAdmin = await fed.query(`{ member(id: "${MEMBER}") { profile { segment { label } } } }`, {
      token: admin,
    });
    expect(forAdmin.body.errors).toBeUndefined();
  });

  it('leaves a brand out of lifetime value at once when its consent is revoked, and takes it back on grant', async () => {
    const features = (await store.featuresOf([MEMBER])).get(MEMBER)!;
    expect(features.purchaseDays.some((p) => p.partner === REVOKED)).toBe(true);
    const before = await myIntelligence();
    const expectedWithout = memberLifetimeValue(
      model,
      features.purchaseDays.filter((p) => p.partner !== REVOKED),
    );

    const revoke = await fed.query(`mutation { revokePartnerConsent(partner: "${REVOKED}") { id } }`, {
      token: member,
    });
    expect(revoke.body.errors).toBeUndefined();
    const without = await myIntelligence();
    expect(without.lifetimeValue?.clv12m.amountMinor).toBe(expectedWithout?.clv12mMinor);
    expect(without.lifetimeValue).not.toEqual(before.lifetimeValue);
    expect(without.recommendations).not.toEqual(before.recommendations);
    // The stored tier was scored with the revoked brand: set aside, in the profile and the bundle alike,
    // for the live score over the brands still shared, until the next evaluation.
    const tiers = await fed.query(
      `{ me { profile { compositeScore tier { code } heldTier { period } } benefits { tier { code } } } }`,
      { token: member },
    );
    expect(tiers.body.errors).toBeUndefined();
    const me = dataOf<{
      me: {
        profile: { compositeScore: number; tier: { code: string }; heldTier: unknown };
        benefits: { tier: { code: string } };
      };
    }>(tiers.body).me;
    expect(me.profile.heldTier).toBeNull();
    expect(me.profile.tier.code).toBe(tierForScore(me.profile.compositeScore).code);
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);

    const grant = await fed.query(`mutation { grantPartnerConsent(partner: "${REVOKED}") { id } }`, {
      token: member,
    });
    expect(grant.body.errors).toBeUndefined();
    expect(await myIntelligence()).toEqual(before);
  });
});
