import type { RuleCondition } from './eligibility-rule.js';
import { parseEligibilityRule } from './eligibility-rule.js';
import { evaluateRule } from './evaluate-rule.js';
import type { MemberFacts } from './member-facts.js';
import { activityCount, memberFacts } from './member-facts.js';

const facts: MemberFacts = memberFacts(
  {
    tier: { code: 'GOLD', name: 'Gold', minScore: 80 },
    composite: { score: 84.5, spendPercentile: 90, activityPercentile: 75, interactionPercentile: 70 },
    affinities: [
      { category: 'health', share: 0.6 },
      { category: 'technology', share: 0.4 },
    ],
    brandsActive: ['mindspark', 'pulsefit'],
  } as never,
  ['mindspark', 'pulsefit'],
  {
    DAY: { mindspark: { interaction: 5, login: 1 }, starlight: { interaction: 9 } },
    WEEK: { mindspark: { interaction: 7, login: 4 } },
    MONTH: { mindspark: { login: 8, purchase: 2 }, pulsefit: { login: 4, browse: 500 } },
  },
  'high value',
);

const rule = (raw: unknown): RuleCondition => parseEligibilityRule(raw, 'test');
const passes = async (raw: unknown): Promise<boolean> => (await evaluateRule(rule(raw), facts)).passed;

describe('member facts', () => {
  it('count activity only at partners the member shares with', () => {
    expect(activityCount(facts, 'interaction', 'DAY')).toBe(5); // starlight is not consented
    expect(activityCount(facts, 'login', 'MONTH')).toBe(12);
    expect(activityCount(facts, 'login', 'MONTH', 'pulsefit')).toBe(4);
    expect(activityCount(facts, 'purchase', 'WEEK')).toBe(0);
  });
});

describe('evaluateRule', () => {
  it.each([
    ['equal', 84.5, true],
    ['equal', 84, false],
    ['notEqual', 84, true],
    ['lessThan', 84.5, false],
    ['lessThanInclusive', 84.5, true],
    ['greaterThan', 84.5, false],
    ['greaterThanInclusive', 84.5, true],
  ])('compositeScore %s %d is %s', async (operator, value, expected) => {
    expect(await passes({ fact: 'compositeScore', operator, value })).toBe(expected);
  });

  it.each([
    ['equal', 'GOLD', true],
    ['notEqual', 'GOLD', false],
    ['in', ['DIAMOND', 'GOLD'], true],
    ['notIn', ['DIAMOND', 'GOLD'], false],
    ['in', ['BASIC'], false],
  ])('tier %s %j is %s', async (operator, value, expected) => {
    expect(await passes({ fact: 'tier', operator, value })).toBe(expected);
  });

  it.each([
    ['equal', 'high value', true],
    ['equal', 'lapsed', false],
    ['notEqual', 'high value', false],
    ['in', ['lapsed', 'high value'], true],
    ['notIn', ['lapsed'], true],
  ])('segment %s %j is %s', async (operator, value, expected) => {
    expect(await passes({ fact: 'segment', operator, value })).toBe(expected);
  });

  it('treats a member without a trained segment as in no segment', async () => {
    const unsegmented: MemberFacts = { ...facts, segment: null };
    const inSegment = rule({ fact: 'segment', operator: 'in', value: ['high value', 'lapsed'] });
    const outside = rule({ fact: 'segment', operator: 'notIn', value: ['high value'] });
    expect((await evaluateRule(inSegment, unsegmented)).passed).toBe(false);
    expect((await evaluateRule(outside, unsegmented)).passed).toBe(true);
    expect(
      await evaluateRule(rule({ fact: 'segment', operator: 'equal', value: 'high value' }), facts),
    ).toEqual({
      passed: true,
      reasons: ['segment high value = high value'],
    });
  });

  it.each([
    ['brandsActive', 'contains', 'pulsefit', true],
    ['brandsActive', 'doesNotContain', 'pulsefit', false],
    ['consentedPartners', 'contains', 'starlight', false],
    ['consentedPartners', 'doesNotContain', 'starlight', true],
  ])('%s %s %s is %s', async (fact, operator, value, expected) => {
    expect(await passes({ fact, operator, value })).toBe(expected);
  });

  it('reads affinity and activity counts through their parameters', async () => {
    const affinity = (category: string, value: number) => ({
      fact: 'affinity',
      params: { category },
      operator: 'greaterThanInclusive',
      value,
    });
    expect(await passes(affinity('health', 0.6))).toBe(true);
    expect(await passes(affinity('arts', 0.01))).toBe(false);
    const logins = (value: number, partner?: string) => ({
      fact: 'activity',
      params: { type: 'login', period: 'MONTH', ...(partner ? { partner } : {}) },
      operator: 'greaterThanInclusive',
      value,
    });
    expect(await passes(logins(10))).toBe(true); // "at least 10 logins a month"
    expect(await passes(logins(5, 'pulsefit'))).toBe(false);
    expect(
      await passes({
        fact: 'activity',
        params: { type: 'interaction', period: 'DAY' },
        operator: 'greaterThanInclusive',
        value: 5,
      }),
    ).toBe(true); // "5 interactions a day"
  });

  it('combines with all, any and not, and says which conditions decided', async () => {
    const gold10Logins = rule({
      all: [
        { fact: 'tier', operator: 'in', value: ['GOLD', 'DIAMOND'] },
        {
          fact: 'activity',
          params: { type: 'login', period: 'MONTH' },
          operator: 'greaterThanInclusive',
          value: 10,
        },
      ],
    });
    expect(await evaluateRule(gold10Logins, facts)).toEqual({
      passed: true,
      reasons: ['tier GOLD in GOLD, DIAMOND', 'login this MONTH 12 ≥ 10'],
    });
    const notGold = rule({ not: { fact: 'tier', operator: 'equal', value: 'GOLD' } });
    expect(await evaluateRule(notGold, facts)).toEqual({ passed: false, reasons: ['tier GOLD = GOLD'] });
    const either = rule({
      any: [
        { fact: 'compositeScore', operator: 'greaterThan', value: 95 },
        { fact: 'brandsActive', operator: 'contains', value: 'mindspark' },
      ],
    });
    expect(await evaluateRule(either, facts)).toMatchObject({
      passed: true,
      reasons: ['brandsActive [mindspark, pulsefit] includes mindspark'],
    });
    const neither = rule({ any: [{ fact: 'compositeScore', operator: 'greaterThan', value: 95 }] });
    expect(await evaluateRule(neither, facts)).toEqual({
      passed: false,
      reasons: ['not compositeScore 84.5 > 95'],
    });
  });

  it('gives the same answer when one rule is evaluated for many members at once', async () => {
    const gold = rule({ fact: 'tier', operator: 'equal', value: 'GOLD' });
    const basic: MemberFacts = { ...facts, tier: 'BASIC' };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => evaluateRule(gold, i % 2 ? basic : facts)),
    );
    expect(outcomes.map((o) => o.passed)).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
  });
});
