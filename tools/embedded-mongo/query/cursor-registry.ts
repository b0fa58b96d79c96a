import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { CursorBatchReply } from '../wire/reply-encoding.js';
import { bsonOf } from '../storage/stored-document.js';

/** The server's default first batch: 101 documents. */
export const DEFAULT_FIRST_BATCH = 101;
/** A batch stops growing past 16 MiB so a reply stays under the advertised message size. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

interface OpenCursor {
  id: number;
  namespace: string;
  /** Remaining results, computed when the cursor was opened (a snapshot). */
  docs: Document[];
  position: number;
  lastUsed: number;
  noTimeout: boolean;
}

/**
 * Open cursors of one server. Results are materialized at open time; a batch is a slice. Idle cursors
 * are dropped after `timeoutMs` (checked on every access and by a periodic sweep), like the
 * server's `cursorTimeoutMillis`.
 */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  // Random start so ids from a restarted server do not collide with ids a client still remembers.
  private nextId = Math.floor(Math.random() * 2 ** 40) + 1;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    // Expiry is also checked on every access, so the sweep only has to reclaim memory eventually.
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, Math.min(timeoutMs, 60_000)));
    this.sweeper.unref();
  }

  get openCount(): number {
    return this.cursors.size;
  }

  /** Builds the first-batch reply; registers a cursor only when results remain. */
  open(
    namespace: string,
    docs: Document[],
    options: { batchSize?: number; singleBatch?: boolean; noTimeout?: boolean },
  ): CursorBatchReply {
    const size = options.batchSize ?? DEFAULT_FIRST_BATCH;
    const batch = takeBatch(docs, 0, size);
    const exhausted = batch.length >= docs.length || options.singleBatch === true;
    let id = 0;
    if (!exhausted) {
      id = this.nextId;
      this.nextId += 1;
      this.cursors.set(id, {
        id,
        namespace,
        docs,
        position: batch.length,
        lastUsed: Date.now(),
        noTimeout: options.noTimeout === true,
      });
    }
    return new CursorBatchReply('firstBatch', batch, id, namespace);
  }

  getMore(id: number, namespace: string, batchSize: number | undefined): CursorBatchReply {
    const cursor = this.live(id);
    if (cursor.namespace !== namespace) {
      throw new CommandError(
        ErrorCode.BadValue,
        `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    const batch = takeBatch(cursor.docs, cursor.position, batchSize && batchSize > 0 ? batchSize : Infinity);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    let replyId = id;
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      replyId = 0;
    }
    return new CursorBatchReply('nextBatch', batch, replyId, namespace);
  }

  /** Returns whether the cursor existed. */
  kill(id: number): boolean {
    return this.cursors.delete(id);
  }

  killAll(): void {
    this.cursors.clear();
  }

  private live(id: number): OpenCursor {
    const cursor = this.cursors.get(id);
    if (!cursor || this.expired(cursor, Date.now())) {
      this.cursors.delete(id);
      throw new CommandError(ErrorCode.CursorNotFound, `cursor id ${id} not found`);
    }
    return cursor;
  }

  private expired(cursor: OpenCursor, now: number): boolean {
    return !cursor.noTimeout && now - cursor.lastUsed > this.timeoutMs;
  }

  private sweep(): void {
    const now = Date.now();
    for (const cursor of this.cursors.values()) if (this.expired(cursor, now)) this.cursors.delete(cursor.id);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.cursors.clear();
  }
}

/** The next batch, already encoded. */
function takeBatch(docs: Document[], from: number, size: number): Uint8Array[] {
  const batch: Uint8Array[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && batch.length < size; i += 1) {
    const encoded = bsonOf(docs[i]);
    bytes += encoded.length;
    // Always return at least one document, whatever its size.
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(encoded);
  }
  return batch;
}
