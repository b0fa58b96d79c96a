import type { StreamReadReply } from '../redis-client.js';
import { ReplyError, syntaxError } from '../reply-error.js';
import { isToken, requireSafeInteger } from './arguments.js';
import { noGroupError } from './consumer-group-lookup.js';
import type { MemoryKeyspace } from './keyspace.js';
import { pendingInOrder } from './stream.js';
import type { ConsumerGroup, MemoryStream, StoredStreamEntry } from './stream.js';
import { toReplyEntry } from './stream-commands.js';
import { compareStreamIds, formatStreamId, parseStreamId } from './stream-id.js';
import type { StreamId } from './stream-id.js';

export interface GroupReadRequest {
  group: string;
  consumer: string;
  count: number;
  /** undefined: do not block; 0: block forever. */
  blockMs: number | undefined;
  noAck: boolean;
  streams: { key: string; id: string }[];
}

/** Parses the arguments after 'GROUP'; stream keys come back as given (the caller prefixes them). */
export function parseGroupRead(args: string[]): GroupReadRequest {
  const [group, consumer] = args;
  if (group === undefined || consumer === undefined) throw syntaxError();
  const request: GroupReadRequest = {
    group,
    consumer,
    count: 0,
    blockMs: undefined,
    noAck: false,
    streams: [],
  };
  for (let i = 2; i < args.length; i += 1) {
    if (isToken(args[i], 'COUNT')) {
      request.count = Math.max(0, requireSafeInteger(args[i + 1] ?? ''));
      i += 1;
    } else if (isToken(args[i], 'BLOCK')) {
      const blockMs = requireSafeInteger(args[i + 1] ?? '');
      if (blockMs < 0) throw new ReplyError('ERR timeout is negative');
      request.blockMs = blockMs;
      i += 1;
    } else if (isToken(args[i], 'NOACK')) {
      request.noAck = true;
    } else if (isToken(args[i], 'STREAMS')) {
      const rest = args.slice(i + 1);
      if (rest.length === 0 || rest.length % 2 !== 0) {
        throw new ReplyError(
          "ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.",
        );
      }
      const half = rest.length / 2;
      request.streams = rest.slice(0, half).map((key, index) => ({ key, id: rest[half + index] }));
      return request;
    } else {
      throw syntaxError();
    }
  }
  throw syntaxError();
}

function deliver(group: ConsumerGroup, consumer: string, entry: StoredStreamEntry, now: number): void {
  group.pending.set(entry.idText, {
    id: entry.id,
    idText: entry.idText,
    consumer,
    deliveredAt: now,
    deliveryCount: 1,
  });
}

/**
 * One non-blocking XREADGROUP attempt: new entries for '>', else the consumer's own pending entries after
 * the id (re-reading counts as a delivery). null when no stream had anything to deliver.
 */
export function readGroup(keyspace: MemoryKeyspace, request: GroupReadRequest): StreamReadReply | null {
  const targets = request.streams.map(({ key, id }) => {
    const stream = keyspace.read(key, 'stream')?.stream;
    const group = stream?.groups.get(request.group);
    if (stream === undefined || group === undefined) {
      throw noGroupError(key, request.group, ' in XREADGROUP with GROUP option');
    }
    return { key, stream, group, after: id === '>' ? undefined : parseStreamId(id) };
  });
  const now = Date.now();
  const reply: StreamReadReply = [];
  for (const { key, stream, group, after } of targets) {
    group.consumers.add(request.consumer);
    if (after === undefined) {
      const entries = stream.after(group.lastDeliveredId, request.count);
      if (entries.length === 0) continue;
      group.lastDeliveredId = entries[entries.length - 1].id;
      if (!request.noAck) for (const entry of entries) deliver(group, request.consumer, entry, now);
      reply.push([key, entries.map(toReplyEntry)]);
    } else {
      reply.push([key, rereadPending(stream, group, request.consumer, after, request.count, now)]);
    }
  }
  return reply.length > 0 ? reply : null;
}

function rereadPending(
  stream: MemoryStream,
  group: ConsumerGroup,
  consumer: string,
  after: StreamId,
  count: number,
  now: number,
): [string, string[] | null][] {
  const own = pendingInOrder(group).filter(
    (delivery) => delivery.consumer === consumer && compareStreamIds(delivery.id, after) > 0,
  );
  return (count > 0 ? own.slice(0, count) : own).map((delivery) => {
    const entry = stream.find(delivery.id);
    if (entry === undefined) return [delivery.idText, null];
    delivery.deliveredAt = now;
    delivery.deliveryCount += 1;
    return [delivery.idText, [...entry.fields]];
  });
}

export function xack(keyspace: MemoryKeyspace, key: string, groupName: string, idTexts: string[]): number {
  const ids = idTexts.map((text) => formatStreamId(parseStreamId(text)));
  const group = keyspace.read(key, 'stream')?.stream.groups.get(groupName);
  if (group === undefined) return 0;
  return ids.filter((id) => group.pending.delete(id)).length;
}
