import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen } from '../../shared/auth/shield-rules.js';
import type { StoredCampaign } from '../data/campaigns/campaign-store.js';
import { selfOrAdmin } from './member-rules.js';

const staffOrAdmin = allowWhen(
  'Only partner staff and programme operators manage campaigns.',
  (_p, _a, ctx) => ['admin', 'partner_staff'].includes(ctx.principal.role),
);

/** A campaign's audit and results: operators, and staff of the campaign's own partner. */
const campaignManagers = allowWhen(
  "Only operators and the campaign's own partner staff read its audit and results.",
  (campaign, _a, ctx) => {
    const p = ctx.principal;
    const partner = (campaign as StoredCampaign).partner;
    return p.role === 'admin' || (p.role === 'partner_staff' && partner !== null && p.partner === partner);
  },
);

/**
 * Campaign management is for staff and operators (which partner's campaigns, the resolvers check); members
 * see the campaigns they qualify for through `me.campaigns`, without the audit trail or the results.
 */
export function campaignPermissions(): IRules {
  return {
    Query: { campaigns: staffOrAdmin, campaign: staffOrAdmin },
    Mutation: {
      createCampaign: staffOrAdmin,
      updateCampaign: staffOrAdmin,
      pauseCampaign: staffOrAdmin,
      resumeCampaign: staffOrAdmin,
      endCampaign: staffOrAdmin,
    },
    Member: { campaigns: selfOrAdmin('campaigns') },
    Campaign: { '*': allow, audit: campaignManagers, results: campaignManagers },
    CampaignConnection: allow,
    CampaignEdge: allow,
    CampaignWindow: allow,
    Recurrence: allow,
    CampaignAuditEntry: allow,
    CampaignResults: allow,
    MemberCampaign: allow,
  };
}
