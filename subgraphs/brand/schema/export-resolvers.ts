import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import type { BrandContext } from '../context.js';

type MemberRef = { id: string } & Record<string, unknown>;

/**
 * `Member.<partner>Export`: what this brand holds about the member's linked account (the account, its orders,
 * its events as received), as JSON for the profile's `Member.dataExport` (docs/architecture.md §7). Reads by
 * account id, served by the `_id` and `brandMemberId` indexes.
 */
export function exportResolvers(partner: PartnerConfig): GraphQLResolverMap<BrandContext> {
  const fields = partnerFieldNames(partner.key);
  return {
    Member: {
      [fields.export]: async (member: MemberRef, _args: unknown, ctx: BrandContext) => {
        const accountId =
          typeof member[fields.account] === 'string' ? (member[fields.account] as string) : null;
        if (!accountId)
          return JSON.stringify({ partner: partner.key, account: null, orders: [], events: [] });
        const [account, orders, events] = await Promise.all([
          ctx.models.Account.findById(accountId, { pendingEventIds: 0 }).lean(),
          ctx.models.Order.find({ brandMemberId: accountId }).sort({ occurredAt: -1 }).lean(),
          ctx.models.Event.find(
            { brandMemberId: accountId },
            { type: 1, occurredAt: 1, receivedAt: 1, payload: 1 },
          ).lean(),
        ]);
        return JSON.stringify({ partner: partner.key, account, orders, events });
      },
    },
  } as GraphQLResolverMap<BrandContext>;
}
