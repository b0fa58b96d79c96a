import { ReplyError } from '../reply-error.js';

/** A stream entry id `<ms>-<seq>`; both parts are unsigned 64-bit, hence bigint. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

const MAX_PART = 2n ** 64n - 1n;
export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: MAX_PART, seq: MAX_PART };

export const invalidStreamIdError = (): ReplyError =>
  new ReplyError('ERR Invalid stream ID specified as stream command argument');

export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export const formatStreamId = (id: StreamId): string => `${id.ms}-${id.seq}`;

function parsePart(text: string): bigint | undefined {
  if (!/^[0-9]{1,20}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > MAX_PART ? undefined : value;
}

/**
 * Parses `ms-seq` or a bare `ms`, whose missing sequence is `missingSeq` (0 for a range start, the maximum
 * for a range end). '-' and '+' stand for the smallest and largest id.
 */
export function parseStreamId(text: string, missingSeq: 'min' | 'max' = 'min'): StreamId {
  if (text === '-') return MIN_ID;
  if (text === '+') return MAX_ID;
  const [msText, seqText, ...rest] = text.split('-');
  const ms = parsePart(msText);
  const seq = seqText === undefined ? (missingSeq === 'min' ? 0n : MAX_PART) : parsePart(seqText);
  if (ms === undefined || seq === undefined || rest.length > 0) throw invalidStreamIdError();
  return { ms, seq };
}

/** The next id after `id`, or undefined past the largest id. */
export function incrementStreamId(id: StreamId): StreamId | undefined {
  if (id.seq < MAX_PART) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms < MAX_PART) return { ms: id.ms + 1n, seq: 0n };
  return undefined;
}

function decrementStreamId(id: StreamId): StreamId | undefined {
  if (id.seq > 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms > 0n) return { ms: id.ms - 1n, seq: MAX_PART };
  return undefined;
}

/** An inclusive id interval; undefined when an exclusive bound leaves nothing. */
export interface StreamIdInterval {
  start: StreamId;
  end: StreamId;
}

/** Parses XRANGE/XPENDING bounds, including Redis 6.2's '(' exclusive form. */
export function parseStreamInterval(startText: string, endText: string): StreamIdInterval | undefined {
  const start = startText.startsWith('(')
    ? exclusive(startText.slice(1), 'min')
    : parseStreamId(startText, 'min');
  const end = endText.startsWith('(') ? exclusive(endText.slice(1), 'max') : parseStreamId(endText, 'max');
  if (start === undefined || end === undefined) return undefined;
  return { start, end };
}

function exclusive(text: string, side: 'min' | 'max'): StreamId | undefined {
  if (text === '-' || text === '+') throw new ReplyError('ERR invalid start or end ID for the interval');
  const id = parseStreamId(text, side);
  return side === 'min' ? incrementStreamId(id) : decrementStreamId(id);
}
