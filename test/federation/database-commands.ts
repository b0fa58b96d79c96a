import type { CommandStartedEvent } from 'mongodb';
import type { DatabaseHandle } from '../../subgraphs/shared/db/mongo-connection.js';

/** Connection housekeeping the driver sends on its own; everything else is a query or a write. */
const HOUSEKEEPING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
  'buildInfo',
]);

/** Records the name of every data command one database receives, in order, until reset. */
export class DatabaseCommandLog {
  private names: string[] = [];
  private commandTargets: string[] = [];

  constructor(db: DatabaseHandle) {
    const dbName = db.connection.name;
    db.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      if (event.databaseName === dbName && !HOUSEKEEPING.has(event.commandName)) {
        this.names.push(event.commandName);
        this.commandTargets.push(`${event.commandName} ${String(event.command[event.commandName])}`);
      }
    });
  }

  get commands(): readonly string[] {
    return this.names;
  }

  /** Each command with the collection it names, e.g. `find members`. */
  get targets(): readonly string[] {
    return this.commandTargets;
  }

  reset(): void {
    this.names = [];
    this.commandTargets = [];
  }
}
