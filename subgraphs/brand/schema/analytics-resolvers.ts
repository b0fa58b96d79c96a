import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import { programmeAnalyticsKeyResolvers } from '../../shared/domain/analytics-window.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import type { BrandContext } from '../context.js';
import { purchaseFigures } from '../data/purchase-analytics.js';

/** The fields of `schema/brand/analytics.graphql`: `ProgrammeAnalytics.<partner>`, the partner's purchase figures. */
export function analyticsResolvers(partner: PartnerConfig): GraphQLResolverMap<BrandContext> {
  const fields = partnerFieldNames(partner.key);
  return {
    ProgrammeAnalytics: {
      ...programmeAnalyticsKeyResolvers,
      [fields.analytics]: async (w: AnalyticsWindow, _: unknown, ctx: BrandContext) => {
        const figures = await purchaseFigures(ctx.models.Order, w);
        return {
          partner: partner.key,
          ...figures,
          repurchaseRate: figures.buyers === 0 ? 0 : figures.repeatBuyers / figures.buyers,
        };
      },
    },
  };
}
