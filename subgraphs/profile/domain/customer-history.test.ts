import { describeInvalidHistory, summariseTransactions } from './customer-history.js';

const now = new Date('2026-03-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

describe('summariseTransactions', () => {
  it('counts repeat purchase days after the first, in the chosen unit (worked example)', () => {
    // Days in Shanghai time: Jan 1 (first), Jan 15, Feb 12 (two orders, one visit); now is Mar 1, 08:00 there.
    const history = summariseTransactions(
      [
        { at: at('2026-01-01T02:00:00Z'), amountMinor: 5000 },
        { at: at('2026-01-15T10:00:00Z'), amountMinor: 3000 },
        { at: at('2026-02-12T01:00:00Z'), amountMinor: 2000 },
        { at: at('2026-02-12T09:00:00Z'), amountMinor: 1000 },
      ],
      { now, timeUnitDays: 7 },
    );
    // frequency 2 (Jan 15, Feb 12); recency 42 days = 6 weeks; T 59 days; mean repeat value (3000 + 3000) / 2.
    expect(history).toEqual({ frequency: 2, recency: 6, T: 59 / 7, monetaryValue: 3000 });
  });

  it('takes calendar days in the programme time zone', () => {
    // 2026-01-01T16:30Z is already Jan 2 in Shanghai, a different day from 2026-01-01T02:00Z.
    const history = summariseTransactions(
      [
        { at: at('2026-01-01T02:00:00Z'), amountMinor: 100 },
        { at: at('2026-01-01T16:30:00Z'), amountMinor: 100 },
      ],
      { now, timeUnitDays: 1 },
    );
    expect(history?.frequency).toBe(1);
    expect(history?.recency).toBe(1);
  });

  it('is null without purchases and ignores purchases after now', () => {
    expect(summariseTransactions([], { now, timeUnitDays: 1 })).toBeNull();
    expect(
      summariseTransactions([{ at: at('2026-04-01T00:00:00Z'), amountMinor: 100 }], { now, timeUnitDays: 1 }),
    ).toBeNull();
  });

  it('has no repeat value for a single purchase', () => {
    expect(
      summariseTransactions([{ at: at('2026-02-01T00:00:00Z'), amountMinor: 900 }], { now, timeUnitDays: 1 }),
    ).toEqual({ frequency: 0, recency: 0, T: 28, monetaryValue: 0 });
  });
});

describe('describeInvalidHistory', () => {
  it.each([
    [{ frequency: -1, recency: 0, T: 1 }, 'frequency must be a whole number ≥ 0'],
    [{ frequency: 1, recency: 0, T: 0 }, 'T must be a number > 0'],
    [{ frequency: 1, recency: -2, T: 3 }, 'recency must be a number ≥ 0'],
    [{ frequency: 1, recency: 4, T: 3 }, 'recency must not exceed T'],
    [{ frequency: 0, recency: 1, T: 3 }, 'recency must be 0 when frequency is 0'],
    [{ frequency: 2, recency: 1, T: 3 }, null],
  ])('%j → %p', (history, problem) => {
    expect(describeInvalidHistory(history)).toBe(problem);
  });
});
