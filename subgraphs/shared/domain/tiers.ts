/** Joint tiers, highest first. Thresholds are on the 0-100 composite score (docs/architecture.md §8 seed values). */
export const TIER_CODES = ['DIAMOND', 'GOLD', 'CLASSIC', 'BASIC'] as const;
export type TierCode = (typeof TIER_CODES)[number];

export interface TierBand {
  code: TierCode;
  name: string;
  minScore: number;
}

export const DEFAULT_TIER_BANDS: readonly TierBand[] = [
  { code: 'DIAMOND', name: 'Diamond', minScore: 90 },
  { code: 'GOLD', name: 'Gold', minScore: 80 },
  { code: 'CLASSIC', name: 'Classic', minScore: 60 },
  { code: 'BASIC', name: 'Basic', minScore: 0 },
];

/** The band whose threshold the score reaches, scanning from the highest band down. */
export function tierForScore(score: number, bands: readonly TierBand[] = DEFAULT_TIER_BANDS): TierBand {
  const sorted = [...bands].sort((a, b) => b.minScore - a.minScore);
  return sorted.find((band) => score >= band.minScore) ?? sorted[sorted.length - 1];
}
