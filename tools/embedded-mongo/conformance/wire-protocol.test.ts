import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { startTestMongo, uniqueDbName } from './test-fixture.js';
import type { TestMongo } from './test-fixture.js';

/** Raw wire-protocol checks: what drivers rely on below their API (handshake, sections, moreToCome). */

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 2;

let mongo: TestMongo;
let socket: Socket;
let dbName: string;
let nextRequestId = 1;
const pending: Buffer[] = [];
let waiter: (() => void) | undefined;

/** host:port of a plain `mongodb://` URI; other URIs (SRV, auth) are out of scope for raw sockets. */
function hostAndPort(uri: string): { host: string; port: number } | undefined {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^:/,?]+)(?::(\d+))?(?:[/?]|$)/.exec(uri);
  return match ? { host: match[1], port: Number(match[2] ?? 27017) } : undefined;
}

const target = hostAndPort(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1');
const suite = target ? describe : describe.skip;

function header(length: number, opCode: number, requestId: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

function opQuery(ns: string, query: Document): { bytes: Buffer; requestId: number } {
  const requestId = nextRequestId++;
  const body = Buffer.concat([
    Buffer.from([0, 0, 0, 0]),
    Buffer.from(`${ns}\0`),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), // skip 0, return -1 (one document)
    serialize(query),
  ]);
  return { bytes: Buffer.concat([header(16 + body.length, OP_QUERY, requestId), body]), requestId };
}

function opMsg(
  body: Document,
  flags = 0,
  sequence?: { id: string; docs: Document[] },
): { bytes: Buffer; requestId: number } {
  const requestId = nextRequestId++;
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(serialize(body))];
  parts[0].writeUInt32LE(flags, 0);
  if (sequence) {
    const docs = Buffer.concat(sequence.docs.map((doc) => Buffer.from(serialize(doc))));
    const id = Buffer.from(`${sequence.id}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length, 0);
    parts.push(Buffer.from([1]), size, id, docs);
  }
  const payload = Buffer.concat(parts);
  return { bytes: Buffer.concat([header(16 + payload.length, OP_MSG, requestId), payload]), requestId };
}

/** Reads the next complete message from the socket. */
async function nextMessage(): Promise<{ opCode: number; responseTo: number; body: Document }> {
  for (;;) {
    const all = Buffer.concat(pending);
    if (all.length >= 4 && all.length >= all.readInt32LE(0)) {
      const length = all.readInt32LE(0);
      pending.length = 0;
      if (all.length > length) pending.push(all.subarray(length));
      const message = all.subarray(0, length);
      const opCode = message.readInt32LE(12);
      const responseTo = message.readInt32LE(8);
      // OP_REPLY: flags, cursorId, startingFrom, numberReturned, then documents; OP_MSG: flags, kind 0.
      const docStart = opCode === OP_REPLY ? 16 + 20 : 16 + 5;
      return { opCode, responseTo, body: deserialize(message.subarray(docStart)) };
    }
    await new Promise<void>((resolve) => (waiter = resolve));
  }
}

beforeAll(async () => {
  mongo = await startTestMongo();
  dbName = uniqueDbName('wire');
  const { host, port } = hostAndPort(mongo.uri) ?? { host: '127.0.0.1', port: 0 };
  socket = connect(port, host);
  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    waiter?.();
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
});

afterAll(async () => {
  const { bytes } = opMsg({ dropDatabase: 1, $db: dbName });
  socket.write(bytes);
  await nextMessage();
  socket.destroy();
  await mongo.stop();
});

suite('wire protocol', () => {
  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const { bytes, requestId } = opQuery('admin.$cmd', { isMaster: 1, helloOk: true });
    socket.write(bytes);
    const reply = await nextMessage();
    expect(reply.opCode).toBe(OP_REPLY);
    expect(reply.responseTo).toBe(requestId);
    expect(reply.body).toMatchObject({ ismaster: true, ok: 1 });
    expect(reply.body.setName).toBeUndefined();
  });

  it('accepts document sequences (kind 1 sections) in OP_MSG', async () => {
    const insert = opMsg({ insert: 'seq', $db: dbName }, 0, {
      id: 'documents',
      docs: [{ _id: 1 }, { _id: 2 }],
    });
    socket.write(insert.bytes);
    const reply = await nextMessage();
    expect(reply.opCode).toBe(OP_MSG);
    expect(reply.responseTo).toBe(insert.requestId);
    expect(reply.body).toMatchObject({ n: 2, ok: 1 });
  });

  it('sends no reply to a moreToCome request', async () => {
    socket.write(
      opMsg({ insert: 'seq', documents: [{ _id: 3 }], writeConcern: { w: 0 }, $db: dbName }, MORE_TO_COME)
        .bytes,
    );
    const count = opMsg({ count: 'seq', $db: dbName });
    socket.write(count.bytes);
    const reply = await nextMessage();
    expect(reply.responseTo).toBe(count.requestId);
    expect(reply.body).toMatchObject({ n: 3, ok: 1 });
  });

  it('reports failures as ok: 0 with errmsg, code and codeName', async () => {
    const bad = opMsg({ noSuchCommand: 1, $db: dbName });
    socket.write(bad.bytes);
    const reply = await nextMessage();
    expect(reply.body).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    expect(typeof reply.body.errmsg).toBe('string');
  });

  it('puts duplicate keys of an insert in writeErrors with keyPattern and keyValue', async () => {
    const dup = opMsg({ insert: 'seq', documents: [{ _id: 1 }], $db: dbName });
    socket.write(dup.bytes);
    const reply = await nextMessage();
    expect(reply.body).toMatchObject({
      ok: 1,
      n: 0,
      writeErrors: [{ index: 0, code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } }],
    });
  });
});
