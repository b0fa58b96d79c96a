/**
 * The operations GraphiQL opens with, one tab each: the published client operations (operations/*.graphql,
 * bundled as text by build-explorer-app.ts), so the explorer shows what a brand's web page, the mobile app,
 * partner staff and an operator really send. Each tab names the token it needs; the token picker fills it in.
 */
import BRAND_WEB_PAGE from '../../../operations/brand-web-page.graphql';
import MOBILE_DASHBOARD from '../../../operations/mobile-dashboard.graphql';
import STAFF_MEMBER_LOOKUP from '../../../operations/staff-member-lookup.graphql';
import ADMIN_MEMBER_LIST from '../../../operations/admin-member-list.graphql';
import MEMBER_INTELLIGENCE from '../../../operations/member-intelligence.graphql';
import INTELLIGENCE_OVERVIEW from '../../../operations/intelligence-overview.graphql';

export interface ExampleOperation {
  query: string;
  variables?: string;
}

/** A published operation as a tab, headed by the token it needs. */
const tab = (token: string, operation: string, variables?: Record<string, unknown>): ExampleOperation => ({
  query: `# Token: ${token}.\n${operation}`,
  ...(variables ? { variables: JSON.stringify(variables, null, 2) } : {}),
});

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  // First, so that the page opens on it: the mobile app's dashboard is the graph's most asked-for operation.
  tab('the demo member', MOBILE_DASHBOARD),
  tab('the demo member', BRAND_WEB_PAGE),
  // The demo member's Inkwell account in the seeded data (tools/seed/demo-population.ts).
  tab('staff of inkwell', STAFF_MEMBER_LOOKUP, { partnerMemberId: 'IN00100040' }),
  tab('admin', ADMIN_MEMBER_LIST, { partner: 'starlight' }),
  tab('the demo member', MEMBER_INTELLIGENCE),
  tab('admin', INTELLIGENCE_OVERVIEW, { after: null }),
];
