import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import {
  analyticsWindow,
  monthKeysOf,
  programmeAnalyticsKeyResolvers,
} from '../../shared/domain/analytics-window.js';
import { createProgrammeCalendar, formatMonthKey } from '../../shared/domain/programme-calendar.js';
import type { BenefitsContext } from '../context.js';
import type { RedemptionAnalytics } from '../data/redemption-analytics.js';
import { penetrationBuckets, pointsAnalytics, retentionCohorts } from '../domain/programme-analytics.js';

/** The fields of `schema/benefits/analytics.graphql`: programme figures from the points ledger. */
type AnalyticsParent = AnalyticsWindow;

export function analyticsResolvers(options: {
  registry: PartnerRegistry;
  redemptions: RedemptionAnalytics;
}): GraphQLResolverMap<BenefitsContext> {
  const calendar = createProgrammeCalendar();
  const monthKeyOf = (at: Date) => formatMonthKey(calendar.localDateTime(at));
  const parent = (p: AnalyticsParent) => ({ ...p, months: monthKeysOf(p, monthKeyOf) });
  return {
    Query: {
      programmeAnalytics: (_: unknown, args: { from: unknown; to: unknown }): AnalyticsParent =>
        analyticsWindow(args.from, args.to),
    },
    ProgrammeAnalytics: {
      ...programmeAnalyticsKeyResolvers,
      partners: () => options.registry.partners.map((p) => p.key),
      crossBrandPenetration: async (p: AnalyticsParent, _: unknown, ctx: BenefitsContext) =>
        penetrationBuckets(await ctx.analytics.penetration(p), options.registry.partners.length),
      retentionCohorts: async (p: AnalyticsParent, _: unknown, ctx: BenefitsContext) => {
        const { months } = parent(p);
        return retentionCohorts(await ctx.analytics.cohortActivity(p, months[0]), months);
      },
      points: async (p: AnalyticsParent, _: unknown, ctx: BenefitsContext) =>
        pointsAnalytics(await ctx.analytics.pointsByKindAndMonth(p), parent(p).months),
      redemptions: async (p: AnalyticsParent, _: unknown, ctx: BenefitsContext) => {
        const rows = await options.redemptions.perBenefit(p);
        const benefits = await ctx.loaders.benefitById.loadMany(rows.map((r) => r.benefitId));
        // A benefit since removed from the catalogue cannot be shown as one: its row is left out.
        return rows.flatMap((row, i) => {
          const benefit = benefits[i];
          return benefit && !(benefit instanceof Error) ? [{ ...row, benefit }] : [];
        });
      },
    },
  };
}
