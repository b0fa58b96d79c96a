import { CampaignInputError, campaignTermsFromInput } from './campaign-input.js';
import { errorThrownBy } from '../../../../test/thrown-error.js';

const valid = {
  name: 'Member day ×2',
  startsAt: '2026-12-01T00:00:00+08:00',
  endsAt: '2027-12-01T00:00:00+08:00',
  recurrence: { dayOfMonth: 18 },
  activities: ['PURCHASE'],
  pointsMultiplier: 2,
  budgetPoints: 1_000_000,
};

const fault = (input: unknown): string =>
  errorThrownBy(() => campaignTermsFromInput(input), CampaignInputError).message;

describe('campaignTermsFromInput', () => {
  it('turns a valid input into terms with defaults', () => {
    expect(campaignTermsFromInput(valid)).toMatchObject({
      partner: null,
      window: { recurrence: { dayOfMonth: 18 }, startsAt: new Date('2026-11-30T16:00:00Z') },
      scope: { activities: ['PURCHASE'], partners: [], categories: [] },
      actions: { pointsMultiplier: 2, bonusPoints: null },
      budget: { totalPoints: 1_000_000, perMemberPoints: null },
      priority: 0,
      stacking: 'STACKABLE',
      controlShare: 0,
      audience: null,
    });
  });

  it('names the field at fault', () => {
    expect(fault({ ...valid, endsAt: '2026-11-01T00:00:00Z' })).toMatch(
      /^input\.endsAt: must be after startsAt/,
    );
    expect(fault({ ...valid, startsAt: '2026-12-01' })).toMatch(
      /^input\.startsAt: must be an ISO-8601 instant/,
    );
    expect(fault({ ...valid, recurrence: { dayOfMonth: 18, weekday: 5 } })).toMatch(
      /^input\.recurrence: give either/,
    );
    expect(fault({ ...valid, recurrence: { dayOfMonth: 32 } })).toMatch(/^input\.recurrence\.dayOfMonth/);
    expect(fault({ ...valid, controlShare: 0.9 })).toMatch(/^input\.controlShare/);
    expect(fault({ ...valid, pointsMultiplier: 1 })).toMatch(/a campaign needs an action/);
    expect(fault({ ...valid, pointsMultiplier: 2.005 })).toMatch(/^input\.pointsMultiplier/);
    expect(fault({ ...valid, endsAt: '2029-12-01T00:00:00Z' })).toMatch(/at most 731 days/);
  });

  it('validates the audience rule and names the rule and path', () => {
    expect(
      campaignTermsFromInput({
        ...valid,
        audienceRule: '{"fact":"tier","operator":"in","value":["GOLD","DIAMOND"]}',
      }).audience,
    ).toEqual({ fact: 'tier', operator: 'in', value: ['GOLD', 'DIAMOND'] });
    expect(
      fault({ ...valid, audienceRule: '{"all":[{"fact":"tier","operator":"in","value":"GOLD"}]}' }),
    ).toMatch(/^input\.audienceRule: Rule "Member day ×2": at all\.0\.value: /);
  });
});
