import type { CommandHandler } from './command-context.js';

/** `profile` (what `db.setProfilingLevel` sends): sets or reads the database's profiling level. */
export const profileCommands: Record<string, CommandHandler> = {
  profile: (body, context) => context.profiler.configure(context.dbName, body),
};
