import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import { monthKeysOf, programmeAnalyticsKeyResolvers } from '../../shared/domain/analytics-window.js';
import {
  PROGRAMME_TIME_ZONE,
  createProgrammeCalendar,
  formatMonthKey,
} from '../../shared/domain/programme-calendar.js';
import type { ProfileContext } from '../context.js';
import { membershipFigures } from '../data/membership-analytics.js';
import type { TierStore } from '../data/tier-store.js';
import { tierAnalytics } from '../domain/tier-analytics.js';

/** The fields of `schema/profile/analytics.graphql`: `ProgrammeAnalytics.membership`. */
export function analyticsResolvers(options: {
  registry: PartnerRegistry;
  tiers: TierStore;
}): GraphQLResolverMap<ProfileContext> {
  const calendar = createProgrammeCalendar(PROGRAMME_TIME_ZONE);
  const monthKeyOf = (at: Date) => formatMonthKey(calendar.localDateTime(at));
  const partnerCount = options.registry.partners.length;
  return {
    ProgrammeAnalytics: {
      ...programmeAnalyticsKeyResolvers,
      membership: async (w: AnalyticsWindow, _: unknown, ctx: ProfileContext) => {
        const figures = await membershipFigures(ctx.members, w, PROGRAMME_TIME_ZONE);
        const joined = new Map(figures.joined.map((j) => [j.month, j.members]));
        const linked = new Map(figures.linkedBrands.map((l) => [l.brands, l.members]));
        return {
          members: figures.members,
          joinedByMonth: monthKeysOf(w, monthKeyOf).map((month) => ({
            month,
            members: joined.get(month) ?? 0,
          })),
          linkedBrands: Array.from({ length: partnerCount }, (_, i) => ({
            brands: i + 1,
            members: linked.get(i + 1) ?? 0,
          })),
          consentRate: figures.links === 0 ? 0 : figures.consented / figures.links,
        };
      },
      tiers: async (w: AnalyticsWindow, _: unknown, ctx: ProfileContext) => {
        const [figures, members] = await Promise.all([
          options.tiers.distribution(w),
          ctx.members.estimatedDocumentCount(),
        ]);
        return tierAnalytics(figures, members);
      },
    },
  };
}
