import { notIntegerError, ReplyError, syntaxError } from '../reply-error.js';
import { addIntegers, parseInteger, requireInteger } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';

export function get(keyspace: MemoryKeyspace, key: string): string | null {
  return keyspace.read(key, 'string')?.value ?? null;
}

/** MGET never fails on a key of another type: it answers nil for it. */
export function mget(keyspace: MemoryKeyspace, keys: string[]): (string | null)[] {
  return keys.map((key) => {
    try {
      return get(keyspace, key);
    } catch {
      return null;
    }
  });
}

interface SetOptions {
  ttlMs?: number;
  condition?: 'NX' | 'XX';
  keepTtl: boolean;
}

function parseSetOptions(args: string[]): SetOptions {
  const options: SetOptions = { keepTtl: false };
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i].toUpperCase();
    if ((token === 'NX' || token === 'XX') && options.condition === undefined) {
      options.condition = token;
    } else if ((token === 'EX' || token === 'PX') && options.ttlMs === undefined && !options.keepTtl) {
      const text = args[i + 1];
      if (text === undefined) throw syntaxError();
      const amount = requireInteger(text);
      if (amount <= 0n) throw new ReplyError("ERR invalid expire time in 'set' command");
      options.ttlMs = Number(token === 'EX' ? amount * 1000n : amount);
      i += 1;
    } else if (token === 'KEEPTTL' && options.ttlMs === undefined) {
      options.keepTtl = true;
    } else {
      throw syntaxError();
    }
  }
  return options;
}

export function set(keyspace: MemoryKeyspace, key: string, value: string, args: string[]): 'OK' | null {
  const options = parseSetOptions(args);
  const exists = keyspace.has(key);
  if ((options.condition === 'NX' && exists) || (options.condition === 'XX' && !exists)) return null;
  keyspace.write(key, { type: 'string', value }, options.keepTtl);
  if (options.ttlMs !== undefined) keyspace.expireAt(key, Date.now() + options.ttlMs);
  return 'OK';
}

export function incrby(keyspace: MemoryKeyspace, key: string, incrementText: string): number {
  const increment = requireInteger(incrementText);
  const current = keyspace.read(key, 'string');
  const base = current === undefined ? 0n : parseInteger(current.value);
  if (base === undefined) throw notIntegerError();
  const next = addIntegers(base, increment);
  keyspace.write(key, { type: 'string', value: next.toString() }, true);
  return Number(next);
}
