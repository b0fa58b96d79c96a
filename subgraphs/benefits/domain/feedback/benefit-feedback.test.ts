import type { FeedbackCounts, MemberFeedback } from './benefit-feedback.js';
import {
  FeedbackInputError,
  NO_FEEDBACK,
  addCounts,
  applyFeedback,
  averageRating,
} from './benefit-feedback.js';

const at = new Date('2026-12-01T00:00:00Z');
const input = (action: 'SHOWN' | 'CLICKED' | 'DISMISSED' | 'REDEEMED', rating: number | null = null) => ({
  action,
  rating,
  tier: 'GOLD' as const,
  at,
});

/** Replays answers from nothing, summing what each adds, as the store does. */
function replay(answers: ReturnType<typeof input>[]): {
  record: MemberFeedback | null;
  counts: FeedbackCounts;
} {
  let record: MemberFeedback | null = null;
  let counts = NO_FEEDBACK;
  for (const answer of answers) {
    const { next, increments } = applyFeedback(record, answer);
    record = next;
    counts = addCounts(counts, increments);
  }
  return { record, counts };
}

describe('applyFeedback', () => {
  it('counts the member shown once, and each action once however often it is recorded', () => {
    const { counts } = replay([input('SHOWN'), input('SHOWN'), input('CLICKED'), input('CLICKED')]);
    expect(counts).toEqual({ ...NO_FEEDBACK, shown: 1, clicked: 1, engaged: 1 });
  });

  it('counts a member who clicked and redeemed as engaged once', () => {
    const { counts } = replay([input('CLICKED'), input('REDEEMED')]);
    expect(counts).toMatchObject({ shown: 1, clicked: 1, redeemed: 1, engaged: 1 });
  });

  it('treats a first answer other than SHOWN as shown too, and a dismissal as not engaged', () => {
    expect(replay([input('DISMISSED')]).counts).toEqual({ ...NO_FEEDBACK, shown: 1, dismissed: 1 });
  });

  it('keeps the latest rating: the sum moves by the difference and the count once', () => {
    const { record, counts } = replay([input('REDEEMED', 2), input('REDEEMED', 5), input('SHOWN', 5)]);
    expect(record?.rating).toBe(5);
    expect(counts).toMatchObject({ ratings: 1, ratingSum: 5 });
    expect(averageRating(counts)).toBe(5);
  });

  it('adds nothing for a repeat', () => {
    const first = applyFeedback(null, input('REDEEMED', 4));
    expect(applyFeedback(first.next, input('REDEEMED', 4)).increments).toEqual({});
  });

  it('keeps the tier of the first answer', () => {
    const first = applyFeedback(null, input('SHOWN'));
    expect(applyFeedback(first.next, { ...input('CLICKED'), tier: 'DIAMOND' }).next.tier).toBe('GOLD');
  });

  it('refuses a rating outside 1 to 5', () => {
    for (const rating of [0, 6, 2.5]) {
      expect(() => applyFeedback(null, input('REDEEMED', rating))).toThrow(FeedbackInputError);
    }
  });
});
