/**
 * The open positions of a list, in list order, with the k-th open one and an open one's rank found in
 * O(log n) (a Fenwick tree of 0/1 counts): for drawing from "every open item but this one" without
 * building that list for each draw.
 */
export class OpenPositions {
  private readonly tree: Int32Array;
  private openCount = 0;

  constructor(private readonly size: number) {
    this.tree = new Int32Array(size + 1);
  }

  get count(): number {
    return this.openCount;
  }

  isOpen(position: number): boolean {
    return this.rank(position + 1) - this.rank(position) === 1;
  }

  open(position: number): void {
    this.add(position, 1);
  }

  close(position: number): void {
    this.add(position, -1);
  }

  /** How many open positions come before `position`. */
  rank(position: number): number {
    let sum = 0;
    for (let i = position; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  /** The position of the k-th open position (0-based k < count). */
  nth(k: number): number {
    let position = 0;
    let remaining = k + 1;
    for (let step = 1 << Math.floor(Math.log2(Math.max(1, this.size))); step > 0; step >>= 1) {
      const next = position + step;
      if (next <= this.size && this.tree[next] < remaining) {
        position = next;
        remaining -= this.tree[next];
      }
    }
    return position;
  }

  private add(position: number, delta: number): void {
    this.openCount += delta;
    for (let i = position + 1; i <= this.size; i += i & -i) this.tree[i] += delta;
  }
}
