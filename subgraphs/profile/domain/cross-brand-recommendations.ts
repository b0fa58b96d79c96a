import type { ItemPopularityModel } from './item-popularity.js';
import { ALL_MEMBERS } from './item-popularity.js';
import type { ItemActivity, ItemKey, ItemSimilarityModel } from './item-similarity.js';
import { interestStrength, parseItemKey } from './item-similarity.js';

export interface CrossBrandRecommendation {
  partner: string;
  category: string;
  score: number;
  reason: string;
}

export interface RecommendationMember {
  activity: ReadonlyMap<ItemKey, ItemActivity>;
  /** The member's segment (value or RFM), for the popularity fallback; null when unknown. */
  segment: string | null;
}

export interface RecommendOptions {
  limit?: number;
  /** Partner display names for the reasons; the key is used for a partner not listed. */
  partnerNames?: Readonly<Record<string, string>>;
}

/**
 * Up to `limit` (partner, category) pairs the member does not buy yet. First by item-based collaborative
 * filtering: each candidate j scores the strength-weighted mean similarity to what the member engages with,
 *   score(j) = Σᵢ rᵤᵢ · sim(i, j) / Σᵢ rᵤᵢ   (Sarwar et al. 2001, "weighted sum", over the item's kept neighbours),
 * a number in [0, 1]. Then, when that leaves places (a new member has no history at all), by popularity in
 * the member's segment, scored by the share of the segment that buys the item. Items the member already
 * buys are never recommended; items they only browsed can be.
 */
export function recommendCrossBrand(
  similarity: ItemSimilarityModel,
  popularity: ItemPopularityModel,
  member: RecommendationMember,
  options: RecommendOptions = {},
): CrossBrandRecommendation[] {
  const limit = options.limit ?? 5;
  const name = (partner: string) => options.partnerNames?.[partner] ?? partner;
  const bought = new Set([...member.activity].filter(([, a]) => a.purchases > 0).map(([item]) => item));
  const scores = new Map<ItemKey, { sum: number; top: ItemKey; topContribution: number }>();
  let totalStrength = 0;
  for (const [item, activity] of member.activity) {
    const strength = interestStrength(activity);
    if (strength <= 0) continue;
    totalStrength += strength;
    for (const { item: candidate, similarity: sim } of similarity.neighbours[item] ?? []) {
      if (bought.has(candidate)) continue;
      const entry = scores.get(candidate) ?? { sum: 0, top: item, topContribution: 0 };
      const contribution = strength * sim;
      entry.sum += contribution;
      if (contribution > entry.topContribution) {
        entry.top = item;
        entry.topContribution = contribution;
      }
      scores.set(candidate, entry);
    }
  }
  const recommendations: CrossBrandRecommendation[] = [...scores]
    .map(([item, s]) => ({ item, score: s.sum / totalStrength, because: s.top }))
    .sort((p, q) => q.score - p.score || p.item.localeCompare(q.item))
    .slice(0, limit)
    .map(({ item, score, because }) => {
      const target = parseItemKey(item);
      const source = parseItemKey(because);
      const verb = (member.activity.get(because)?.purchases ?? 0) > 0 ? 'buy' : 'look at';
      return {
        ...target,
        score: round3(score),
        reason: `Members who ${verb} ${source.category} at ${name(source.partner)} also buy ${target.category} at ${name(target.partner)}.`,
      };
    });

  const taken = new Set(recommendations.map((r) => `${r.partner}/${r.category}`));
  const segment =
    member.segment !== null && popularity.bySegment[member.segment] ? member.segment : ALL_MEMBERS;
  for (const { item, share } of popularity.bySegment[segment] ?? []) {
    if (recommendations.length >= limit) break;
    if (bought.has(item) || taken.has(item)) continue;
    const target = parseItemKey(item);
    const who = segment === ALL_MEMBERS ? 'members across the programme' : `"${segment}" members`;
    recommendations.push({
      ...target,
      score: round3(share),
      reason: `Popular with ${who}: ${Math.round(share * 100)}% buy ${target.category} at ${name(target.partner)}.`,
    });
  }
  return recommendations;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
