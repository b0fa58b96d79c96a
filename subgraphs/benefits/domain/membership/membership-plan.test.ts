import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartnerRegistryError, validatePartnerRegistry } from '../../../shared/config/partner-registry.js';
import type { MembershipPlan } from './membership-plan.js';
import { membershipPlanSchema, planPriceFor } from './membership-plan.js';

const plan: MembershipPlan = membershipPlanSchema.parse({
  id: 'joint-plus',
  name: 'Joint Plus',
  period: 'YEAR',
  currency: 'CNY',
  priceBands: [
    { minScore: 0, priceMinor: 29900 },
    { minScore: 60, priceMinor: 19900 },
    { minScore: 80, priceMinor: 9900 },
  ],
  soldBy: 'mindspark',
});

describe('planPriceFor', () => {
  it.each([
    [0, 29900],
    [59.9, 29900],
    [60, 19900],
    [79.99, 19900],
    [80, 9900],
    [100, 9900],
  ])('prices score %p at %p', (score, price) => {
    expect(planPriceFor(plan, score).priceMinor).toBe(price);
  });

  it('names the score, the band reached and the next band in the reason', () => {
    expect(planPriceFor(plan, 65).reason).toBe(
      'Joint Plus costs CNY 199.00 a year: your composite score 65 reaches 60; from a score of 80 it is CNY 99.00.',
    );
    expect(planPriceFor(plan, 12.34).reason).toBe(
      'Joint Plus costs CNY 299.00 a year: your composite score is 12.3; from a score of 60 it is CNY 199.00.',
    );
    expect(planPriceFor(plan, 91).reason).toBe(
      'Joint Plus costs CNY 99.00 a year: your composite score 91 reaches 80.',
    );
  });

  it('charges the first band when the score is not known yet, and says so', () => {
    const price = planPriceFor(plan, null);
    expect(price.priceMinor).toBe(29900);
    expect(price.reason).toContain('not known yet');
  });

  it('fills in the defaults', () => {
    expect(plan).toMatchObject({
      trialDays: 0,
      graceDays: 7,
      coolingOffDays: 14,
      benefits: [],
      earning: null,
    });
  });
});

describe('membership plans in the registry', () => {
  const registryPath = join(__dirname, '../../../../schema/partners.json');
  const raw = () =>
    JSON.parse(readFileSync(registryPath, 'utf8')) as { membershipPlans: Record<string, unknown>[] };
  const errorFor = (registry: unknown): string => {
    try {
      validatePartnerRegistry(registry);
    } catch (error) {
      expect(error).toBeInstanceOf(PartnerRegistryError);
      return (error as Error).message;
    }
    throw new Error('expected the registry to be rejected');
  };

  it('loads the committed plans', () => {
    const registry = validatePartnerRegistry(raw());
    expect(registry.membershipPlans.map((p) => p.id)).toEqual(['joint-plus', 'fit-pass-monthly']);
  });

  it('names the plan and the key of a malformed plan', () => {
    const registry = raw();
    registry.membershipPlans[0].priceBands = [{ minScore: 10, priceMinor: 100 }];
    expect(errorFor(registry)).toContain(
      'membership plan "joint-plus", key "priceBands": the first band must start at minScore 0',
    );
    const unordered = raw();
    unordered.membershipPlans[1].priceBands = [
      { minScore: 0, priceMinor: 100 },
      { minScore: 0, priceMinor: 50 },
    ];
    expect(errorFor(unordered)).toContain('membership plan "fit-pass-monthly", key "priceBands"');
    const extra = raw();
    extra.membershipPlans[0].colour = 'gold';
    expect(errorFor(extra)).toContain('membership plan "joint-plus", key "(entry)"');
  });

  it('refuses partners and benefit codes the registry does not know', () => {
    const registry = raw();
    registry.membershipPlans[0].soldBy = 'nowhere';
    registry.membershipPlans[0].benefits = ['NO-SUCH-CODE'];
    const message = errorFor(registry);
    expect(message).toContain('membership plan "joint-plus", key "soldBy": "nowhere" is not a partner');
    expect(message).toContain(
      'membership plan "joint-plus", key "benefits": NO-SUCH-CODE is not a benefit code',
    );
  });

  it('refuses a plan listed twice', () => {
    const registry = raw();
    registry.membershipPlans.push(registry.membershipPlans[0]);
    expect(errorFor(registry)).toContain('membership plan "joint-plus" is listed twice');
  });
});
