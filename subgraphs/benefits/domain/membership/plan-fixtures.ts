import type { MembershipPlan } from './membership-plan.js';
import { membershipPlanSchema } from './membership-plan.js';

/** A yearly plan for tests: CNY 299.00, CNY 99.00 from score 80, sold by mindspark; `fields` override. */
export function yearlyPlan(fields: Record<string, unknown> = {}): MembershipPlan {
  return membershipPlanSchema.parse({
    id: 'joint-plus',
    name: 'Joint Plus',
    period: 'YEAR',
    currency: 'CNY',
    priceBands: [
      { minScore: 0, priceMinor: 29900 },
      { minScore: 80, priceMinor: 9900 },
    ],
    soldBy: 'mindspark',
    ...fields,
  });
}
