import mongoose from 'mongoose';
import type { ConnectOptions, Connection } from 'mongoose';
import { isStoreUnavailable } from './store-unavailable.js';

/** Counts the database commands a connection sends, by command name (tests use it to prove batching). */
export class CommandCounter {
  private readonly counts = new Map<string, number>();
  record(command: string): void {
    this.counts.set(command, (this.counts.get(command) ?? 0) + 1);
  }
  get(command: string): number {
    return this.counts.get(command) ?? 0;
  }
  reset(): void {
    this.counts.clear();
  }
}

export interface DatabaseHandle {
  connection: Connection;
  commands: CommandCounter;
  close(): Promise<void>;
}

/** The default of MONGODB_SERVER_SELECTION_TIMEOUT_MS. */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 2_000;

export interface DatabaseOptions {
  /**
   * How long an operation waits for a reachable server before it fails (and mongoose waits for a lost
   * connection to come back): short, so that a request while MongoDB is down gets SERVICE_UNAVAILABLE in
   * about this long instead of hanging (README "When MongoDB is down").
   */
  serverSelectionTimeoutMs?: number;
  /**
   * How long start-up keeps trying to reach the store (default 30 s): a store still starting, or a loaded
   * machine slow to answer the first handshake, is waited for here and not on every request.
   */
  startupTimeoutMs?: number;
}

/** Opens one database of a service (each subgraph owns its own database, docs/architecture.md §5). */
export async function openDatabase(
  uri: string,
  dbName: string,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  const commands = new CommandCounter();
  const timeoutMs = options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
  // `bufferTimeoutMS` is read by mongoose's connection at run time but missing from its `ConnectOptions` type.
  const connectOptions: ConnectOptions & { bufferTimeoutMS: number } = {
    dbName,
    monitorCommands: true,
    serverSelectionTimeoutMS: timeoutMs,
    bufferTimeoutMS: timeoutMs,
    autoIndex: true,
  };
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  let connection: Connection;
  for (;;) {
    connection = mongoose.createConnection(uri, connectOptions);
    try {
      await connection.asPromise();
      break;
    } catch (error) {
      await connection.close().catch(() => undefined);
      if (!isStoreUnavailable(error) || Date.now() >= deadline) throw error;
    }
  }
  connection.getClient().on('commandStarted', (event) => commands.record(event.commandName));
  return {
    connection,
    commands,
    close: async () => {
      await connection.close();
    },
  };
}

export const databaseName = (prefix: string, service: string): string => `${prefix}_${service}`;
