import type { BgNbdParams } from './bg-nbd.js';
import type { CustomerHistory } from './customer-history.js';
import type { GammaGammaParams } from './gamma-gamma.js';

// Local bindings: these run millions of times in a fit, and a global lookup of `Math` per call is slow
// in sandboxed contexts (the test runner's vm context is one).
const { log } = Math;

/** What the simulator needs from a seeded generator (the demo population's `SeededRandom` fits). */
export interface RandomSource {
  /** Uniform on [0, 1). */
  next(): number;
  /** Gamma(shape, 1). */
  gamma(shape: number): number;
}

export interface SimulatedMember {
  /** Times of the repeat purchases up to the horizon (the first purchase is at time 0). */
  purchaseTimes: number[];
  /** Time of the purchase after which the member dropped out, or null while still active at the horizon. */
  droppedOutAt: number | null;
}

/**
 * One member drawn from BG/NBD's generative story (FHL 2005): λ ~ Gamma(r, rate α), p ~ Beta(a, b);
 * while active, purchases arrive as a Poisson process at rate λ, and after each repeat purchase the member
 * drops out with probability p.
 */
export function simulateBgNbdMember(
  params: BgNbdParams,
  horizon: number,
  random: RandomSource,
): SimulatedMember {
  const lambda = random.gamma(params.r) / params.alpha;
  const ga = random.gamma(params.a);
  const dropout = ga / (ga + random.gamma(params.b));
  const purchaseTimes: number[] = [];
  let time = 0;
  for (;;) {
    time += -log(1 - random.next()) / lambda;
    if (time > horizon) return { purchaseTimes, droppedOutAt: null };
    purchaseTimes.push(time);
    if (random.next() < dropout) return { purchaseTimes, droppedOutAt: time };
  }
}

export interface SimulationOptions {
  customers: number;
  /** Each member's observation time T is uniform on [minT, maxT], in the parameters' time unit. */
  minT: number;
  maxT: number;
}

/**
 * Histories drawn from the two models, for testing that the fits recover known parameters: BG/NBD as in
 * `simulateBgNbdMember`, and Gamma-Gamma (Fader & Hardie 2013): ν ~ Gamma(q, rate γ), each repeat purchase's
 * value ~ Gamma(p, rate ν).
 */
export function simulateCustomerHistories(
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  options: SimulationOptions,
  random: RandomSource,
): CustomerHistory[] {
  const histories: CustomerHistory[] = [];
  for (let i = 0; i < options.customers; i++) {
    const T = options.minT + (options.maxT - options.minT) * random.next();
    const { purchaseTimes } = simulateBgNbdMember(bgNbd, T, random);
    const nu = random.gamma(gammaGamma.q) / gammaGamma.gamma;
    let spend = 0;
    for (let j = 0; j < purchaseTimes.length; j++) spend += random.gamma(gammaGamma.p) / nu;
    const frequency = purchaseTimes.length;
    histories.push({
      frequency,
      recency: frequency ? purchaseTimes[frequency - 1] : 0,
      T,
      monetaryValue: frequency ? spend / frequency : 0,
    });
  }
  return histories;
}
