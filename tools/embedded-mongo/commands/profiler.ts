import type { Document } from 'bson';
import { performance } from 'node:perf_hooks';
import { CommandError, ErrorCode } from '../command-error.js';
import { tracePlans } from '../query/query-planner.js';
import type { QueryPlan, TracedPlan } from '../query/query-planner.js';
import type { Catalog } from '../storage/catalog.js';
import { idKeyOf } from '../storage/collection.js';
import type { CursorBatchReply } from '../wire/reply-encoding.js';

/** The collection the server writes profile entries to, in each database. */
export const PROFILE_COLLECTION = 'system.profile';
/** The server caps `system.profile` (1 MB by default); this store keeps the newest entries. */
const MAX_ENTRIES = 10_000;
const DEFAULT_SLOW_MS = 100;

/** The commands whose plans the profiler records, and the `op` the server reports for each. */
const PROFILED_OPS: Record<string, string> = {
  find: 'query',
  insert: 'insert',
  update: 'update',
  delete: 'remove',
  getMore: 'getmore',
  findAndModify: 'command',
  findandmodify: 'command',
  aggregate: 'command',
  count: 'command',
  distinct: 'command',
};

/** Command fields a profile entry leaves out: session plumbing and the bulk of a batch write. */
const OMITTED_FIELDS = new Set([
  'lsid',
  '$clusterTime',
  '$db',
  'txnNumber',
  'documents',
  'updates',
  'deletes',
]);

interface DatabaseProfile {
  level: 0 | 1 | 2;
  slowms: number;
  entryIds: number[];
}

/** The server's plan summary: `COLLSCAN`, `IXSCAN { memberId: 1 }`, `IDHACK`, `EOF`. */
export function planSummary(plan: QueryPlan): string {
  if (plan.stage !== 'IXSCAN') return plan.stage;
  const fields = Object.entries(plan.keyPattern).map(
    ([field, direction]) => `${field}: ${String(direction)}`,
  );
  return `IXSCAN { ${fields.join(', ')} }`;
}

function commandOf(body: Document): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(body)) if (!OMITTED_FIELDS.has(key)) out[key] = value;
  return out;
}

/**
 * The database profiler (`db.setProfilingLevel`, the `profile` command): at level 2 every CRUD command of
 * a database, at level 1 those slower than `slowms`, leave entries in its `system.profile` collection with
 * the server's fields (`op`, `ns`, `command`, `planSummary`, `keysExamined`, `docsExamined`, `millis`,
 * `ts`). A command that planned several queries (a batch of updates) leaves one entry per query, with the
 * query as `command.q`; `docsExamined` is counted for collection scans (the collection's size).
 */
export class Profiler {
  private readonly databases = new Map<string, DatabaseProfile>();
  private nextEntryId = 1;

  constructor(private readonly catalog: Catalog) {}

  private profileOf(dbName: string): DatabaseProfile {
    let profile = this.databases.get(dbName);
    if (!profile) this.databases.set(dbName, (profile = { level: 0, slowms: DEFAULT_SLOW_MS, entryIds: [] }));
    return profile;
  }

  /** Runs one command, recording it when its database is profiled. */
  run(
    name: string,
    body: Document,
    dbName: string,
    command: () => Document | CursorBatchReply,
  ): Document | CursorBatchReply {
    const profile = this.databases.get(dbName);
    const op = PROFILED_OPS[name];
    if (!profile || profile.level === 0 || op === undefined || body[name] === PROFILE_COLLECTION) {
      return command();
    }
    const started = performance.now();
    const { result, plans } = tracePlans(command);
    const millis = Math.round(performance.now() - started);
    if (profile.level === 1 && millis < profile.slowms) return result;
    const base: Document = {
      op,
      ns: `${dbName}.${String(body[name])}`,
      command: commandOf(body),
      millis,
      ts: new Date(),
      client: '127.0.0.1',
      allUsers: [],
      user: '',
    };
    if ('batch' in result) base.nreturned = result.batch.length;
    if (plans.length === 0) this.record(dbName, profile, base);
    for (const traced of plans) this.record(dbName, profile, entryFor(base, traced, plans.length > 1));
    return result;
  }

  private record(dbName: string, profile: DatabaseProfile, entry: Document): void {
    const collection = this.catalog.ensureCollection(dbName, PROFILE_COLLECTION);
    const id = this.nextEntryId++;
    collection.insert({ _id: id, ...entry }, { owned: true });
    profile.entryIds.push(id);
    while (profile.entryIds.length > MAX_ENTRIES) collection.remove(idKeyOf(profile.entryIds.shift()));
  }

  /** The `profile` command: `-1` reads the settings, `0`/`1`/`2` set the level; replies with the previous ones. */
  configure(dbName: string, body: Document): Document {
    const level = body.profile;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < -1 || level > 2) {
      throw new CommandError(ErrorCode.BadValue, `Invalid profiling level: ${String(level)}`);
    }
    const profile = this.profileOf(dbName);
    const reply = { was: profile.level, slowms: profile.slowms, sampleRate: 1, ok: 1 };
    if (level !== -1) profile.level = level as 0 | 1 | 2;
    if (typeof body.slowms === 'number') profile.slowms = body.slowms;
    return reply;
  }
}

function entryFor(base: Document, traced: TracedPlan, perQuery: boolean): Document {
  const { plan } = traced;
  const entry: Document = {
    ...base,
    ns: traced.namespace,
    command: perQuery ? { ...base.command, q: traced.filter } : base.command,
    keysExamined: plan.stage === 'IXSCAN' || plan.stage === 'IDHACK' ? plan.keysExamined : 0,
    planSummary: planSummary(plan),
  };
  if (plan.stage === 'COLLSCAN') entry.docsExamined = traced.collectionSize;
  return entry;
}
