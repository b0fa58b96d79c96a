import { totalmem } from 'node:os';

/** Node's own default old-space limit on a 64-bit machine of this size, about 4 GiB: too small at scale. */
const FLOOR_MIB = 4_096;
const CEILING_MIB = 16_384;

/**
 * The largest semi-space of the young generation, in MiB, where node's default is 16. The store and the
 * subgraphs keep what they allocate for a batch (decoded documents, index keys, driver replies) for a few
 * tens of milliseconds; with 16 MiB a scavenge comes every few tens of milliseconds too and copies most of
 * it before it dies. With 64 the backlog bench spent about a third less time in scavenges and credited
 * 11–20 % more ledger entries a second (README, "Young generation").
 */
export const SEMI_SPACE_MIB = 64;

/**
 * The young generation's size for a service's process: `--max-semi-space-size`, unless `NODE_OPTIONS`
 * already sets one (which then rules, as for every node process).
 */
export function youngGenerationNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  if (/--max-semi-space-size/.test(env.NODE_OPTIONS ?? '')) return [];
  return [`--max-semi-space-size=${SEMI_SPACE_MIB}`];
}

/**
 * The node options the embedded store's process runs with: the young generation above, and a heap limit of
 * half the machine's memory (4–16 GiB). The store holds every document and index entry in its heap, and
 * node's default limit of about 4 GiB is reached near 100,000 members once the ledger fills, where the
 * collector then runs without end, stalling every command (the services' driver then misses its
 * heartbeat). `EMBEDDED_MONGO_HEAP_MB` sets the limit instead; a `--max-old-space-size` in `NODE_OPTIONS`
 * is left to rule.
 */
export function storeNodeArgs(
  env: NodeJS.ProcessEnv = process.env,
  machineBytes: number = totalmem(),
): string[] {
  return [...youngGenerationNodeArgs(env), ...oldSpaceNodeArgs(env, machineBytes)];
}

function oldSpaceNodeArgs(env: NodeJS.ProcessEnv, machineBytes: number): string[] {
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
