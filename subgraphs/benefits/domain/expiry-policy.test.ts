import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { ExpiryPolicy } from './expiry-policy.js';
import { SEED_EXPIRY_POLICY, expiresAtFor, expiryPolicySchema, expiryRule } from './expiry-policy.js';

const shanghai = createProgrammeCalendar('Asia/Shanghai');

describe('expiresAtFor with the seed policy (end of the month 12 months after availability)', () => {
  it('keeps points available on 26 June 2024 until the end of 30 June 2025, Shanghai time', () => {
    expect(expiresAtFor(new Date('2024-06-26T10:00:00Z'), SEED_EXPIRY_POLICY, shanghai)).toEqual(
      new Date('2025-06-30T16:00:00Z'), // 2025-07-01 00:00 in Shanghai
    );
  });

  it('uses the local month: 17:00 UTC on 30 June is already 1 July in Shanghai, so July 2025 ends them', () => {
    expect(expiresAtFor(new Date('2024-06-30T17:00:00Z'), SEED_EXPIRY_POLICY, shanghai)).toEqual(
      new Date('2025-07-31T16:00:00Z'),
    );
    expect(expiresAtFor(new Date('2024-06-30T15:59:59Z'), SEED_EXPIRY_POLICY, shanghai)).toEqual(
      new Date('2025-06-30T16:00:00Z'),
    );
  });

  it('handles February of a leap year and the turn of the year', () => {
    expect(expiresAtFor(new Date('2023-02-10T00:00:00Z'), SEED_EXPIRY_POLICY, shanghai)).toEqual(
      new Date('2024-02-29T16:00:00Z'),
    );
    expect(expiresAtFor(new Date('2024-12-31T15:00:00Z'), SEED_EXPIRY_POLICY, shanghai)).toEqual(
      new Date('2025-12-31T16:00:00Z'),
    );
  });
});

describe('other expiry rules', () => {
  it('ends at the end of the n-th local day after availability', () => {
    const policy: ExpiryPolicy = { rule: 'END_OF_DAY_AFTER_DAYS', days: 30, warnWithinDays: 7 };
    // Available 1 July 10:00 local → valid through 31 July local.
    expect(expiresAtFor(new Date('2025-07-01T02:00:00Z'), policy, shanghai)).toEqual(
      new Date('2025-07-31T16:00:00Z'),
    );
  });

  it('never expires with NEVER', () => {
    expect(
      expiryRule({ rule: 'NEVER', warnWithinDays: 30 }, shanghai)(new Date('2025-07-01T00:00:00Z')),
    ).toBeNull();
  });
});

describe('expiryPolicySchema', () => {
  it('accepts the seed keys', () => {
    expect(
      expiryPolicySchema.parse({ rule: 'END_OF_MONTH_AFTER_MONTHS', months: 12, warnWithinDays: 30 }),
    ).toEqual(SEED_EXPIRY_POLICY);
  });

  it('rejects unknown rules, missing counts and unknown keys', () => {
    expect(expiryPolicySchema.safeParse({ rule: 'YEARLY', warnWithinDays: 30 }).success).toBe(false);
    expect(
      expiryPolicySchema.safeParse({ rule: 'END_OF_MONTH_AFTER_MONTHS', warnWithinDays: 30 }).success,
    ).toBe(false);
    expect(expiryPolicySchema.safeParse({ rule: 'NEVER', warnWithinDays: 30, months: 12 }).success).toBe(
      false,
    );
    expect(
      expiryPolicySchema.safeParse({ rule: 'END_OF_MONTH_AFTER_MONTHS', months: 0, warnWithinDays: 30 })
        .success,
    ).toBe(false);
  });
});
