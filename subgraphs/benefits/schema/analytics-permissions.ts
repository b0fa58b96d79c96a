import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly } from '../../shared/auth/shield-rules.js';

/** Programme analytics: operators only (the entity too, as the gateway fetches it through `_entities`). */
export function analyticsPermissions(): IRules {
  return {
    Query: { programmeAnalytics: adminOnly },
    ProgrammeAnalytics: adminOnly,
    BrandCountBucket: allow,
    RetentionCohort: allow,
    PointsAnalytics: allow,
    PointsMonth: allow,
    BenefitRedemptions: allow,
  };
}
