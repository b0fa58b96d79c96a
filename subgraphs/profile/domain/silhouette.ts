/** Euclidean distance. */
export function euclideanDistance(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (p[i] - q[i]) ** 2;
  return Math.sqrt(sum);
}

/**
 * Mean silhouette width (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and validation
 * of cluster analysis", J. Comput. Appl. Math. 20:53-65): for each point, a = mean distance to the other
 * points of its cluster, b = the smallest mean distance to the points of another cluster, and
 * s = (b − a) / max(a, b); a point alone in its cluster has s = 0. Near 1: tight, well-separated clusters;
 * near 0: overlapping ones. O(n²): callers sample large populations.
 */
export function silhouetteScore(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const n = points.length;
  if (n !== labels.length) throw new RangeError('silhouetteScore needs one label per point');
  const clusters = [...new Set(labels)];
  if (clusters.length < 2) return 0;
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  let total = 0;
  const sums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    sums.clear();
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      sums.set(labels[j], (sums.get(labels[j]) ?? 0) + euclideanDistance(points[i], points[j]));
    }
    const own = sizes.get(labels[i])!;
    if (own === 1) continue;
    const a = (sums.get(labels[i]) ?? 0) / (own - 1);
    let b = Number.POSITIVE_INFINITY;
    for (const c of clusters) if (c !== labels[i]) b = Math.min(b, (sums.get(c) ?? 0) / sizes.get(c)!);
    const width = Math.max(a, b);
    total += width > 0 ? (b - a) / width : 0;
  }
  return total / n;
}
