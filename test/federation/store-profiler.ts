import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';

export type Db = NonNullable<Connection['db']>;

/**
 * The profile entries (`system.profile`, as `db.setProfilingLevel(2)` on a real server) of every CRUD command
 * the databases received while `run` ran: the store's own record of what the services read and wrote.
 */
export async function profiledCommands(
  databases: readonly Db[],
  run: () => Promise<unknown>,
): Promise<Document[]> {
  for (const db of databases) {
    await db.command({ profile: 0 });
    await db
      .collection('system.profile')
      .drop()
      .catch(() => undefined);
    await db.command({ profile: 2 });
  }
  try {
    await run();
  } finally {
    for (const db of databases) await db.command({ profile: 0 });
  }
  const entries: Document[] = [];
  for (const db of databases) entries.push(...(await db.collection('system.profile').find({}).toArray()));
  return entries;
}
