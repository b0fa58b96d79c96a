import { CircuitBreaker } from './circuit-breaker.js';

function breakerWithClock(failureThreshold = 3, openMs = 1000) {
  const clock = { now: 0 };
  const breaker = new CircuitBreaker({ failureThreshold, openMs, now: () => clock.now });
  return { clock, breaker };
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const { breaker } = breakerWithClock(3);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens after the threshold of consecutive failures and refuses until openMs has passed', () => {
    const { clock, breaker } = breakerWithClock(3, 1000);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 1000;
    expect(breaker.state).toBe('half_open');
  });

  it('lets exactly one probe through when half-open; its success closes the breaker', () => {
    const { clock, breaker } = breakerWithClock(1, 1000);
    breaker.recordFailure();
    clock.now = 1500;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again for a full period when the probe fails', () => {
    const { clock, breaker } = breakerWithClock(5, 1000);
    for (let i = 0; i < 5; i++) breaker.recordFailure();
    clock.now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.now = 1999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 2000;
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('frees the probe slot when a probe ends without telling anything', () => {
    const { clock, breaker } = breakerWithClock(1, 10);
    breaker.recordFailure();
    clock.now = 10;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('refuses options that could never close or open it', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 10 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ failureThreshold: 1, openMs: -1 })).toThrow(RangeError);
  });
});
