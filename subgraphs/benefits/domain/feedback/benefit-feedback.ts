import type { TierCode } from '../../../shared/domain/tiers.js';

/** What a member did with a benefit they were offered. */
export type FeedbackAction = 'SHOWN' | 'CLICKED' | 'DISMISSED' | 'REDEEMED';
export const FEEDBACK_ACTIONS: readonly FeedbackAction[] = ['SHOWN', 'CLICKED', 'DISMISSED', 'REDEEMED'];

/**
 * One member's feedback on one benefit: the actions they took (each counted once, whenever it is recorded
 * again) and their latest rating. Everything is counted under the tier the member had at their first
 * feedback, so a benefit's rate in a tier has the same members above and below the line.
 */
export interface MemberFeedback {
  tier: TierCode;
  actions: Partial<Record<FeedbackAction, Date>>;
  rating: number | null;
}

/** The counts of one benefit in one tier that matching learns from and staff read. */
export interface FeedbackCounts {
  /** Members who gave any feedback (an action implies the benefit was shown). */
  shown: number;
  clicked: number;
  dismissed: number;
  redeemed: number;
  /** Members who clicked or redeemed: the outcome the engagement estimate is of. */
  engaged: number;
  ratings: number;
  ratingSum: number;
}

export const NO_FEEDBACK: FeedbackCounts = {
  shown: 0,
  clicked: 0,
  dismissed: 0,
  redeemed: 0,
  engaged: 0,
  ratings: 0,
  ratingSum: 0,
};

export interface FeedbackInput {
  action: FeedbackAction;
  /** 1 to 5, or null when the member gives none; a new rating replaces the member's earlier one. */
  rating: number | null;
  tier: TierCode;
  at: Date;
}

export interface FeedbackTransition {
  next: MemberFeedback;
  /** What the change adds to the counts of `next.tier` (empty when it changes nothing: a repeat). */
  increments: Partial<FeedbackCounts>;
}

export class FeedbackInputError extends Error {}

const ENGAGING: readonly FeedbackAction[] = ['CLICKED', 'REDEEMED'];

/**
 * The member's feedback after one more answer, and what it adds to the counts. Idempotent: the same action
 * again adds nothing, the same rating again changes nothing; another rating moves the sum by the difference.
 */
export function applyFeedback(current: MemberFeedback | null, input: FeedbackInput): FeedbackTransition {
  if (input.rating !== null && (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)) {
    throw new FeedbackInputError(`rating must be a whole number from 1 to 5; got ${input.rating}.`);
  }
  const before: MemberFeedback = current ?? { tier: input.tier, actions: {}, rating: null };
  const increments: Partial<FeedbackCounts> = {};
  const add = (field: keyof FeedbackCounts, by: number) => {
    if (by !== 0) increments[field] = (increments[field] ?? 0) + by;
  };
  const actions = { ...before.actions };
  if (current === null) add('shown', 1);
  if (!actions[input.action]) {
    actions[input.action] = input.at;
    if (input.action !== 'SHOWN') add(input.action.toLowerCase() as keyof FeedbackCounts, 1);
    const wasEngaged = ENGAGING.some((a) => before.actions[a]);
    if (ENGAGING.includes(input.action) && !wasEngaged) add('engaged', 1);
  }
  let rating = before.rating;
  if (input.rating !== null && input.rating !== before.rating) {
    if (before.rating === null) add('ratings', 1);
    add('ratingSum', input.rating - (before.rating ?? 0));
    rating = input.rating;
  }
  return { next: { tier: before.tier, actions, rating }, increments };
}

/** Adds counts together (per benefit across tiers, per partner across benefits). */
export function addCounts(a: FeedbackCounts, b: Partial<FeedbackCounts>): FeedbackCounts {
  const sum = { ...a };
  for (const key of Object.keys(NO_FEEDBACK) as (keyof FeedbackCounts)[]) sum[key] += b[key] ?? 0;
  return sum;
}

/** Mean rating, or null without ratings. */
export const averageRating = (counts: Pick<FeedbackCounts, 'ratings' | 'ratingSum'>): number | null =>
  counts.ratings > 0 ? counts.ratingSum / counts.ratings : null;
