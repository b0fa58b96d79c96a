import { mkdir, readFile, readdir, rename, unlink, open } from 'node:fs/promises';
import { join } from 'node:path';
import { serialize } from 'bson';
import type { Document } from 'bson';
import type { Catalog } from './catalog.js';
import type { IndexSpec } from './collection-index.js';
import type { Collection } from './collection.js';
import { decodeDocument } from './stored-document.js';

/**
 * Snapshot format: one `<database>.bson` file per database, a plain concatenation of BSON documents.
 * Each collection is a header `{ collection, options, indexes }` followed by `{ doc }` records, so
 * no single BSON document has to hold a whole collection (BSON documents stop at 16 MiB).
 */
const SUFFIX = '.bson';

function fileNameOf(dbName: string): string {
  return `${encodeURIComponent(dbName)}${SUFFIX}`;
}

/** A database file at least this large is announced while it loads (it takes seconds). */
const ANNOUNCED_BYTES = 64 * 2 ** 20;

/** Loads every database file under `dbPath`; `log` hears of large files as they load. */
export async function loadSnapshot(
  dbPath: string,
  catalog: Catalog,
  log?: (line: string) => void,
): Promise<void> {
  await mkdir(dbPath, { recursive: true });
  for (const file of await readdir(dbPath)) {
    if (!file.endsWith(SUFFIX)) continue;
    const dbName = decodeURIComponent(file.slice(0, -SUFFIX.length));
    const data = await readFile(join(dbPath, file));
    const announce = log && data.length >= ANNOUNCED_BYTES ? log : undefined;
    const started = Date.now();
    announce?.(`loading ${dbName} (${(data.length / 2 ** 20).toFixed(0)} MB)…`);
    try {
      const documents = loadDatabase(catalog, dbName, data);
      announce?.(
        `loaded ${dbName}: ${documents} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (err) {
      throw new Error(`snapshot ${join(dbPath, file)} is unreadable: ${(err as Error).message}`);
    }
  }
}

/** Loads one database file; returns how many documents it held. */
function loadDatabase(catalog: Catalog, dbName: string, data: Buffer): number {
  let documents = 0;
  let collection: Collection | undefined;
  for (let offset = 0; offset < data.length;) {
    const size = data.readInt32LE(offset);
    if (collection && isDocumentRecord(data, offset)) {
      // The stored document's own bytes sit inside the record: the store copies those into its slabs, and
      // decodes them once for the indexes, instead of encoding the document again.
      const encoded = data.subarray(offset + 4 + RECORD_HEADER.length, offset + size - 1);
      collection.insert(decodeDocument(encoded), { encoded });
      documents += 1;
      offset += size;
      continue;
    }
    const record = decodeDocument(data.subarray(offset, offset + size));
    offset += size;
    if (typeof record.collection === 'string') {
      collection = catalog.createCollection(dbName, record.collection, record.options as Document);
      for (const spec of record.indexes as IndexSpec[]) collection.createIndex(spec);
    } else if (collection) {
      collection.insert(record.doc as Document);
      documents += 1;
    }
  }
  return documents;
}

/** `{ doc: <document> }` around a stored document's bytes, without decoding it: header, bytes, trailer. */
function documentRecord(bytes: Uint8Array): Uint8Array[] {
  const header = Buffer.allocUnsafe(RECORD_HEADER.length + 4);
  header.writeInt32LE(header.length + bytes.length + 1, 0);
  header.set(RECORD_HEADER, 4);
  return [header, bytes, RECORD_TRAILER];
}

function isDocumentRecord(data: Buffer, offset: number): boolean {
  for (let i = 0; i < RECORD_HEADER.length; i += 1)
    if (data[offset + 4 + i] !== RECORD_HEADER[i]) return false;
  return true;
}

/** After the record's size: an embedded document (0x03) named "doc". */
const RECORD_HEADER = Buffer.from([0x03, 0x64, 0x6f, 0x63, 0x00]);
const RECORD_TRAILER = Buffer.from([0x00]);

/** How many bytes of records are gathered before they are written out: memory stays bounded by this. */
const WRITE_CHUNK_BYTES = 8 * 2 ** 20;

/**
 * Writes every database to a temporary file, flushes it, then renames it over the previous snapshot. Records
 * go out in chunks of about `WRITE_CHUNK_BYTES` as they are read (compressed documents are inflated one at a
 * time), so writing a database of gigabytes holds megabytes, not a copy of the database.
 */
export async function writeSnapshot(dbPath: string, catalog: Catalog): Promise<void> {
  await mkdir(dbPath, { recursive: true });
  const written = new Set<string>();
  for (const [dbName, collections] of catalog.databases) {
    const fileName = fileNameOf(dbName);
    const target = join(dbPath, fileName);
    const temporary = `${target}.tmp-${process.pid}`;
    const handle = await open(temporary, 'w');
    try {
      let parts: Uint8Array[] = [];
      let gathered = 0;
      const flush = async () => {
        if (parts.length === 0) return;
        await handle.write(Buffer.concat(parts, gathered));
        parts = [];
        gathered = 0;
      };
      for (const collection of collections.values()) {
        const indexes = [...collection.indexes.values()].map((index) => index.spec);
        const header = serialize({ collection: collection.name, options: collection.options, indexes });
        parts.push(header);
        gathered += header.length;
        // Synchronous between chunks: an await per record made a promise per record, millions of them.
        for (const bytes of collection.encodedDocuments()) {
          for (const part of documentRecord(bytes)) {
            parts.push(part);
            gathered += part.length;
          }
          if (gathered >= WRITE_CHUNK_BYTES) await flush();
        }
      }
      await flush();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    written.add(fileName);
  }
  // Databases dropped since the last snapshot lose their file.
  for (const file of await readdir(dbPath)) {
    if (file.endsWith(SUFFIX) && !written.has(file)) await unlink(join(dbPath, file));
  }
}
