import { ReplyError, syntaxError } from '../reply-error.js';
import { formatScore, isToken, parseScore, requireSafeInteger } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';
import { SortedSet } from './sorted-set.js';
import type { ScoreBound } from './sorted-set.js';

const notFloatError = (): ReplyError => new ReplyError('ERR value is not a valid float');

interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
}

function parseZaddFlags(args: string[]): { flags: ZaddFlags; rest: string[] } {
  const flags: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false };
  let i = 0;
  for (; i < args.length; i += 1) {
    const token = args[i].toUpperCase();
    if (token === 'NX' || token === 'XX' || token === 'GT' || token === 'LT' || token === 'CH') {
      flags[token.toLowerCase() as keyof ZaddFlags] = true;
    } else {
      break;
    }
  }
  if (flags.nx && flags.xx) {
    throw new ReplyError('ERR XX and NX options at the same time are not compatible');
  }
  if ((flags.gt && flags.lt) || (flags.nx && (flags.gt || flags.lt))) {
    throw new ReplyError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  return { flags, rest: args.slice(i) };
}

export function zadd(keyspace: MemoryKeyspace, key: string, args: string[]): number {
  const { flags, rest } = parseZaddFlags(args);
  if (rest.length === 0 || rest.length % 2 !== 0) throw syntaxError();
  const pairs: [number, string][] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const score = parseScore(rest[i]);
    if (score === undefined) throw notFloatError();
    pairs.push([score, rest[i + 1]]);
  }
  if (flags.xx && !keyspace.has(key)) return 0;
  const { set } = keyspace.readOrCreate(key, 'zset', () => ({ type: 'zset', set: new SortedSet() }));
  let added = 0;
  let changed = 0;
  for (const [score, member] of pairs) {
    const current = set.score(member);
    if (current === undefined) {
      if (flags.xx) continue;
      set.set(member, score);
      added += 1;
    } else if (!flags.nx && current !== score) {
      if ((flags.gt && score <= current) || (flags.lt && score >= current)) continue;
      set.set(member, score);
      changed += 1;
    }
  }
  keyspace.deleteIfEmpty(key, set.size);
  return flags.ch ? added + changed : added;
}

function parseBound(text: string): ScoreBound {
  const exclusive = text.startsWith('(');
  const value = parseScore(exclusive ? text.slice(1) : text);
  if (value === undefined) throw new ReplyError('ERR min or max is not a float');
  return { value, exclusive };
}

export function zremrangebyscore(
  keyspace: MemoryKeyspace,
  key: string,
  minText: string,
  maxText: string,
): number {
  const min = parseBound(minText);
  const max = parseBound(maxText);
  const zset = keyspace.read(key, 'zset');
  if (zset === undefined) return 0;
  const removed = zset.set.removeByScore(min, max);
  keyspace.deleteIfEmpty(key, zset.set.size);
  return removed;
}

export function zcard(keyspace: MemoryKeyspace, key: string): number {
  return keyspace.read(key, 'zset')?.set.size ?? 0;
}

/** ZRANGE by rank: negative ranks count from the end; out-of-range ranks clamp as in Redis. */
export function zrange(
  keyspace: MemoryKeyspace,
  key: string,
  startText: string,
  stopText: string,
  args: string[],
): string[] {
  let start = requireSafeInteger(startText);
  let stop = requireSafeInteger(stopText);
  if (args.length > 1 || (args.length === 1 && !isToken(args[0], 'WITHSCORES'))) throw syntaxError();
  const entries = keyspace.read(key, 'zset')?.set.entries() ?? [];
  const length = entries.length;
  if (start < 0) start = Math.max(0, start + length);
  if (stop < 0) stop += length;
  if (start > stop || start >= length) return [];
  const selected = entries.slice(start, Math.min(stop, length - 1) + 1);
  return args.length === 1
    ? selected.flatMap(([member, score]) => [member, formatScore(score)])
    : selected.map(([member]) => member);
}
