import type { StreamEntry } from '../redis-client.js';
import { ReplyError, syntaxError, wrongArgumentCountError } from '../reply-error.js';
import { isToken, requireSafeInteger } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';
import { MemoryStream } from './stream.js';
import type { StoredStreamEntry } from './stream.js';
import {
  compareStreamIds,
  formatStreamId,
  incrementStreamId,
  parseStreamId,
  parseStreamInterval,
} from './stream-id.js';
import type { StreamId } from './stream-id.js';

interface TrimRule {
  strategy: 'MAXLEN' | 'MINID';
  approximate: boolean;
  threshold: string;
}

/** Reads `MAXLEN|MINID [=|~] threshold [LIMIT n]` at `args[at]`; returns the rule and the next index. */
function parseTrimRule(args: string[], at: number): { rule: TrimRule; next: number } {
  const strategy = args[at].toUpperCase() as 'MAXLEN' | 'MINID';
  let i = at + 1;
  let approximate = false;
  if (args[i] === '~' || args[i] === '=') {
    approximate = args[i] === '~';
    i += 1;
  }
  const threshold = args[i];
  if (threshold === undefined) throw syntaxError();
  i += 1;
  // LIMIT only bounds how much one call may trim; the block-wise approximation already stays within it.
  if (isToken(args[i], 'LIMIT')) {
    if (!approximate) {
      throw new ReplyError('ERR syntax error, LIMIT cannot be used without the special ~ option');
    }
    requireSafeInteger(args[i + 1] ?? '');
    i += 2;
  }
  return { rule: { strategy, approximate, threshold }, next: i };
}

function applyTrim(stream: MemoryStream, rule: TrimRule): number {
  if (rule.strategy === 'MINID') return stream.trimBelow(parseStreamId(rule.threshold), rule.approximate);
  const maxLength = requireSafeInteger(rule.threshold);
  if (maxLength < 0) throw new ReplyError('ERR The MAXLEN argument must be >= 0.');
  return stream.trimToLength(maxLength, rule.approximate);
}

/** The id XADD assigns: '*' (time-based), '<ms>-*' (Redis 7) or explicit, always above the last id. */
function nextEntryId(stream: MemoryStream, idText: string): StreamId {
  const last = stream.lastId;
  if (idText === '*') {
    const now = BigInt(Date.now());
    return now > last.ms ? { ms: now, seq: 0n } : (incrementStreamId(last) ?? tooSmall());
  }
  let id: StreamId;
  if (idText.endsWith('-*')) {
    // Redis 7: the sequence continues the last entry's when the time part is the same, else starts at 0.
    const { ms } = parseStreamId(idText.slice(0, -2));
    id = { ms, seq: ms === last.ms ? last.seq + 1n : 0n };
  } else {
    id = parseStreamId(idText);
    if (id.ms === 0n && id.seq === 0n) {
      throw new ReplyError('ERR The ID specified in XADD must be greater than 0-0');
    }
  }
  if (compareStreamIds(id, last) <= 0) tooSmall();
  return id;
}

function tooSmall(): never {
  throw new ReplyError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
}

export function xadd(keyspace: MemoryKeyspace, key: string, args: string[]): string | null {
  let i = 0;
  let noMakeStream = false;
  let trim: TrimRule | undefined;
  for (;;) {
    if (isToken(args[i], 'NOMKSTREAM')) {
      noMakeStream = true;
      i += 1;
    } else if (isToken(args[i], 'MAXLEN') || isToken(args[i], 'MINID')) {
      const parsed = parseTrimRule(args, i);
      trim = parsed.rule;
      i = parsed.next;
    } else {
      break;
    }
  }
  const idText = args[i];
  const fields = args.slice(i + 1);
  if (idText === undefined || fields.length === 0 || fields.length % 2 !== 0) {
    throw wrongArgumentCountError('xadd');
  }
  const existing = keyspace.read(key, 'stream');
  if (existing === undefined && noMakeStream) return null;
  const stream = existing?.stream ?? new MemoryStream();
  const id = nextEntryId(stream, idText);
  if (existing === undefined) keyspace.write(key, { type: 'stream', stream });
  stream.append(id, fields);
  if (trim !== undefined) applyTrim(stream, trim);
  keyspace.notifyStreamAppend(key);
  return formatStreamId(id);
}

export function xlen(keyspace: MemoryKeyspace, key: string): number {
  return keyspace.read(key, 'stream')?.stream.entries.length ?? 0;
}

export const toReplyEntry = (entry: StoredStreamEntry): StreamEntry => [entry.idText, [...entry.fields]];

/** XRANGE (`reverse` false, bounds start..end) and XREVRANGE (`reverse` true, bounds given end..start). */
export function xrange(
  keyspace: MemoryKeyspace,
  key: string,
  first: string,
  second: string,
  args: string[],
  reverse: boolean,
): StreamEntry[] {
  const [startText, endText] = reverse ? [second, first] : [first, second];
  let count: number | undefined;
  if (args.length > 0) {
    if (args.length !== 2 || !isToken(args[0], 'COUNT')) throw syntaxError();
    count = Math.max(0, requireSafeInteger(args[1]));
  }
  const interval = parseStreamInterval(startText, endText);
  const stream = keyspace.read(key, 'stream')?.stream;
  if (stream === undefined || interval === undefined) return [];
  return stream.range(interval, count, reverse).map(toReplyEntry);
}

export function xdel(keyspace: MemoryKeyspace, key: string, idTexts: string[]): number {
  const ids = idTexts.map((text) => parseStreamId(text));
  const stream = keyspace.read(key, 'stream')?.stream;
  if (stream === undefined) return 0;
  return ids.filter((id) => stream.delete(id)).length;
}

export function xtrim(keyspace: MemoryKeyspace, key: string, args: string[]): number {
  if (!isToken(args[0], 'MAXLEN') && !isToken(args[0], 'MINID')) throw syntaxError();
  const { rule, next } = parseTrimRule(args, 0);
  if (next !== args.length) throw syntaxError();
  const stream = keyspace.read(key, 'stream')?.stream;
  return stream === undefined ? 0 : applyTrim(stream, rule);
}
