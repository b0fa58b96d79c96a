import type { IRules } from 'graphql-shield';
import { allow } from 'graphql-shield';
import { isAuthenticated } from '../../shared/auth/shield-rules.js';
import { selfOrAdmin } from './member-rules.js';

/** Deny by default: a member reads only their own bundle; anyone signed in may browse the catalogue. */
export function benefitsPermissions(): IRules {
  return {
    Query: { benefitCatalogue: isAuthenticated },
    Member: { id: allow, benefits: selfOrAdmin('benefits') },
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
