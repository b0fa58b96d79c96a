import type { JointCategory } from '../../../shared/domain/joint-categories.js';
import type { Campaign, CampaignActivity } from './campaign.js';

/** With no cap stated by the campaigns that apply together, their combined multiplier stops here. */
export const DEFAULT_MAX_COMBINED_MULTIPLIER = 3;

/** What a campaign needs to know about an event to decide whether it acts on it. */
export interface CampaignEvent {
  activity: CampaignActivity;
  partner: string;
  category: JointCategory | null;
  /** The points the event earns under the earning rules, before any campaign. */
  basePoints: number;
}

export interface CampaignAward {
  campaignId: string;
  /** The part of the multiplier this campaign adds (factor − 1, after the cap). */
  addedMultiplier: number;
  multiplierPoints: number;
  bonusPoints: number;
  /** What the campaign would issue for the event, before its budgets. */
  points: number;
}

/** Whether the event is of an activity, partner and category the campaign acts on. */
export function campaignScopeMatches(
  campaign: Pick<Campaign, 'scope' | 'partner'>,
  event: CampaignEvent,
): boolean {
  const { activities, partners, categories } = campaign.scope;
  if (!activities.includes(event.activity)) return false;
  const allowedPartners = partners.length > 0 ? partners : campaign.partner ? [campaign.partner] : [];
  if (allowedPartners.length > 0 && !allowedPartners.includes(event.partner)) return false;
  return categories.length === 0 || (event.category !== null && categories.includes(event.category));
}

const byPriority = (a: Campaign, b: Campaign): number => b.priority - a.priority || a.id.localeCompare(b.id);

/**
 * The campaigns that act together on one event, and what each adds. Highest priority first: an exclusive
 * campaign at the top applies alone; otherwise every stackable campaign applies and exclusive ones below do
 * not. Multipliers add their extra parts (×2 and ×1.5 make ×2.5), capped at the lowest
 * `maxCombinedMultiplier` among them (default 3), the higher priorities keeping their share first. Bonus
 * points are fixed amounts, outside the cap. Points are whole: each campaign's share is rounded down.
 */
export function stackCampaigns(treated: readonly Campaign[], event: CampaignEvent): CampaignAward[] {
  const ordered = [...treated].sort(byPriority);
  if (ordered.length === 0) return [];
  const applied =
    ordered[0].stacking === 'EXCLUSIVE' ? [ordered[0]] : ordered.filter((c) => c.stacking === 'STACKABLE');
  const cap = Math.min(
    DEFAULT_MAX_COMBINED_MULTIPLIER,
    ...applied.map((c) => c.maxCombinedMultiplier ?? DEFAULT_MAX_COMBINED_MULTIPLIER),
  );
  let room = Math.max(0, cap - 1);
  return applied
    .map((campaign) => {
      const wanted = Math.max(0, (campaign.actions.pointsMultiplier ?? 1) - 1);
      const added = Math.min(wanted, room);
      room -= added;
      // Factors have at most two decimals: scale to whole hundredths so 0.1 + 0.2 style errors cannot round a point away.
      const multiplierPoints = Math.floor((Math.max(0, event.basePoints) * Math.round(added * 100)) / 100);
      const bonusPoints = campaign.actions.bonusPoints ?? 0;
      return {
        campaignId: campaign.id,
        addedMultiplier: added,
        multiplierPoints,
        bonusPoints,
        points: multiplierPoints + bonusPoints,
      };
    })
    .filter((award) => award.points > 0);
}
