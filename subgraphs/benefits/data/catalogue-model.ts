import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { RuleCondition } from '../domain/eligibility/eligibility-rule.js';
import { parseEligibilityRule } from '../domain/eligibility/eligibility-rule.js';
import type { CatalogueBenefit } from '../domain/match-benefit-bundle.js';
import type { RedemptionSeed } from '../domain/redemption-terms.js';
import {
  requiredString,
  requiredNumber,
  nullableString,
  nullableNumber,
  nullableMixed,
} from '../../shared/db/schema-fields.js';

export interface BenefitDocument extends Omit<CatalogueBenefit, 'code'> {
  _id: string;
  description?: string | null;
  costMinor: number;
  currency: string;
  /** Eligibility besides the tier list (null: the tier list alone decides). */
  rule?: RuleCondition | null;
  /** How members redeem it with points (the registry's `redemption` key); null: the defaults. */
  redemption?: RedemptionSeed | null;
}

const benefitSchema = new Schema<BenefitDocument>(
  {
    _id: requiredString,
    partner: requiredString,
    title: requiredString,
    description: nullableString,
    type: requiredString,
    category: requiredString,
    eligibleTiers: { type: [String], required: true },
    valueMinor: nullableNumber,
    percentOff: nullableNumber,
    costMinor: requiredNumber,
    currency: requiredString,
    exclusivityGroup: nullableString,
    rule: nullableMixed,
    redemption: nullableMixed,
  },
  { collection: 'benefits', versionKey: false },
);
benefitSchema.index({ partner: 1, _id: 1 });

export type BenefitModel = Model<BenefitDocument>;

export function benefitModel(connection: Connection): BenefitModel {
  return connection.model<BenefitDocument>('Benefit', benefitSchema);
}

export const toCatalogueBenefit = (doc: BenefitDocument): CatalogueBenefit => ({ ...doc, code: doc._id });

/**
 * Brings the catalogue in line with the partner registry (idempotent: safe on every start). A benefit's rule
 * is validated here, before anything is written: a bad rule stops start-up naming the benefit and the path.
 */
export async function syncCatalogueFromRegistry(
  Benefit: BenefitModel,
  registry: PartnerRegistry,
): Promise<number> {
  const ops = registry.partners.flatMap((partner) =>
    partner.benefits.map((b) => ({
      replaceOne: {
        filter: { _id: b.code },
        replacement: {
          _id: b.code,
          partner: partner.key,
          title: b.title,
          description: b.description ?? null,
          type: b.type,
          category: b.category,
          eligibleTiers: b.eligibleTiers,
          valueMinor: b.valueMinor ?? null,
          percentOff: b.percentOff ?? null,
          costMinor: b.costMinor,
          currency: partner.currency,
          exclusivityGroup: b.exclusivityGroup ?? null,
          rule: b.rule === undefined ? null : parseEligibilityRule(b.rule, `benefit ${b.code}`),
          redemption: b.redemption ?? null,
        },
        upsert: true,
      },
    })),
  );
  await Benefit.bulkWrite(ops, { ordered: false });
  return ops.length;
}
