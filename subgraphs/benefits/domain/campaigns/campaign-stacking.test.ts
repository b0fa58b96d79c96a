import type { Campaign } from './campaign.js';
import type { CampaignEvent } from './campaign-stacking.js';
import { campaignScopeMatches, stackCampaigns } from './campaign-stacking.js';

const campaign = (
  id: string,
  fields: Partial<Campaign> & { multiplier?: number; bonus?: number },
): Campaign =>
  ({
    id,
    name: id,
    partner: null,
    scope: { activities: ['PURCHASE'], partners: [], categories: [] },
    actions: {
      pointsMultiplier: fields.multiplier ?? null,
      bonusPoints: fields.bonus ?? null,
      unlocksBenefit: null,
      discountPercent: null,
    },
    priority: 0,
    stacking: 'STACKABLE',
    maxCombinedMultiplier: null,
    ...fields,
  }) as Campaign;

const purchase: CampaignEvent = {
  activity: 'PURCHASE',
  partner: 'pulsefit',
  category: 'health',
  basePoints: 100,
};
const points = (awards: ReturnType<typeof stackCampaigns>) =>
  Object.fromEntries(awards.map((a) => [a.campaignId, a.points]));

describe('stackCampaigns', () => {
  it('adds the extra parts of stackable multipliers: ×2 and ×1.5 make ×2.5', () => {
    expect(
      points(
        stackCampaigns([campaign('a', { multiplier: 2 }), campaign('b', { multiplier: 1.5 })], purchase),
      ),
    ).toEqual({
      a: 100,
      b: 50,
    });
  });

  it('caps the combined multiplier, the higher priority keeping its share first', () => {
    const awards = stackCampaigns(
      [
        campaign('low', { multiplier: 2, priority: 1 }),
        campaign('high', { multiplier: 2.5, priority: 5, maxCombinedMultiplier: 3 }),
      ],
      purchase,
    );
    expect(points(awards)).toEqual({ high: 150, low: 50 }); // ×3 in all, not ×3.5
    // With no cap stated, the programme's default of ×3 holds.
    expect(
      stackCampaigns([campaign('a', { multiplier: 3 }), campaign('b', { multiplier: 3 })], purchase).reduce(
        (s, a) => s + a.points,
        0,
      ),
    ).toBe(200);
  });

  it('applies an exclusive campaign alone when it has the highest priority, and drops lower exclusives', () => {
    const exclusive = campaign('x', { multiplier: 3, priority: 10, stacking: 'EXCLUSIVE' });
    const other = campaign('s', { multiplier: 2, priority: 1 });
    expect(points(stackCampaigns([other, exclusive], purchase))).toEqual({ x: 200 });
    const lowExclusive = campaign('x', { multiplier: 3, priority: 0, stacking: 'EXCLUSIVE' });
    const higher = campaign('s', { multiplier: 2, priority: 1 });
    expect(points(stackCampaigns([lowExclusive, higher], purchase))).toEqual({ s: 100 });
  });

  it('adds bonus points outside the cap, and breaks priority ties by id (deterministic)', () => {
    const awards = stackCampaigns([campaign('b', { bonus: 30 }), campaign('a', { multiplier: 4 })], purchase);
    expect(awards.map((a) => [a.campaignId, a.multiplierPoints, a.bonusPoints])).toEqual([
      ['a', 200, 0],
      ['b', 0, 30],
    ]);
  });

  it('rounds each share down to whole points', () => {
    expect(
      points(stackCampaigns([campaign('a', { multiplier: 1.15 })], { ...purchase, basePoints: 33 })),
    ).toEqual({ a: 4 });
  });
});

describe('campaignScopeMatches', () => {
  it('matches activities, partners (a partner campaign its own only) and categories', () => {
    const joint = campaign('j', { multiplier: 2 });
    expect(campaignScopeMatches(joint, purchase)).toBe(true);
    expect(campaignScopeMatches(joint, { ...purchase, activity: 'INTERACTION' })).toBe(false);
    const own = { ...joint, partner: 'mindspark' };
    expect(campaignScopeMatches(own, purchase)).toBe(false);
    expect(campaignScopeMatches(own, { ...purchase, partner: 'mindspark' })).toBe(true);
    const arts = { ...joint, scope: { ...joint.scope, categories: ['arts' as const] } };
    expect(campaignScopeMatches(arts, purchase)).toBe(false);
    expect(campaignScopeMatches(arts, { ...purchase, category: null })).toBe(false);
  });
});
