import { mkdir, readFile, readdir, rename, unlink, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import type { Catalog } from './catalog.js';
import type { IndexSpec } from './collection-index.js';
import type { Collection } from './collection.js';

/**
 * Snapshot format: one `<database>.bson` file per database, a plain concatenation of BSON documents.
 * Each collection is a header `{ collection, options, indexes }` followed by `{ doc }` records, so
 * no single BSON document has to hold a whole collection (BSON documents stop at 16 MiB).
 */
const SUFFIX = '.bson';

function fileNameOf(dbName: string): string {
  return `${encodeURIComponent(dbName)}${SUFFIX}`;
}

const bsonOptions = { promoteLongs: true, promoteValues: true, bsonRegExp: false } as const;

export async function loadSnapshot(dbPath: string, catalog: Catalog): Promise<void> {
  await mkdir(dbPath, { recursive: true });
  for (const file of await readdir(dbPath)) {
    if (!file.endsWith(SUFFIX)) continue;
    const dbName = decodeURIComponent(file.slice(0, -SUFFIX.length));
    const data = await readFile(join(dbPath, file));
    try {
      loadDatabase(catalog, dbName, data);
    } catch (err) {
      throw new Error(`snapshot ${join(dbPath, file)} is unreadable: ${(err as Error).message}`);
    }
  }
}

function loadDatabase(catalog: Catalog, dbName: string, data: Buffer): void {
  let collection: Collection | undefined;
  for (let offset = 0; offset < data.length;) {
    const size = data.readInt32LE(offset);
    const record = deserialize(data.subarray(offset, offset + size), bsonOptions);
    offset += size;
    if (typeof record.collection === 'string') {
      collection = catalog.createCollection(dbName, record.collection, record.options as Document);
      for (const spec of record.indexes as IndexSpec[]) collection.createIndex(spec);
    } else if (collection) {
      collection.insert(record.doc as Document);
    }
  }
}

/** Writes every database to a temporary file, flushes it, then renames it over the previous snapshot. */
export async function writeSnapshot(dbPath: string, catalog: Catalog): Promise<void> {
  await mkdir(dbPath, { recursive: true });
  const written = new Set<string>();
  for (const [dbName, collections] of catalog.databases) {
    const parts: Uint8Array[] = [];
    for (const collection of collections.values()) {
      const indexes = [...collection.indexes.values()].map((index) => index.spec);
      parts.push(serialize({ collection: collection.name, options: collection.options, indexes }));
      for (const doc of collection.docs.values()) parts.push(serialize({ doc }, { checkKeys: false }));
    }
    const fileName = fileNameOf(dbName);
    const target = join(dbPath, fileName);
    const temporary = `${target}.tmp-${process.pid}`;
    await writeFile(temporary, Buffer.concat(parts));
    const handle = await open(temporary, 'r');
    await handle.sync();
    await handle.close();
    await rename(temporary, target);
    written.add(fileName);
  }
  // Databases dropped since the last snapshot lose their file.
  for (const file of await readdir(dbPath)) {
    if (file.endsWith(SUFFIX) && !written.has(file)) await unlink(join(dbPath, file));
  }
}
