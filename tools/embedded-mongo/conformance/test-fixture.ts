import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startEmbeddedMongo } from '../index.js';
import type { EmbeddedMongoOptions } from '../index.js';

export interface TestMongo {
  uri: string;
  /** True when the suite runs against the embedded store (no `MONGODB_URI`). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The server a conformance test talks to: the real MongoDB named by `MONGODB_URI` when set, so the
 * same suite checks the store against the real thing, otherwise a fresh embedded store.
 */
export async function startTestMongo(options: EmbeddedMongoOptions = {}): Promise<TestMongo> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedMongo(options);
  return { uri: server.uri, embedded: true, stop: () => server.stop() };
}

/** A database name no other test file or run uses, so suites never see each other's data. */
export function uniqueDbName(area: string): string {
  return `conformance_${area}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Every `stage` named anywhere in an explain plan (classic and slot-based engines nest them differently). */
export function planStages(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(planStages);
  if (plan === null || typeof plan !== 'object') return [];
  const own =
    typeof (plan as { stage?: unknown }).stage === 'string' ? [(plan as { stage: string }).stage] : [];
  return [...own, ...Object.values(plan).flatMap(planStages)];
}

export interface ConformanceDatabase {
  readonly mongo: TestMongo;
  readonly client: MongoClient;
  readonly db: Db;
  /** A mongoose connection to the same database; only when asked for with `mongoose: true`. */
  readonly connection: Connection;
}

export interface ConformanceDatabaseOptions {
  /** Writes the documents and indexes the suite reads, once, before its first test. */
  seed?: (db: Db) => Promise<void>;
  /** Also opens a mongoose connection to the database. */
  mongoose?: boolean;
}

/**
 * Registers the suite's `beforeAll`/`afterAll`: starts the server, connects a driver client (and a mongoose
 * connection when asked) to a database of its own named after `area`, and drops it and stops everything after.
 * The fields are readable from the first test on.
 */
export function useConformanceDatabase(
  area: string,
  options: ConformanceDatabaseOptions = {},
): ConformanceDatabase {
  let opened: { mongo: TestMongo; client: MongoClient; db: Db; connection?: Connection } | undefined;

  beforeAll(async () => {
    const mongo = await startTestMongo();
    const client = await MongoClient.connect(mongo.uri);
    const dbName = uniqueDbName(area);
    const db = client.db(dbName);
    const connection = options.mongoose
      ? await mongoose.createConnection(mongo.uri, { dbName }).asPromise()
      : undefined;
    opened = { mongo, client, db, connection };
    await options.seed?.(db);
  });

  afterAll(async () => {
    if (!opened) return;
    await opened.db.dropDatabase();
    await opened.connection?.close();
    await opened.client.close();
    await opened.mongo.stop();
  });

  function current(): NonNullable<typeof opened> {
    if (!opened) throw new Error(`the ${area} conformance database is opened in beforeAll`);
    return opened;
  }

  return {
    get mongo() {
      return current().mongo;
    },
    get client() {
      return current().client;
    },
    get db() {
      return current().db;
    },
    get connection() {
      const { connection } = current();
      if (!connection)
        throw new Error('ask useConformanceDatabase for { mongoose: true } to get a connection');
      return connection;
    },
  };
}

/** For suites on features of the embedded store itself (snapshots, timeouts): skipped against a real server. */
export const embeddedOnly = process.env.MONGODB_URI ? describe.skip : describe;

/** Runs `run` with a client of a fresh embedded store started with `options`; closes both afterwards. */
export async function withEmbeddedMongo<T>(
  options: EmbeddedMongoOptions,
  run: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const server = await startEmbeddedMongo(options);
  const client = await MongoClient.connect(server.uri);
  try {
    return await run(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

/** A directory of its own for the suite, made before its first test and removed after its last. */
export function useTemporaryDirectory(prefix: string): { readonly path: string } {
  let path: string | undefined;
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (path) await rm(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!path) throw new Error('the temporary directory is made in beforeAll');
      return path;
    },
  };
}
