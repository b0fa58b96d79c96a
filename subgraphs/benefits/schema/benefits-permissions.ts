import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { allowWhen, isAuthenticated } from '../../shared/auth/shield-rules.js';

/** Deny by default: a member reads only their own bundle and wallet; anyone signed in may browse the catalogue. */
export function benefitsPermissions(): IRules {
  const selfOrAdmin = allowWhen(
    'Only the member themself or an operator may read their benefits.',
    (m, _a, ctx) => {
      const p = ctx.principal;
      return p.role === 'admin' || (p.role === 'member' && p.memberId === (m as { id: string }).id);
    },
  );
  return {
    Query: { benefitCatalogue: isAuthenticated },
    Member: { id: allow, benefits: selfOrAdmin, wallet: selfOrAdmin },
    Wallet: allow,
    PointsHistoryConnection: allow,
    PointsHistoryEdge: allow,
    PointsLedgerEntry: allow,
    Benefit: allow,
    BenefitBundle: allow,
    BundleItem: allow,
    BenefitConnection: allow,
    BenefitEdge: allow,
    PageInfo: allow,
    Tier: allow,
    Money: allow,
    BrandBehaviour: allow,
    CategoryActivity: allow,
    _Service: allow,
  };
}
