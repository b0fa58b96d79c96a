import { MemberTiers } from '../../subgraphs/benefits/data/member-tiers.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/**
 * The feedback loop through the gateway: members record what they did with a benefit and how satisfied
 * they were, each answer counted once; what members of a tier did re-ranks the benefit for that tier, with
 * a reason that says so; staff and operators read satisfaction per partner and benefit.
 */
const BUNDLE = `{ me { benefits { tier { code } items { benefit { id partner } score reason } } } }`;
const RECORD = `mutation ($benefitId: ID!, $action: BenefitFeedbackAction!, $rating: Int) {
  recordBenefitFeedback(benefitId: $benefitId, action: $action, rating: $rating) {
    benefit { id } actions rating
  }
}`;
const SATISFACTION = `query ($partner: String) {
  benefitSatisfaction(partner: $partner) {
    partners { partner averageRating ratings }
    benefits { benefit { id } partner averageRating ratings shown clicked dismissed redeemed
      tiers { tier shown engaged estimatedRate quality } }
  }
}`;

interface Bundle {
  tier: { code: string };
  items: { benefit: { id: string; partner: string }; score: number; reason: string }[];
}
interface Satisfaction {
  partners: { partner: string; averageRating: number | null; ratings: number }[];
  benefits: {
    benefit: { id: string };
    partner: string;
    averageRating: number | null;
    ratings: number;
    shown: number;
    clicked: number;
    dismissed: number;
    redeemed: number;
    tiers: { tier: string; shown: number; engaged: number; estimatedRate: number; quality: number }[];
  }[];
}

describe('benefit feedback', () => {
  let fed: TestFederation;
  let admin: string;
  let demo: string;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 20 });
    admin = await fed.token({ role: 'admin', subject: 'ops-3' });
    demo = await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const bundle = async (): Promise<Bundle> =>
    dataOf<{ me: { benefits: Bundle } }>((await fed.query(BUNDLE, { token: demo })).body).me.benefits;
  const record = async (token: string, variables: Record<string, unknown>) =>
    (await fed.query(RECORD, { token, variables })).body;

  it('refuses what it cannot record, and who may not record or read', async () => {
    const { items } = await bundle();
    const benefitId = items[0].benefit.id;
    expect(errorCodes(await record(demo, { benefitId, action: 'REDEEMED', rating: 6 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await record(demo, { benefitId: 'NO-SUCH-BENEFIT', action: 'SHOWN' }))).toEqual([
      'NOT_FOUND',
    ]);
    const staff = await fed.token({ role: 'partner_staff', partner: 'pulsefit', subject: 'staff-pf' });
    expect(errorCodes(await record(staff, { benefitId, action: 'SHOWN' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes((await fed.query(SATISFACTION, { token: demo })).body)).toEqual(['FORBIDDEN']);
    expect(
      errorCodes((await fed.query(SATISFACTION, { token: staff, variables: { partner: 'mindspark' } })).body),
    ).toEqual(['FORBIDDEN']);
  });

  it('counts each answer once, re-ranks the benefit for the tier and says why', async () => {
    const before = await bundle();
    const tier = before.tier.code as 'BASIC' | 'CLASSIC' | 'GOLD' | 'DIAMOND';
    const top = before.items[0];
    const last = before.items[before.items.length - 1];
    // Twelve members of the demo member's tier (their tier as matching last saw it) redeem the top benefit
    // and rate it 5, and pass the last one over, rating it 2.
    const tiers = new MemberTiers(fed.dbs.benefits.connection);
    const voters = Array.from({ length: 12 }, (_, i) => `feedback-voter-${i}`);
    for (const id of voters) await tiers.record(id, tier, new Date());
    for (const id of voters) {
      const token = await fed.token({ role: 'member', memberId: id });
      expect(errorCodes(await record(token, { benefitId: top.benefit.id, action: 'SHOWN' }))).toEqual([]);
      const answer = await record(token, { benefitId: top.benefit.id, action: 'REDEEMED', rating: 5 });
      expect(
        dataOf<{ recordBenefitFeedback: { actions: string[]; rating: number } }>(answer)
          .recordBenefitFeedback,
      ).toEqual({ benefit: { id: top.benefit.id }, actions: ['SHOWN', 'REDEEMED'], rating: 5 });
      expect(
        errorCodes(await record(token, { benefitId: last.benefit.id, action: 'DISMISSED', rating: 2 })),
      ).toEqual([]);
    }
    // The same answers again, and a changed rating: counted once, the rating replaced.
    const again = await fed.token({ role: 'member', memberId: voters[0] });
    await record(again, { benefitId: top.benefit.id, action: 'REDEEMED', rating: 5 });
    await record(again, { benefitId: top.benefit.id, action: 'CLICKED', rating: 4 });

    const satisfaction = dataOf<{ benefitSatisfaction: Satisfaction }>(
      (await fed.query(SATISFACTION, { token: admin, variables: { partner: top.benefit.partner } })).body,
    ).benefitSatisfaction;
    expect(satisfaction.partners.map((p) => p.partner)).toEqual([top.benefit.partner]);
    expect(satisfaction.benefits.every((b) => b.partner === top.benefit.partner)).toBe(true);
    const figures = satisfaction.benefits.find((b) => b.benefit.id === top.benefit.id)!;
    expect(figures).toMatchObject({ shown: 12, redeemed: 12, clicked: 1, dismissed: 0, ratings: 12 });
    expect(figures.averageRating).toBeCloseTo((11 * 5 + 4) / 12, 10);
    const learned = figures.tiers.find((t) => t.tier === tier)!;
    expect(learned).toMatchObject({ shown: 12, engaged: 12 });
    expect(learned.quality).toBeGreaterThan(1);

    // Partner staff read their own partner's figures only, without naming it.
    const ownStaff = await fed.token({
      role: 'partner_staff',
      partner: top.benefit.partner,
      subject: 'staff-own',
    });
    const own = dataOf<{ benefitSatisfaction: Satisfaction }>(
      (await fed.query(SATISFACTION, { token: ownStaff })).body,
    ).benefitSatisfaction;
    expect(own.partners.map((p) => p.partner)).toEqual([top.benefit.partner]);

    // The demo member's bundle: the top benefit's score is multiplied by what the tier's members did, and
    // the reason says so; the benefit they passed over scores lower, or has made way for another.
    const after = await bundle();
    const raised = after.items.find((i) => i.benefit.id === top.benefit.id)!;
    expect(raised.score).toBeCloseTo(top.score * learned.quality, 2);
    expect(raised.reason).toContain('100% of 12 members of your tier shown it took it up');
    expect(raised.reason).toContain('rated 4.9/5 by 12 members');
    const lowered = after.items.find((i) => i.benefit.id === last.benefit.id);
    expect(lowered === undefined || lowered.score < last.score).toBe(true);
  });
});
