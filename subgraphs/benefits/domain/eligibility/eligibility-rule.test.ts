import { RuleValidationError, parseEligibilityRule } from './eligibility-rule.js';
import { errorThrownBy } from '../../../../test/thrown-error.js';

const refusal = (raw: unknown): string =>
  errorThrownBy(() => parseEligibilityRule(raw, 'R1'), RuleValidationError).message;

describe('parseEligibilityRule', () => {
  it('accepts a rule over every fact, nested with all, any and not', () => {
    const rule = {
      all: [
        { fact: 'tier', operator: 'in', value: ['GOLD', 'DIAMOND'] },
        { fact: 'segment', operator: 'notIn', value: ['lapsed', 'at risk'] },
        { fact: 'compositeScore', operator: 'greaterThanInclusive', value: 70 },
        {
          any: [
            { fact: 'affinity', params: { category: 'health' }, operator: 'greaterThan', value: 0.2 },
            { fact: 'brandsActive', operator: 'contains', value: 'pulsefit' },
          ],
        },
        { not: { fact: 'consentedPartners', operator: 'doesNotContain', value: 'inkwell' } },
        {
          fact: 'activity',
          params: { type: 'login', period: 'MONTH' },
          operator: 'greaterThanInclusive',
          value: 10,
        },
      ],
    };
    expect(parseEligibilityRule(rule, 'R1')).toEqual(rule);
    expect(parseEligibilityRule(JSON.stringify(rule), 'R1')).toEqual(rule);
  });

  it('names the rule and the path of the fault', () => {
    expect(
      refusal({
        all: [
          { fact: 'tier', operator: 'equal', value: 'GOLD' },
          { fact: 'tier', operator: 'equal', value: 'GOLDEN' },
        ],
      }),
    ).toMatch(/^Rule "R1": at all\.1\.value: /);
    expect(refusal({ all: [{ fact: 'compositeScore', operator: 'contains', value: 5 }] })).toMatch(
      /^Rule "R1": at all\.0\.operator: /,
    );
    expect(
      refusal({
        any: [{ fact: 'activity', params: { type: 'login', period: 'YEAR' }, operator: 'equal', value: 1 }],
      }),
    ).toMatch(/^Rule "R1": at any\.0\.params\.period: /);
    expect(refusal({ all: [{ fact: 'wealth', operator: 'equal', value: 1 }] })).toMatch(
      /^Rule "R1": at all\.0\.fact: /,
    );
  });

  it('refuses lists given to one-value operators and single values to list operators', () => {
    expect(refusal({ fact: 'tier', operator: 'in', value: 'GOLD' })).toMatch(
      /at value: .*`in` and `notIn` take a list/,
    );
    expect(refusal({ fact: 'tier', operator: 'equal', value: ['GOLD'] })).toMatch(/at value: /);
    expect(refusal({ fact: 'segment', operator: 'in', value: 'high value' })).toMatch(
      /at value: .*`in` and `notIn` take a list of segment labels/,
    );
    expect(refusal({ fact: 'segment', operator: 'equal', value: '' })).toMatch(/at value: /);
    expect(refusal({ fact: 'segment', operator: 'greaterThan', value: 'high value' })).toMatch(
      /at operator: /,
    );
  });

  it('refuses text that is not JSON, empty groups, unknown keys, and rules too deep', () => {
    expect(refusal('{ all: [')).toMatch(/^Rule "R1": at \(rule\): not JSON/);
    expect(refusal({ all: [] })).toMatch(/at all: /);
    expect(refusal({ fact: 'tier', operator: 'equal', value: 'GOLD', path: '$.x' })).toMatch(
      /^Rule "R1": at /,
    );
    let deep: unknown = { fact: 'tier', operator: 'equal', value: 'GOLD' };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expect(refusal(deep)).toMatch(/nests 7 levels; at most 5/);
  });

  it('refuses an activity count that is negative or fractional, and an affinity above 1', () => {
    const activity = (value: number) => ({
      fact: 'activity',
      params: { type: 'interaction', period: 'DAY' },
      operator: 'greaterThanInclusive',
      value,
    });
    expect(refusal(activity(-1))).toMatch(/at value: /);
    expect(refusal(activity(2.5))).toMatch(/at value: /);
    expect(
      refusal({ fact: 'affinity', params: { category: 'arts' }, operator: 'greaterThan', value: 1.5 }),
    ).toMatch(/at value: /);
  });
});
