/**
 * Sends one GraphQL query (with its variables) to `url` with a bearer token; resolves with the milliseconds to
 * the parsed answer.
 */
export async function timeGraphQLQuery(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The value at quantile `q` (0..1) of ascending `sorted` timings. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** `median … ms   p95 … ms   p99 … ms   max … ms   mean … ms` of a list of timings. */
export function summariseLatencies(timings: readonly number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q).toFixed(2);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `median ${at(0.5)} ms   p95 ${at(0.95)} ms   p99 ${at(0.99)} ms   max ${sorted[sorted.length - 1].toFixed(2)} ms   mean ${mean.toFixed(2)} ms`;
}
