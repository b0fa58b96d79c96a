import {
  SEED_CONFIG_EXTENSION,
  benefitExtensionSchema,
  earningRulesExtensionSchema,
  partnerExtensionSchema,
  registryExtensionSchema,
} from './programme-config-extension.js';

/** The exact JSON proposed for the configuration files: each block must pass its schema as written. */
const EARNING_RULES_KEYS = `{
  "expiry": { "rule": "END_OF_MONTH_AFTER_MONTHS", "months": 12, "warnWithinDays": 30 },
  "checkout": {
    "pointsPerMinorUnit": 1,
    "maxPointsShareBasisPoints": 10000,
    "tierDiscountBasisPoints": { "DIAMOND": 1000, "GOLD": 500 }
  }
}`;
const REGISTRY_KEYS = `{ "programmeTimeZone": "Asia/Shanghai" }`;
const PARTNER_KEYS = `{
  "checkout": { "acceptsPoints": true, "maxPointsShareBasisPoints": 10000 },
  "settlement": {
    "fundingRate": { "minor": 1, "points": 1 },
    "reimbursementRate": { "minor": 1, "points": 1 }
  }
}`;
const BENEFIT_KEYS = `{
  "redemption": {
    "pointsCost": 4000,
    "pointsCostByTier": { "DIAMOND": 0 },
    "stock": { "total": 500, "perPeriod": { "limit": 50, "period": "MONTH" } },
    "perMemberLimit": { "count": 1, "period": "MONTH" },
    "validFrom": "2025-07-01",
    "validUntil": "2025-12-31",
    "voucherValidDays": 30
  }
}`;

describe('proposed configuration keys', () => {
  it('parse as written, and the seed values are those of the proposal', () => {
    expect(earningRulesExtensionSchema.parse(JSON.parse(EARNING_RULES_KEYS))).toEqual(
      SEED_CONFIG_EXTENSION.earningRules,
    );
    expect(registryExtensionSchema.parse(JSON.parse(REGISTRY_KEYS))).toEqual(SEED_CONFIG_EXTENSION.registry);
    expect(partnerExtensionSchema.parse(JSON.parse(PARTNER_KEYS)).settlement).toEqual(
      SEED_CONFIG_EXTENSION.partner.settlement,
    );
    expect(benefitExtensionSchema.parse(JSON.parse(BENEFIT_KEYS)).redemption?.pointsCost).toBe(4000);
  });

  it('leave the partner and benefit keys optional', () => {
    expect(partnerExtensionSchema.parse({})).toEqual({});
    expect(benefitExtensionSchema.parse({})).toEqual({});
  });

  it('reject an unknown time zone and unknown keys', () => {
    expect(registryExtensionSchema.safeParse({ programmeTimeZone: 'China/Beijing' }).success).toBe(false);
    expect(
      earningRulesExtensionSchema.safeParse({ ...JSON.parse(EARNING_RULES_KEYS), pointsValue: 1 }).success,
    ).toBe(false);
  });
});
