import mongoose from 'mongoose';
import type { Connection } from 'mongoose';

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

/** Opens one database of a service (each subgraph owns its own database, docs/architecture.md §5). */
export async function openDatabase(uri: string, dbName: string): Promise<DatabaseHandle> {
  const commands = new CommandCounter();
  const connection = mongoose.createConnection(uri, {
    dbName,
    monitorCommands: true,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: true,
  });
  await connection.asPromise();
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
