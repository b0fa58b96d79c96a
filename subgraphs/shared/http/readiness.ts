/**
 * One thing a service needs before it can take traffic (a store reachable, the supergraph loaded). `check`
 * resolves when it holds and throws (or times out) when it does not. A check that is not `required` is
 * reported but does not take the service out of rotation: Redis is a cache and a transport here, and
 * queries are answered without it (docs/architecture.md §5).
 */
export interface ReadinessCheck {
  name: string;
  required?: boolean;
  check(): Promise<unknown>;
}

export interface ReadinessResult {
  name: string;
  ok: boolean;
  required: boolean;
  /** Why it failed, for the log; the public answer names only the check. */
  error?: string;
}

export const READINESS_TIMEOUT_MS = 2_000;

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check at once, each within `timeoutMs`. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessResult[]> {
  return Promise.all(
    checks.map(async (c): Promise<ReadinessResult> => {
      const required = c.required ?? true;
      try {
        await withTimeout(
          Promise.resolve().then(() => c.check()),
          timeoutMs,
        );
        return { name: c.name, ok: true, required };
      } catch (error) {
        return { name: c.name, ok: false, required, error: (error as Error).message ?? String(error) };
      }
    }),
  );
}
