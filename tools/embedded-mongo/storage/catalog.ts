import type { Document } from 'bson';
import { Collection } from './collection.js';
import { CommandError, ErrorCode } from '../command-error.js';

/** Namespace rules from the server: no empty names, no `$`, no null bytes, no `system.` prefix. */
function assertCollectionName(dbName: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError(
      ErrorCode.InvalidNamespace,
      `Invalid namespace specified '${dbName}.${String(name)}'`,
    );
  }
  if (name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError(ErrorCode.InvalidNamespace, `Invalid collection name: ${name}`);
  }
}

function assertDatabaseName(name: string): void {
  if (name.length === 0 || /[/\\. "$*<>:|?\0]/.test(name)) {
    throw new CommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${name}'`);
  }
}

/** All databases of one server. A database exists while it holds at least one collection. */
export class Catalog {
  readonly databases = new Map<string, Map<string, Collection>>();

  collection(dbName: string, name: string): Collection | undefined {
    return this.databases.get(dbName)?.get(name);
  }

  /** Returns the collection, creating it (and its database) the way an implicit write does. */
  ensureCollection(dbName: string, name: unknown, options: Document = {}): Collection {
    assertCollectionName(dbName, name);
    const existing = this.collection(dbName, name);
    if (existing) return existing;
    return this.createCollection(dbName, name, options);
  }

  createCollection(dbName: string, name: unknown, options: Document = {}): Collection {
    assertDatabaseName(dbName);
    assertCollectionName(dbName, name);
    let db = this.databases.get(dbName);
    if (!db) {
      db = new Map();
      this.databases.set(dbName, db);
    }
    if (db.has(name)) {
      throw new CommandError(ErrorCode.NamespaceExists, `Collection ${dbName}.${name} already exists.`);
    }
    const collection = new Collection(dbName, name, options);
    db.set(name, collection);
    return collection;
  }

  /** Removes the collection and lets go of its documents' storage. */
  dropCollection(dbName: string, name: string): Collection | undefined {
    const collection = this.detach(dbName, name);
    collection?.removeAll();
    return collection;
  }

  private detach(dbName: string, name: string): Collection | undefined {
    const db = this.databases.get(dbName);
    const collection = db?.get(name);
    if (!db || !collection) return undefined;
    db.delete(name);
    if (db.size === 0) this.databases.delete(dbName);
    return collection;
  }

  renameCollection(fromDb: string, from: string, toDb: string, to: string): void {
    const collection = this.detach(fromDb, from);
    if (!collection) throw new CommandError(ErrorCode.NamespaceNotFound, 'source namespace does not exist');
    const target = this.createCollection(toDb, to, collection.options);
    // Re-home documents and indexes: the moved collection keeps its contents and index definitions.
    for (const index of collection.indexes.values()) target.createIndex(index.spec);
    for (const doc of collection.documents()) target.insert(doc);
    collection.removeAll();
  }

  dropDatabase(dbName: string): void {
    for (const collection of this.databases.get(dbName)?.values() ?? []) collection.removeAll();
    this.databases.delete(dbName);
  }

  collectionsOf(dbName: string): Collection[] {
    return [...(this.databases.get(dbName)?.values() ?? [])];
  }
}
