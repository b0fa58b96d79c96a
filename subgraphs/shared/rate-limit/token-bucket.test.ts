import { retryAfterSeconds, takeToken } from './token-bucket.js';

describe('takeToken', () => {
  const limit = { burst: 3, perSecond: 2 };

  it('starts full, lets a burst through, then refuses until a token is back', () => {
    let state;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      const step = takeToken(state, limit, 1_000);
      state = step.state;
      allowed.push(step.decision.allowed);
    }
    expect(allowed).toEqual([true, true, true, false]);
    // Empty at 1,000 ms; 2 tokens per second: the next whole token is 500 ms away.
    expect(takeToken(state, limit, 1_000).decision).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 500,
    });
    expect(takeToken(state, limit, 1_500).decision).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('never holds more than the burst, however long the bucket was idle', () => {
    const { state } = takeToken({ tokens: 0, updatedAt: 0 }, limit, 3_600_000);
    expect(state.tokens).toBe(2);
  });

  it('refills nothing when the clock went backwards', () => {
    const { state, decision } = takeToken({ tokens: 0.5, updatedAt: 10_000 }, limit, 5_000);
    expect(decision.allowed).toBe(false);
    expect(state).toEqual({ tokens: 0.5, updatedAt: 10_000 });
  });

  it('gives Retry-After in whole seconds, at least one', () => {
    expect(retryAfterSeconds({ allowed: false, remaining: 0, retryAfterMs: 1 })).toBe(1);
    expect(retryAfterSeconds({ allowed: false, remaining: 0, retryAfterMs: 1_001 })).toBe(2);
  });
});
