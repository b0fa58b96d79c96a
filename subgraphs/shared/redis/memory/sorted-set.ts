/** A score bound of ZRANGEBYSCORE/ZREMRANGEBYSCORE: '(' makes it exclusive. */
export interface ScoreBound {
  value: number;
  exclusive: boolean;
}

/**
 * Members ordered by score, then by member name (byte order for the ASCII names the project uses), as in
 * Redis. The ordered view is rebuilt lazily after writes: rate-limit windows are small.
 */
export class SortedSet {
  private readonly scores = new Map<string, number>();
  private ordered: string[] | undefined;

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  set(member: string, score: number): void {
    this.scores.set(member, score);
    this.ordered = undefined;
  }

  delete(member: string): void {
    if (this.scores.delete(member)) this.ordered = undefined;
  }

  /** Members in order, with their scores. */
  entries(): [member: string, score: number][] {
    this.ordered ??= [...this.scores.keys()].sort((a, b) => {
      const byScore = (this.scores.get(a) ?? 0) - (this.scores.get(b) ?? 0);
      if (byScore !== 0 && !Number.isNaN(byScore)) return byScore;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return this.ordered.map((member) => [member, this.scores.get(member) ?? 0]);
  }

  removeByScore(min: ScoreBound, max: ScoreBound): number {
    let removed = 0;
    for (const [member, score] of this.entries()) {
      const aboveMin = min.exclusive ? score > min.value : score >= min.value;
      const belowMax = max.exclusive ? score < max.value : score <= max.value;
      if (aboveMin && belowMax) {
        this.delete(member);
        removed += 1;
      }
    }
    return removed;
  }
}
