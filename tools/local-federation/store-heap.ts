import { totalmem } from 'node:os';

/** Node's own default old-space limit on a 64-bit machine of this size, about 4 GiB: too small at scale. */
const FLOOR_MIB = 4_096;
const CEILING_MIB = 16_384;

/**
 * The node options the embedded store's process runs with: a heap limit of half the machine's memory
 * (4–16 GiB). The store holds every document and index entry in its heap, and node's default limit of about
 * 4 GiB is reached near 100,000 members once the ledger fills, where the collector then runs without end,
 * stalling every command (the services' driver then misses its heartbeat). `EMBEDDED_MONGO_HEAP_MB` sets the
 * limit instead; a `--max-old-space-size` in `NODE_OPTIONS` is left to rule.
 */
export function storeNodeArgs(
  env: NodeJS.ProcessEnv = process.env,
  machineBytes: number = totalmem(),
): string[] {
  if (/--max-old-space-size/.test(env.NODE_OPTIONS ?? '')) return [];
  const configured = env.EMBEDDED_MONGO_HEAP_MB;
  if (configured !== undefined && configured !== '') {
    const mib = Number(configured);
    if (!Number.isInteger(mib) || mib < 256) {
      throw new Error(
        `EMBEDDED_MONGO_HEAP_MB must be a whole number of MiB, at least 256 (got "${configured}")`,
      );
    }
    return [`--max-old-space-size=${mib}`];
  }
  const half = Math.floor(machineBytes / 2 / 2 ** 20);
  return [`--max-old-space-size=${Math.min(CEILING_MIB, Math.max(FLOOR_MIB, half))}`];
}
