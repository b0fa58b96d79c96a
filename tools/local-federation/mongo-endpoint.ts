import type { Environment } from '../../subgraphs/shared/config/environment.js';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';

export interface MongoEndpoint {
  uri: string;
  embedded: boolean;
  /** Where the embedded store keeps its snapshot, when it is embedded. */
  dataDir?: string;
  stop(): Promise<void>;
}

/** A real MongoDB when MONGODB_URI is set; otherwise the embedded store, persisted under MONGO_DATA_DIR. */
export async function mongoEndpoint(env: Environment): Promise<MongoEndpoint> {
  if (env.mongodbUri) return { uri: env.mongodbUri, embedded: false, stop: async () => undefined };
  const store = await startEmbeddedMongo({ port: 0, dbPath: env.mongoDataDir });
  return { uri: store.uri, embedded: true, dataDir: env.mongoDataDir, stop: () => store.stop() };
}
