import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Connection } from 'mongoose';
import type { BenefitsContext } from '../context.js';

/**
 * `Member.benefitsExport`: the member's wallet, ledger, redemptions and activity counts as JSON, for the
 * profile's `Member.dataExport` (docs/architecture.md §7). Each read is served by a member-id index.
 */
export function privacyResolvers(connection: Connection): GraphQLResolverMap<BenefitsContext> {
  const collection = (name: string) => connection.collection(name);
  return {
    Member: {
      benefitsExport: async (member: { id: string }) => {
        const memberId = member.id;
        const [wallet, ledger, redemptions, activity] = await Promise.all([
          collection('wallets').findOne({ _id: memberId as never }),
          collection('points_ledger').find({ memberId }).sort({ recordedAt: -1, _id: -1 }).toArray(),
          collection('redemptions').find({ memberId }).sort({ createdAt: -1, _id: -1 }).toArray(),
          collection('member_activity_days').find({ memberId }).sort({ day: -1 }).toArray(),
        ]);
        return JSON.stringify({ wallet, ledger, redemptions, activity });
      },
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
