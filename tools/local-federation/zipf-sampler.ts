/**
 * Ranks 1..n drawn with probability proportional to 1 / rank^s (Zipf's law), from a seeded generator, so
 * that a benchmark's "popular members" are the same in every run. Sampling inverts the cumulative weights by
 * binary search: O(log n) per draw after an O(n) table.
 */
export function zipfSampler(n: number, s: number, seed: number): () => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf: n must be a positive integer, got ${n}`);
  if (!(s > 0)) throw new RangeError(`zipf: s must be positive, got ${s}`);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 1; rank <= n; rank++) cumulative[rank - 1] = total += 1 / rank ** s;
  let state = seed >>> 0 || 1;
  const uniform = () => {
    // xorshift32: small, fast and good enough to pick benchmark members.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  return () => {
    const target = uniform() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  };
}
