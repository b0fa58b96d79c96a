import type { CategoryAffinity } from '../../../shared/domain/affinity.js';
import { JOINT_CATEGORIES } from '../../../shared/domain/joint-categories.js';
import type { TierCode } from '../../../shared/domain/tiers.js';
import type { CatalogueBenefit } from '../match-benefit-bundle.js';
import { matchBenefitBundle } from '../match-benefit-bundle.js';
import type { FeedbackCounts, MemberFeedback } from './benefit-feedback.js';
import { NO_FEEDBACK, addCounts, applyFeedback } from './benefit-feedback.js';
import { engagementByBenefit } from './engagement-estimate.js';

/**
 * An offline evaluation of the feedback loop (`npm run eval:matching`): simulated members with hidden
 * preferences are offered a bundle every week, by affinity × value alone or re-ranked by what members of
 * their tier did (the production `matchBenefitBundle`, `applyFeedback` and `engagementByBenefit`), and act
 * on it. Each benefit has a hidden appeal, unrelated to its value and unseen by matching; a member redeems
 * an offered benefit with probability appeal × (0.5 + their affinity to its category) × a personal taste,
 * rates it by its appeal when they do, and dismisses some of the rest. Both policies meet the same members
 * and the same draws (each decision's uniform is a hash of seed, member, benefit and week), so the
 * difference in redemption rate is the policy's.
 */
export type MatchingPolicy = 'AFFINITY_ONLY' | 'WITH_FEEDBACK';

export interface SimulationOptions {
  catalogue: readonly CatalogueBenefit[];
  members: number;
  weeks: number;
  seed: number;
}

export interface PolicyResult {
  policy: MatchingPolicy;
  /** Benefits offered (bundle items), over all weeks. */
  offered: number;
  redeemed: number;
  redemptionRate: number;
  /** Redemption rate per week. */
  weekly: number[];
  /** Mean rating of the redemptions. */
  averageRating: number;
}

interface SimulatedMember {
  id: string;
  tier: TierCode;
  affinities: CategoryAffinity[];
}

/** A uniform in [0, 1) from a string: FNV-1a, then a murmur3 finaliser. Deterministic across runs. */
function hashUniform(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const TIER_SHARES: [TierCode, number][] = [
  ['BASIC', 0.4],
  ['CLASSIC', 0.3],
  ['GOLD', 0.2],
  ['DIAMOND', 0.1],
];

function simulatedMembers(count: number, seed: number): SimulatedMember[] {
  return Array.from({ length: count }, (_, i) => {
    const u = (label: string) => hashUniform(`${seed}|member|${i}|${label}`);
    let pick = u('tier');
    const tier = TIER_SHARES.find(([, share]) => (pick -= share) < 0)?.[0] ?? 'BASIC';
    // Two to three categories the member is into, with random weights.
    const count = 2 + Math.floor(u('categories') * 2);
    const chosen = [...JOINT_CATEGORIES]
      .map((category) => ({ category, key: u(`order|${category}`) }))
      .sort((a, b) => a.key - b.key)
      .slice(0, count)
      .map(({ category }) => ({ category, weight: 0.2 + u(`weight|${category}`) }));
    const total = chosen.reduce((s, c) => s + c.weight, 0);
    return {
      id: `sim-${i}`,
      tier,
      affinities: chosen.map((c) => ({ category: c.category, share: c.weight / total })),
    };
  });
}

/** A benefit's hidden appeal: most are middling, a few are loved, a few ignored; unrelated to value. */
const appealOf = (code: string, seed: number): number => {
  const u = hashUniform(`${seed}|appeal|${code}`);
  return 0.02 + 0.5 * u * u;
};

export function simulateMatching(options: SimulationOptions, policy: MatchingPolicy): PolicyResult {
  const members = simulatedMembers(options.members, options.seed);
  const records = new Map<string, MemberFeedback>();
  const counts = new Map<TierCode, Map<string, FeedbackCounts>>();
  const record = (
    member: SimulatedMember,
    code: string,
    action: 'SHOWN' | 'DISMISSED' | 'REDEEMED',
    rating: number | null,
    at: Date,
  ) => {
    const key = `${member.id}|${code}`;
    const { next, increments } = applyFeedback(records.get(key) ?? null, {
      action,
      rating,
      tier: member.tier,
      at,
    });
    records.set(key, next);
    const tierCounts = counts.get(next.tier) ?? new Map<string, FeedbackCounts>();
    counts.set(next.tier, tierCounts);
    tierCounts.set(code, addCounts(tierCounts.get(code) ?? NO_FEEDBACK, increments));
  };

  const weekly: number[] = [];
  let offered = 0;
  let redeemed = 0;
  let ratingSum = 0;
  for (let week = 0; week < options.weeks; week++) {
    const at = new Date(Date.UTC(2026, 0, 1 + 7 * week));
    // The estimates as they stand at the start of the week (the counts are read per request in the graph).
    const estimates = new Map(
      [...counts].map(([tier, byBenefit]) => [tier, engagementByBenefit(byBenefit)] as const),
    );
    let weekOffered = 0;
    let weekRedeemed = 0;
    for (const member of members) {
      const bundle = matchBenefitBundle(options.catalogue, member.tier, member.affinities, {
        engagement: policy === 'WITH_FEEDBACK' ? estimates.get(member.tier) : undefined,
      });
      for (const { benefit } of bundle) {
        const u = (label: string) =>
          hashUniform(`${options.seed}|${member.id}|${benefit.code}|${week}|${label}`);
        const share = member.affinities.find((a) => a.category === benefit.category)?.share ?? 0;
        const taste = 0.5 + hashUniform(`${options.seed}|taste|${member.id}|${benefit.code}`);
        const appeal = appealOf(benefit.code, options.seed);
        const p = Math.min(0.95, appeal * (0.5 + share) * taste);
        weekOffered += 1;
        record(member, benefit.code, 'SHOWN', null, at);
        if (u('redeem') < p) {
          weekRedeemed += 1;
          // Ratings follow the hidden appeal (0.02 → 1-2 stars, 0.52 → 5), with a little noise.
          const rating = Math.max(1, Math.min(5, Math.round(1 + 8 * appeal + (u('rating') - 0.5))));
          ratingSum += rating;
          record(member, benefit.code, 'REDEEMED', rating, at);
        } else if (u('dismiss') < 0.3) {
          record(member, benefit.code, 'DISMISSED', null, at);
        }
      }
    }
    weekly.push(weekOffered > 0 ? weekRedeemed / weekOffered : 0);
    offered += weekOffered;
    redeemed += weekRedeemed;
  }
  return {
    policy,
    offered,
    redeemed,
    redemptionRate: offered > 0 ? redeemed / offered : 0,
    weekly,
    averageRating: redeemed > 0 ? ratingSum / redeemed : 0,
  };
}
