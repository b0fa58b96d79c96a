import type { AutoClaimReply, PendingEntry, PendingSummary, StreamEntry } from '../redis-client.js';
import { ReplyError, syntaxError } from '../reply-error.js';
import { isToken, requireSafeInteger } from './arguments.js';
import { requireGroup } from './consumer-group-lookup.js';
import type { MemoryKeyspace } from './keyspace.js';
import { pendingInOrder } from './stream.js';
import type { ConsumerGroup, PendingDelivery } from './stream.js';
import { toReplyEntry } from './stream-commands.js';
import {
  compareStreamIds,
  formatStreamId,
  incrementStreamId,
  parseStreamId,
  parseStreamInterval,
} from './stream-id.js';

export function xpending(
  keyspace: MemoryKeyspace,
  key: string,
  groupName: string,
  args: string[],
): PendingSummary | PendingEntry[] {
  const { group } = requireGroup(keyspace, key, groupName);
  if (args.length === 0) return pendingSummary(group);
  let minIdle = 0;
  let rest = args;
  if (isToken(rest[0], 'IDLE')) {
    minIdle = requireSafeInteger(rest[1] ?? '');
    rest = rest.slice(2);
  }
  if (rest.length !== 3 && rest.length !== 4) throw syntaxError();
  const [startText, endText, countText, consumer] = rest;
  const count = Math.max(0, requireSafeInteger(countText));
  const interval = parseStreamInterval(startText, endText);
  if (interval === undefined) return [];
  const now = Date.now();
  return pendingInOrder(group)
    .filter(
      (delivery) =>
        compareStreamIds(delivery.id, interval.start) >= 0 &&
        compareStreamIds(delivery.id, interval.end) <= 0 &&
        (consumer === undefined || delivery.consumer === consumer) &&
        now - delivery.deliveredAt >= minIdle,
    )
    .slice(0, count)
    .map((delivery): PendingEntry => [
      delivery.idText,
      delivery.consumer,
      now - delivery.deliveredAt,
      delivery.deliveryCount,
    ]);
}

function pendingSummary(group: ConsumerGroup): PendingSummary {
  const pending = pendingInOrder(group);
  if (pending.length === 0) return [0, null, null, null];
  const perConsumer = new Map<string, number>();
  for (const delivery of pending) {
    perConsumer.set(delivery.consumer, (perConsumer.get(delivery.consumer) ?? 0) + 1);
  }
  const consumers = [...perConsumer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]): [string, string] => [name, String(count)]);
  return [pending.length, pending[0].idText, pending[pending.length - 1].idText, consumers];
}

/**
 * XAUTOCLAIM as in Redis 7.0: scans the PEL from `start`, at most COUNT*10 entries; claims those idle for
 * at least `minIdle`; drops (and reports) pending ids whose entry was deleted, counting them against COUNT.
 */
export function xautoclaim(
  keyspace: MemoryKeyspace,
  key: string,
  groupName: string,
  consumer: string,
  minIdleText: string,
  startText: string,
  args: string[],
): AutoClaimReply | [string, string[], string[]] {
  const { stream, group } = requireGroup(keyspace, key, groupName);
  const minIdle = Math.max(0, requireSafeInteger(minIdleText));
  const start = startText.startsWith('(')
    ? incrementStreamId(parseStreamId(startText.slice(1)))
    : parseStreamId(startText);
  let count = 100;
  let justId = false;
  for (let i = 0; i < args.length; i += 1) {
    if (isToken(args[i], 'COUNT')) {
      count = requireSafeInteger(args[i + 1] ?? '');
      if (count < 1) throw new ReplyError('ERR COUNT must be > 0');
      i += 1;
    } else if (isToken(args[i], 'JUSTID')) {
      justId = true;
    } else {
      throw syntaxError();
    }
  }
  const now = Date.now();
  const candidates =
    start === undefined
      ? []
      : pendingInOrder(group).filter((delivery) => compareStreamIds(delivery.id, start) >= 0);
  const claimed: StreamEntry[] = [];
  const claimedIds: string[] = [];
  const deleted: string[] = [];
  let attempts = count * 10;
  let index = 0;
  for (; attempts > 0 && count > 0 && index < candidates.length; index += 1, attempts -= 1) {
    const delivery = candidates[index];
    const entry = stream.find(delivery.id);
    if (entry === undefined) {
      group.pending.delete(delivery.idText);
      deleted.push(delivery.idText);
      count -= 1;
      continue;
    }
    if (now - delivery.deliveredAt < minIdle) continue;
    claim(group, delivery, consumer, now, !justId);
    claimedIds.push(delivery.idText);
    claimed.push(toReplyEntry(entry));
    count -= 1;
  }
  const next = index < candidates.length ? candidates[index].idText : '0-0';
  return justId ? [next, claimedIds, deleted] : [next, claimed, deleted];
}

function claim(
  group: ConsumerGroup,
  delivery: PendingDelivery,
  consumer: string,
  at: number,
  countDelivery: boolean,
): void {
  group.consumers.add(consumer);
  delivery.consumer = consumer;
  delivery.deliveredAt = at;
  if (countDelivery) delivery.deliveryCount += 1;
}

interface ClaimOptions {
  deliveredAt: number;
  retryCount: number | undefined;
  force: boolean;
  justId: boolean;
}

function parseClaimOptions(args: string[], now: number): ClaimOptions {
  const options: ClaimOptions = { deliveredAt: now, retryCount: undefined, force: false, justId: false };
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i].toUpperCase();
    if (token === 'IDLE' || token === 'TIME' || token === 'RETRYCOUNT' || token === 'LASTID') {
      const value = args[i + 1];
      if (value === undefined) throw syntaxError();
      if (token === 'IDLE') options.deliveredAt = now - requireSafeInteger(value);
      if (token === 'TIME') options.deliveredAt = requireSafeInteger(value);
      if (token === 'RETRYCOUNT') options.retryCount = requireSafeInteger(value);
      i += 1;
    } else if (token === 'FORCE') {
      options.force = true;
    } else if (token === 'JUSTID') {
      options.justId = true;
    } else {
      throw new ReplyError(`ERR Unrecognized XCLAIM option '${args[i]}'`);
    }
  }
  return options;
}

/** XCLAIM as in Redis 7.0: pending ids whose entry was deleted leave the PEL and are not returned. */
export function xclaim(
  keyspace: MemoryKeyspace,
  key: string,
  groupName: string,
  consumer: string,
  minIdleText: string,
  args: string[],
): StreamEntry[] | string[] {
  const { stream, group } = requireGroup(keyspace, key, groupName);
  const minIdle = Math.max(0, requireSafeInteger(minIdleText));
  const firstOption = args.findIndex((arg) => !/^[0-9]+(-[0-9]+)?$/.test(arg));
  const idTexts = firstOption === -1 ? args : args.slice(0, firstOption);
  const now = Date.now();
  const options = parseClaimOptions(firstOption === -1 ? [] : args.slice(firstOption), now);
  const entries: StreamEntry[] = [];
  const ids: string[] = [];
  for (const id of idTexts.map((text) => parseStreamId(text))) {
    const idText = formatStreamId(id);
    let delivery = group.pending.get(idText);
    const entry = stream.find(id);
    if (delivery === undefined) {
      if (!options.force || entry === undefined) continue;
      delivery = { id, idText, consumer, deliveredAt: now, deliveryCount: 0 };
      group.pending.set(idText, delivery);
    } else if (minIdle > 0 && now - delivery.deliveredAt < minIdle) {
      continue;
    }
    if (entry === undefined) {
      group.pending.delete(idText);
      continue;
    }
    claim(group, delivery, consumer, options.deliveredAt, !options.justId);
    if (options.retryCount !== undefined) delivery.deliveryCount = options.retryCount;
    ids.push(idText);
    entries.push(toReplyEntry(entry));
  }
  return options.justId ? ids : entries;
}
