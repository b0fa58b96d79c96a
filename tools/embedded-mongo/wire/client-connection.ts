import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { MAX_MESSAGE_SIZE, decodeRequest, encodeLegacyReply, encodeMsgReply } from './wire-messages.js';
import type { DecodedRequest } from './wire-messages.js';
import type { ServerStats } from '../server-stats.js';
import { encodeReply } from './reply-encoding.js';
import type { CursorBatchReply } from './reply-encoding.js';

/** Runs a decoded command document against a database and returns the reply document. */
export type RunCommand = (
  command: Document,
  dbName: string,
  connectionId: number,
) => Document | CursorBatchReply;

let lastRequestId = 0;

/**
 * One client socket: splits the byte stream into wire messages, runs each command to completion
 * before looking at the next, and writes the reply (none when the client set moreToCome).
 */
export class ClientConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly runCommand: RunCommand,
    private readonly stats: ServerStats,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A client vanishing mid-write is routine (process exit, pool shrink); the socket just closes.
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.flatten();
      const length = head.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_SIZE) {
        this.socket.destroy();
        return;
      }
      if (this.buffered < length) return;
      const all = this.flatten();
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      try {
        this.handle(message);
      } catch {
        // Every command failure is answered as an error reply; reaching here means the stream itself
        // is unusable, and a hosting dev server must not go down with one bad client.
        this.socket.destroy();
        return;
      }
      if (this.socket.destroyed) return;
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }

  /** Server-side time covers decoding, running and encoding: everything but the network. */
  private handle(message: Buffer): void {
    if (!this.stats.timingEnabled) {
      this.process(message);
      return;
    }
    const started = process.hrtime.bigint();
    const name = this.process(message);
    this.stats.recordTiming(name ?? '(undecodable)', process.hrtime.bigint() - started);
  }

  /** Returns the command name, for timing. */
  private process(message: Buffer): string | undefined {
    let request: DecodedRequest;
    try {
      request = decodeRequest(message);
    } catch (err) {
      const error =
        err instanceof CommandError ? err : new CommandError(ErrorCode.FailedToParse, String(err));
      const requestId = message.readInt32LE(4);
      this.socket.write(encodeMsgReply(++lastRequestId, requestId, encodeReply(error.toReply())));
      return undefined;
    }
    const dbName = request.kind === 'query' ? request.legacyDb : request.command.$db;
    const reply =
      typeof dbName === 'string' && dbName.length > 0
        ? this.runCommand(request.command, dbName, this.id)
        : new CommandError(ErrorCode.FailedToParse, "OP_MSG requests require a '$db' argument").toReply();
    const name = Object.keys(request.command)[0];
    if (request.moreToCome) return name;
    const encode = request.kind === 'query' ? encodeLegacyReply : encodeMsgReply;
    this.socket.write(encode(++lastRequestId, request.header.requestId, encodeReplySafely(reply)));
    return name;
  }
}

/** A reply that cannot be encoded (e.g. a document over the BSON size limit) becomes an error reply. */
function encodeReplySafely(reply: Parameters<typeof encodeReply>[0]): Uint8Array {
  try {
    return encodeReply(reply);
  } catch (err) {
    return encodeReply(
      new CommandError(ErrorCode.BSONObjectTooLarge, `reply could not be encoded: ${String(err)}`).toReply(),
    );
  }
}
