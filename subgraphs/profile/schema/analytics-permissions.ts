import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { adminOnly } from '../../shared/auth/shield-rules.js';

/** Programme analytics: operators only (fetched by the gateway through `_entities`). */
export function analyticsPermissions(): IRules {
  return {
    ProgrammeAnalytics: adminOnly,
    MembershipAnalytics: allow,
    MonthCount: allow,
    BrandCountBucket: allow,
    TierAnalytics: allow,
    TierCount: allow,
    TierPeriodChanges: allow,
  };
}
