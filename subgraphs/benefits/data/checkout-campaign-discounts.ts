import type { CampaignServices } from './campaigns/campaign-services.js';
import type { CampaignDiscountOffer } from '../domain/checkout-discount.js';
import { campaignScopeMatches } from '../domain/campaigns/campaign-stacking.js';
import { campaignRunsAt } from '../domain/campaigns/campaign-window.js';
import { inControlGroup } from '../domain/campaigns/control-group.js';
import { evaluateRule } from '../domain/eligibility/evaluate-rule.js';

/**
 * The campaign discounts a member is offered at a partner's checkout now: campaigns with `discountPercent`
 * running at this instant, whose scope takes purchases at the partner (in any category: the checkout does
 * not name one), whose audience the member is in, and whose control group the member is not in.
 */
export async function campaignDiscountsAt(
  campaigns: CampaignServices,
  memberId: string,
  partner: string,
  at: Date,
): Promise<CampaignDiscountOffer[]> {
  const running = (await campaigns.store.runningSince(at)).filter(
    (c) =>
      c.actions.discountPercent &&
      campaignRunsAt(c, at, campaigns.calendar) &&
      campaignScopeMatches(c, { activity: 'PURCHASE', partner, category: null, basePoints: 0 }) &&
      !inControlGroup(c.id, memberId, c.controlShare),
  );
  if (running.length === 0) return [];
  const facts = running.some((c) => c.audience) ? await campaigns.facts.at(memberId, at) : null;
  const offers: CampaignDiscountOffer[] = [];
  for (const c of running) {
    if (c.audience && !(facts && (await evaluateRule(c.audience, facts)).passed)) continue;
    offers.push({
      campaignId: c.id,
      name: c.name,
      percent: c.actions.discountPercent!,
      priority: c.priority,
    });
  }
  return offers;
}
