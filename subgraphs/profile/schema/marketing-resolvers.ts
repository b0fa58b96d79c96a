import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { MAX_PAGE_SIZE, validateIdentifier, validatePartner } from '../../shared/argument-validation.js';
import { badInput } from '../../shared/errors.js';
import { selectedFields } from '../domain/privacy/selected-fields.js';
import { accountKey } from '../data/member-model.js';
import { consentsOfLink } from '../domain/consent/consent-purposes.js';
import type { ProfileContext } from '../context.js';

/** `marketingConsent`: the MARKETING answers a partner's system reads before it markets to its customers. */
export function marketingResolvers(
  registry: PartnerRegistry,
  now: () => Date,
): GraphQLResolverMap<ProfileContext> {
  return {
    Query: {
      marketingConsent: async (
        _: unknown,
        args: { partner: string; partnerMemberIds: string[] },
        ctx: ProfileContext,
        info: GraphQLResolveInfo,
      ) => {
        const partner = validatePartner(registry, args.partner);
        if (args.partnerMemberIds.length < 1 || args.partnerMemberIds.length > MAX_PAGE_SIZE) {
          throw badInput(`Ask for 1 to ${MAX_PAGE_SIZE} accounts at a time.`, 'partnerMemberIds');
        }
        const ids = args.partnerMemberIds.map((id) => validateIdentifier(id, 'partnerMemberIds'));
        const members = await ctx.loaders.memberByAccountKey.loadMany(
          ids.map((id) => accountKey(partner, id)),
        );
        const read = members.filter(
          (m): m is NonNullable<typeof m> & { _id: string } => !!m && !(m instanceof Error),
        );
        ctx.accessLog.record(
          ctx.principal,
          ctx.requestId,
          read.map((m) => m._id),
          selectedFields(info),
          now(),
        );
        return ids.map((partnerMemberId, i) => {
          const member = members[i];
          if (!member || member instanceof Error) {
            return { partnerMemberId, granted: false, noticeVersion: null, updatedAt: null };
          }
          const link = member.links.find(
            (l) => l.partner === partner && l.partnerMemberId === partnerMemberId,
          );
          const marketing = link && consentsOfLink(link).find((c) => c.purpose === 'MARKETING');
          return {
            partnerMemberId,
            granted: marketing?.granted ?? false,
            noticeVersion: marketing?.granted ? marketing.noticeVersion : null,
            updatedAt: marketing?.updatedAt ?? null,
          };
        });
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}
