import { deserialize } from 'bson';
import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';

/** Opcodes from the MongoDB wire protocol specification. */
export const OpCode = {
  Reply: 1,
  Query: 2004,
  Compressed: 2012,
  Msg: 2013,
} as const;

/** The largest message the server accepts, advertised by `hello` as maxMessageSizeBytes. */
export const MAX_MESSAGE_SIZE = 48_000_000;

/** OP_MSG flag bits. */
const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;

const HEADER_SIZE = 16;

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A request decoded far enough to run: the command document plus how the client wants the reply. */
export interface DecodedRequest {
  header: MessageHeader;
  /** OP_MSG answers with OP_MSG, the legacy handshake (OP_QUERY) with OP_REPLY. */
  kind: 'msg' | 'query';
  /** Set when the client will not read a reply (unacknowledged writes). */
  moreToCome: boolean;
  command: Document;
  /** For OP_QUERY: the database taken from `<db>.$cmd`. */
  legacyDb?: string;
}

export function readHeader(buffer: Buffer, offset: number): MessageHeader {
  return {
    messageLength: buffer.readInt32LE(offset),
    requestId: buffer.readInt32LE(offset + 4),
    responseTo: buffer.readInt32LE(offset + 8),
    opCode: buffer.readInt32LE(offset + 12),
  };
}

/*
 * Documents are decoded with the driver's defaults (int32/double/safe int64 → number), so equality
 * between numbers of different BSON types works the way MongoDB compares them.
 */
/** How every document the store reads is decoded: from a request, a snapshot or its own stored bytes. */
export const DECODE_OPTIONS = { promoteLongs: true, promoteValues: true, bsonRegExp: false } as const;

function readDocument(buffer: Buffer, offset: number): { doc: Document; end: number } {
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) {
    throw new CommandError(ErrorCode.FailedToParse, 'invalid BSON document length in message');
  }
  return { doc: deserialize(buffer.subarray(offset, offset + size), DECODE_OPTIONS), end: offset + size };
}

function readCString(buffer: Buffer, offset: number): { value: string; end: number } {
  const zero = buffer.indexOf(0, offset);
  if (zero < 0) throw new CommandError(ErrorCode.FailedToParse, 'unterminated string in message');
  return { value: buffer.toString('utf8', offset, zero), end: zero + 1 };
}

/** Decodes one complete message (header included). Throws CommandError for malformed or unsupported input. */
export function decodeRequest(message: Buffer): DecodedRequest {
  const header = readHeader(message, 0);
  if (header.opCode === OpCode.Msg) return decodeMsg(message, header);
  if (header.opCode === OpCode.Query) return decodeQuery(message, header);
  if (header.opCode === OpCode.Compressed) {
    throw new CommandError(
      ErrorCode.NotImplemented,
      'OP_COMPRESSED is not supported; compression is not advertised',
    );
  }
  throw new CommandError(ErrorCode.NotImplemented, `unsupported wire protocol opcode ${header.opCode}`);
}

function decodeMsg(message: Buffer, header: MessageHeader): DecodedRequest {
  const flags = message.readUInt32LE(HEADER_SIZE);
  // The optional CRC-32C trailer is not verified: loopback TCP already guarantees integrity.
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const read = readDocument(message, offset);
      body = read.doc;
      offset = read.end;
    } else if (kind === 1) {
      const sectionEnd = offset + message.readInt32LE(offset);
      const id = readCString(message, offset + 4);
      const docs: Document[] = [];
      let cursor = id.end;
      while (cursor < sectionEnd) {
        const read = readDocument(message, cursor);
        docs.push(read.doc);
        cursor = read.end;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new CommandError(ErrorCode.FailedToParse, `unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new CommandError(ErrorCode.FailedToParse, 'OP_MSG without a body section');
  // Kind-1 sections are the bulk form of an array field of the body (e.g. `documents`, `updates`).
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return { header, kind: 'msg', moreToCome: (flags & MORE_TO_COME) !== 0, command: body };
}

function decodeQuery(message: Buffer, header: MessageHeader): DecodedRequest {
  let offset = HEADER_SIZE + 4; // skip flags
  const ns = readCString(message, offset);
  offset = ns.end + 8; // numberToSkip, numberToReturn
  const query = readDocument(message, offset).doc;
  // Drivers wrap legacy commands as { $query: {...}, $readPreference } when a read preference is set.
  const command = (query.$query as Document | undefined) ?? query;
  const dot = ns.value.indexOf('.');
  const legacyDb = dot < 0 ? ns.value : ns.value.slice(0, dot);
  return { header, kind: 'query', moreToCome: false, command, legacyDb };
}

function writeHeader(target: Buffer, length: number, requestId: number, responseTo: number, opCode: number) {
  target.writeInt32LE(length, 0);
  target.writeInt32LE(requestId, 4);
  target.writeInt32LE(responseTo, 8);
  target.writeInt32LE(opCode, 12);
}

/** An OP_MSG reply with a single kind-0 section. */
export function encodeMsgReply(requestId: number, responseTo: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + 4 + 1 + body.length);
  writeHeader(out, out.length, requestId, responseTo, OpCode.Msg);
  out.writeUInt32LE(0, HEADER_SIZE);
  out.writeUInt8(0, HEADER_SIZE + 4);
  out.set(body, HEADER_SIZE + 5);
  return out;
}

/** An OP_REPLY carrying one document, the answer to the legacy OP_QUERY handshake. */
export function encodeLegacyReply(requestId: number, responseTo: number, body: Uint8Array): Buffer {
  const fixed = 4 + 8 + 4 + 4; // responseFlags, cursorID, startingFrom, numberReturned
  const out = Buffer.alloc(HEADER_SIZE + fixed + body.length);
  writeHeader(out, out.length, requestId, responseTo, OpCode.Reply);
  out.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  out.set(body, HEADER_SIZE + fixed);
  return out;
}
