import type { PartnerConfig } from '../../shared/config/partner-registry.js';

/** The partner's own tier for a member: the highest local tier whose spend threshold the member reached. */
export function localTierFor(spendMinor: number, tiers: PartnerConfig['localTiers']): string {
  const reached = tiers
    .filter((t) => spendMinor >= t.minSpendMinor)
    .sort((a, b) => b.minSpendMinor - a.minSpendMinor);
  return (reached[0] ?? tiers[0]).name;
}
