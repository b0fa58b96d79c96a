import { TIER_CODES } from '../../../shared/domain/tiers.js';
import { createProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { Campaign } from '../campaigns/campaign.js';
import { campaignScopeMatches, stackCampaigns } from '../campaigns/campaign-stacking.js';
import { eligibleCatalogue } from '../eligibility/eligible-catalogue.js';
import { memberFacts } from '../eligibility/member-facts.js';
import type { CatalogueBenefit } from '../match-benefit-bundle.js';
import { BUNDLE_SIZE, matchBenefitBundle } from '../match-benefit-bundle.js';
import { decideSubscription, emptyMembership, planBenefitsAt } from './membership-lifecycle.js';
import { planPriceFor } from './membership-plan.js';
import { yearlyPlan } from './plan-fixtures.js';
import { planCampaign } from './plan-campaign.js';

const calendar = createProgrammeCalendar('Asia/Shanghai');
const plan = yearlyPlan({
  priceBands: [{ minScore: 0, priceMinor: 29900 }],
  benefits: ['IW-SIGNED-ED'],
  earning: { pointsMultiplier: 1.5, partners: ['pulsefit'] },
});
const plans = new Map([[plan.id, plan]]);
const T0 = new Date('2026-03-01T02:00:00Z');
const paid = (() => {
  const decision = decideSubscription(
    emptyMembership('M1'),
    {
      key: 'mindspark:s1',
      partner: 'mindspark',
      action: 'pay',
      planId: plan.id,
      amountMinor: 29900,
      periodStart: T0,
      occurredAt: T0,
    },
    { plans, price: planPriceFor(plan, 10), calendar },
  );
  if (decision.replay) throw new Error('expected a subscription');
  return decision.next;
})();

const benefit = (
  code: string,
  partner: string,
  valueMinor: number,
  tiers = [...TIER_CODES],
): CatalogueBenefit => ({
  code,
  partner,
  title: code,
  type: 'VOUCHER',
  category: 'arts',
  eligibleTiers: tiers,
  valueMinor,
});

describe("a plan's benefits in the bundle", () => {
  const catalogue = [
    benefit('IW-SIGNED-ED', 'inkwell', 100, ['DIAMOND']),
    ...['a', 'b', 'c', 'd'].map((p) => benefit(`X-${p}`, p, 10_000)),
  ];
  const facts = memberFacts(
    {
      tier: { code: 'BASIC' } as never,
      composite: { score: 10 } as never,
      affinities: [],
      brandsActive: [],
    },
    [],
  );

  it('offers them whatever the tier, always in the bundle, with the plan named in the reason', async () => {
    const included = planBenefitsAt(paid, new Date(T0.getTime() + 86_400_000), plans);
    expect([...included]).toEqual([['IW-SIGNED-ED', 'Joint Plus']]);
    const eligible = await eligibleCatalogue(catalogue, facts, new Map(), included);
    expect(eligible.notes.get('IW-SIGNED-ED')).toBe('Included with your Joint Plus membership.');
    const bundle = matchBenefitBundle(eligible.benefits, 'BASIC', [], { reserved: eligible.included });
    expect(bundle).toHaveLength(BUNDLE_SIZE.BASIC);
    expect(bundle.map((i) => i.benefit.code)).toContain('IW-SIGNED-ED');
    // Without the plan the benefit is neither eligible nor, by its low value, ranked in.
    const without = await eligibleCatalogue(catalogue, facts, new Map());
    expect(matchBenefitBundle(without.benefits, 'BASIC', []).map((i) => i.benefit.code)).not.toContain(
      'IW-SIGNED-ED',
    );
  });

  it('offers nothing once the period and its grace are over', () => {
    const later = new Date(T0.getTime() + 400 * 86_400_000);
    expect(planBenefitsAt(paid, later, plans).size).toBe(0);
  });
});

describe("a plan's multiplier as a campaign", () => {
  const period = paid.periods[0];
  const planAsCampaign = planCampaign(plan, period)!;
  const purchase = (partner: string) => ({
    activity: 'PURCHASE' as const,
    partner,
    category: 'health' as const,
    basePoints: 100,
  });

  it('acts on purchases at its partners only, for the period and its grace', () => {
    expect(campaignScopeMatches(planAsCampaign, purchase('pulsefit'))).toBe(true);
    expect(campaignScopeMatches(planAsCampaign, purchase('inkwell'))).toBe(false);
    expect(planAsCampaign.id).toBe('plan:joint-plus:mindspark:s1');
    expect(planAsCampaign.window.endsAt.getTime() - period.end.getTime()).toBe(7 * 86_400_000);
  });

  it('stacks with campaigns under the same cap', () => {
    const campaign = {
      ...planAsCampaign,
      id: 'double',
      priority: 5,
      actions: { ...planAsCampaign.actions, pointsMultiplier: 2 },
    } as Campaign;
    const awards = stackCampaigns([planAsCampaign, campaign], purchase('pulsefit'));
    expect(Object.fromEntries(awards.map((a) => [a.campaignId, a.points]))).toEqual({
      double: 100,
      'plan:joint-plus:mindspark:s1': 50,
    });
    const capped = { ...campaign, maxCombinedMultiplier: 2.2 };
    expect(stackCampaigns([planAsCampaign, capped], purchase('pulsefit')).map((a) => a.points)).toEqual([
      100, 20,
    ]);
    const exclusive = { ...campaign, stacking: 'EXCLUSIVE' as const };
    expect(
      stackCampaigns([planAsCampaign, exclusive], purchase('pulsefit')).map((a) => a.campaignId),
    ).toEqual(['double']);
  });

  it('is none for a plan without a multiplier', () => {
    expect(planCampaign({ ...plan, earning: null }, period)).toBeNull();
  });
});
