import { partnersConsentedFor } from '../domain/consent/consent-purposes.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { scoringMetrics } from '../../shared/domain/composite-score.js';
import { computeShareOfWallet } from '../../shared/domain/cross-brand-profile.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { DEFAULT_TIER_BANDS } from '../../shared/domain/tiers.js';
import { AppError, badInput } from '../../shared/errors.js';
import { validatePageSize } from '../../shared/argument-validation.js';
import type { ProfileContext } from '../context.js';
import type { MemberDocument } from '../data/member-model.js';
import type { IntelligenceModel, PartnerPurchaseDays } from '../domain/intelligence-model.js';
import {
  memberChurnRisk,
  memberLifetimeValue,
  memberRecommendations,
  memberRfm,
  memberSegment,
} from '../domain/member-intelligence.js';
import { explainRfm, explainSegment } from '../domain/intelligence-explanations.js';
import { tierProgress } from '../domain/tier-progress.js';
import { storedTierUnderConsent } from '../domain/tier-evaluation.js';
import { VALUE_FEATURE_NAMES } from '../domain/value-segments.js';
import { profileInputsOf } from './profile-inputs.js';
import { decodeAtRiskCursor, membersAtRiskPage } from '../data/members-at-risk.js';

export interface IntelligenceResolverDeps {
  registry: PartnerRegistry;
  /** The population model of the composite score (tier progress measures against it). */
  populationModel: PopulationModel;
  now: () => Date;
}

const MAX_RECOMMENDATIONS = 20;

function requireModel(ctx: ProfileContext): IntelligenceModel {
  const model = ctx.intelligence.current();
  if (!model) {
    throw new AppError(
      'MODEL_NOT_TRAINED',
      'Member intelligence is not available yet: the model has not been trained (`npm run train`).',
    );
  }
  return model;
}

/** Stored purchase days of the partners in `consented` only: a revoked brand leaves at once. */
async function consentedPurchaseDays(
  ctx: ProfileContext,
  memberId: string,
  consented: readonly string[],
): Promise<PartnerPurchaseDays[]> {
  const features = await ctx.intelligenceLoaders.featuresById.load(memberId);
  return (features?.purchaseDays ?? []).filter((p) => consented.includes(p.partner));
}

const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });

/** Member intelligence on the cross-brand profile, and the operators' views of the model. */
export function intelligenceResolvers({
  registry,
  populationModel,
  now,
}: IntelligenceResolverDeps): GraphQLResolverMap<ProfileContext> {
  const partnerNames = Object.fromEntries(registry.partners.map((p) => [p.key, p.displayName]));
  const currency = registry.partners[0]?.currency ?? 'CNY';

  const lifetimeValueOf = async (profile: unknown, ctx: ProfileContext) => {
    const model = requireModel(ctx);
    const inputs = profileInputsOf(profile);
    const days = await consentedPurchaseDays(ctx, inputs.memberId, inputs.consentedPartners);
    return { model, days, value: memberLifetimeValue(model, days) };
  };

  return {
    Query: {
      segments: (_: unknown, __: unknown, ctx: ProfileContext) => {
        const { valueSegments } = requireModel(ctx);
        return valueSegments.labels.map((label, i) => ({
          id: String(i),
          label,
          size: valueSegments.sizes[i],
          centroid: valueSegments.centroids[i],
          features: [...VALUE_FEATURE_NAMES],
        }));
      },
      membersAtRisk: async (
        _: unknown,
        args: { first: number; after?: string | null },
        ctx: ProfileContext,
      ) => {
        const first = validatePageSize(args.first);
        const after = args.after ? decodeAtRiskCursor(args.after) : null;
        const model = requireModel(ctx);
        // Listed as of training, then checked against today's consent: a brand since revoked no longer counts.
        return membersAtRiskPage(
          first,
          after,
          (limit, position) => ctx.intelligenceStore.highValueAtRisk(limit, position),
          async (candidates) => {
            const members = await ctx.loaders.memberById.loadMany(candidates.map((c) => c._id));
            return candidates.map((candidate, i) => {
              const member = members[i];
              if (!member || member instanceof Error) return null;
              const consented = consentedPartnersOf(member);
              const days = candidate.purchaseDays.filter((p) => consented.includes(p.partner));
              const risk = memberChurnRisk(model, days, memberLifetimeValue(model, days));
              if (!risk?.highValueAtRisk) return null;
              const spend = days.reduce((sum, p) => sum + p.days.reduce((s, [, v]) => s + v, 0), 0);
              return {
                member,
                probabilityAlive: risk.probabilityAlive,
                spend: money(spend, currency),
                valueAtRisk: money(risk.valueAtRiskMinor, currency),
              };
            });
          },
        );
      },
      intelligenceModel: (_: unknown, __: unknown, ctx: ProfileContext) => {
        const model = ctx.intelligence.current();
        return (
          model && {
            version: model.version,
            asOf: model.asOf,
            seed: model.seed,
            members: model.members,
            valueSegments: model.valueSegments.k,
            silhouette: model.valueSegments.silhouette,
          }
        );
      },
    },
    CrossBrandProfile: {
      intelligenceVersion: (_: unknown, __: unknown, ctx: ProfileContext) => requireModel(ctx).version,
      rfm: (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const model = requireModel(ctx);
        const rfm = memberRfm(model, profileInputsOf(profile).behaviours, now());
        return rfm && { ...rfm, explanation: explainRfm(rfm, model) };
      },
      segment: (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const model = requireModel(ctx);
        const segment = memberSegment(model, profileInputsOf(profile).behaviours, now());
        return { ...segment, explanation: explainSegment(segment, model) };
      },
      lifetimeValue: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const { value } = await lifetimeValueOf(profile, ctx);
        return (
          value && {
            expectedPurchases90d: value.expectedPurchases90d,
            probabilityAlive: value.probabilityAlive,
            expectedOrderValue: money(value.expectedOrderValueMinor, value.currency),
            clv12m: money(value.clv12mMinor, value.currency),
            asOf: value.asOf,
          }
        );
      },
      churnRisk: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const { model, days, value } = await lifetimeValueOf(profile, ctx);
        return memberChurnRisk(model, days, value);
      },
      recommendations: (profile: unknown, args: { first: number }, ctx: ProfileContext) => {
        if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_RECOMMENDATIONS) {
          throw badInput(
            `\`first\` must be between 1 and ${MAX_RECOMMENDATIONS}; got ${args.first}.`,
            'first',
          );
        }
        const model = requireModel(ctx);
        return memberRecommendations(
          model,
          profileInputsOf(profile).behaviours,
          now(),
          args.first,
          partnerNames,
        );
      },
      tierProgress: async (profile: unknown, _: unknown, ctx: ProfileContext) => {
        const { behaviours, memberId, consentedPartners } = profileInputsOf(profile);
        const top = computeShareOfWallet(behaviours)[0];
        // In a grace period the goal is to keep the held tier, not to reach the next one.
        const held = storedTierUnderConsent(
          await ctx.intelligenceLoaders.tierById.load(memberId),
          consentedPartners,
        );
        const progress = tierProgress(scoringMetrics(behaviours), populationModel, DEFAULT_TIER_BANDS, {
          partnerName: top ? partnerNames[top.partner] : undefined,
          heldTier: held?.code,
        });
        return {
          next: progress.next,
          score: progress.score,
          scoreGap: progress.scoreGap,
          extraSpend: progress.extraSpendMinor === null ? null : money(progress.extraSpendMinor, currency),
          hint: progress.hint,
        };
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}

function consentedPartnersOf(member: MemberDocument): string[] {
  return partnersConsentedFor(member.links, 'CROSS_BRAND_PROFILE');
}
