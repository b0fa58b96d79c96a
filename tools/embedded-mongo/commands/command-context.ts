import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import type { CursorRegistry } from '../query/cursor-registry.js';
import type { ServerStats } from '../server-stats.js';
import type { Profiler } from './profiler.js';
import type { CursorBatchReply } from '../wire/reply-encoding.js';

/** What a command handler may touch: the data, the cursors, and facts about the server and caller. */
export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  stats: ServerStats;
  profiler: Profiler;
  /** The database the command runs against (`$db`). */
  dbName: string;
  connectionId: number;
  port: number;
}

/**
 * A command runs synchronously from start to finish: Node runs one at a time, so every command is
 * atomic with respect to every other client, which is what keeps unique rules intact under load.
 */
export type CommandHandler = (body: Document, context: CommandContext) => Document | CursorBatchReply;
