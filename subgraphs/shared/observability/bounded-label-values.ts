/**
 * Keeps a label's values to a bounded set: the first `limit` distinct values pass, later new ones become
 * `overflow`. Operation names are chosen by clients, and each distinct value is a new time series.
 */
export class BoundedLabelValues {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly overflow = 'other',
  ) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit) return this.overflow;
    this.seen.add(raw);
    return raw;
  }
}
