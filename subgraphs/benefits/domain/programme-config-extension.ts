import { z } from 'zod';
import { PROGRAMME_TIME_ZONE, isKnownTimeZone } from '../../shared/domain/programme-calendar.js';
import { SEED_CHECKOUT_RULES, checkoutRulesSchema, partnerCheckoutSchema } from './checkout-terms.js';
import { SEED_EXPIRY_POLICY, expiryPolicySchema } from './expiry-policy.js';
import { redemptionSeedSchema } from './redemption-terms.js';
import { SEED_PARTNER_SETTLEMENT, partnerSettlementSchema } from './settlement-terms.js';

/**
 * The configuration keys the points wallet, redemptions, checkout and settlement read, grouped by the file
 * they belong in, so the start-up validation of each file can extend its schema with them. Each key's
 * meaning is documented on its own schema.
 */

export const timeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' });

/** New keys of schema/earning-rules.json (programme-wide rules). */
export const earningRulesExtensionSchema = z
  .object({ expiry: expiryPolicySchema, checkout: checkoutRulesSchema })
  .strict();

/** New top-level key of schema/partners.json (the registry): the zone of every calendar rule. */
export const registryExtensionSchema = z.object({ programmeTimeZone: timeZoneSchema }).strict();

/** New keys of a partner in schema/partners.json; both optional (defaults: programme terms, seed rates). */
export const partnerExtensionSchema = z
  .object({ checkout: partnerCheckoutSchema.optional(), settlement: partnerSettlementSchema.optional() })
  .strict();

/** New key of a benefit in schema/partners.json. */
export const benefitExtensionSchema = z.object({ redemption: redemptionSeedSchema.optional() }).strict();

/** The seed values, as they would be written into the files. */
export const SEED_CONFIG_EXTENSION = {
  earningRules: { expiry: SEED_EXPIRY_POLICY, checkout: SEED_CHECKOUT_RULES },
  registry: { programmeTimeZone: PROGRAMME_TIME_ZONE },
  partner: { settlement: SEED_PARTNER_SETTLEMENT },
} as const;
