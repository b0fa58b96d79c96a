export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before it lets one probe through. */
  openMs: number;
  /** Milliseconds since any epoch; injected so tests drive time. */
  now?: () => number;
}

/**
 * One subgraph's circuit breaker. Closed: every request goes through, and `failureThreshold` failures in a
 * row open it. Open: requests are refused at once (the caller answers without the subgraph) until `openMs`
 * has passed. Half-open: exactly one probe goes through; its success closes the breaker, its failure opens
 * it again for another `openMs`. Only unreachability counts as a failure: a subgraph that answers, even
 * with an error, is up.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1) || !(options.openMs >= 0)) {
      throw new RangeError('failureThreshold must be at least 1 and openMs at least 0');
    }
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half_open' : 'open';
  }

  /** Whether a request may go to the subgraph now; in half-open, true for the one probe only. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.failures += 1;
    if (this.probeInFlight || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
    this.probeInFlight = false;
  }

  /** Ends a request that told nothing about the subgraph (e.g. cancelled before it was sent). */
  release(): void {
    this.probeInFlight = false;
  }
}
