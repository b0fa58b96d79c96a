import { fileURLToPath } from 'node:url';
import type { Environment } from '../../subgraphs/shared/config/environment.js';
import type { MongoEndpoint } from '../local-federation/mongo-endpoint.js';
import { processResidentBytes } from '../local-federation/process-cpu.js';
import { startServiceProcess } from '../local-federation/service-process.js';
import { storeNodeArgs } from '../local-federation/service-heap.js';

/** Long enough for the store to write the snapshot of a large seed before it is killed. */
const SNAPSHOT_GRACE_MS = 30 * 60_000;

export interface SeedStore extends MongoEndpoint {
  /** The embedded store's process id (undefined at MONGODB_URI). */
  pid?: number;
  /** The store process's resident memory now, in bytes; null when unknown (not embedded, or not Linux). */
  residentBytes(): number | null;
}

/**
 * A real MongoDB when MONGODB_URI is set; otherwise the embedded store in a process of its own, as `npm start`
 * runs it, so that the seed's work and the store's share the machine's cores (and neither's garbage
 * collector walks the other's heap). Stopping it writes the snapshot under MONGO_DATA_DIR.
 */
export async function startSeedStore(
  env: Environment,
  /** Told when the embedded store exits before it is stopped (it died: out of memory, killed). */
  onDied: (how: number | string) => void,
): Promise<SeedStore> {
  if (env.mongodbUri) {
    return { uri: env.mongodbUri, embedded: false, stop: async () => undefined, residentBytes: () => null };
  }
  const store = startServiceProcess({
    name: 'store',
    entry: fileURLToPath(new URL('../../scripts/mongo-embedded.ts', import.meta.url)),
    args: ['--port', '0', '--dbpath', env.mongoDataDir],
    nodeArgs: storeNodeArgs(),
    write: (line) => process.stderr.write(`${line}\n`),
  });
  const { urls } = await store.ready;
  let stopping = false;
  void store.exited.then((how) => {
    if (!stopping) onDied(how);
  });
  return {
    uri: urls.mongodb,
    embedded: true,
    dataDir: env.mongoDataDir,
    pid: store.pid,
    stop: () => {
      stopping = true;
      return store.stop(SNAPSHOT_GRACE_MS);
    },
    residentBytes: () => (store.pid === undefined ? null : processResidentBytes(store.pid)),
  };
}
