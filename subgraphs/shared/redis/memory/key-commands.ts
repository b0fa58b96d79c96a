import { ReplyError } from '../reply-error.js';
import { requireInteger } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';

export function del(keyspace: MemoryKeyspace, keys: string[]): number {
  return keys.filter((key) => keyspace.delete(key)).length;
}

export function exists(keyspace: MemoryKeyspace, keys: string[]): number {
  return keys.filter((key) => keyspace.has(key)).length;
}

/** EXPIRE and PEXPIRE: `unitMs` is 1000 or 1. A key without TTL counts as infinite for GT and LT. */
export function expire(
  keyspace: MemoryKeyspace,
  key: string,
  amountText: string,
  unitMs: number,
  args: string[],
): number {
  const amount = requireInteger(amountText);
  const condition = parseExpireCondition(args);
  const current = keyspace.expiryOf(key);
  if (current === null) return 0;
  const at = Date.now() + Number(amount) * unitMs;
  const currentOrInfinite = current ?? Infinity;
  const allowed =
    condition === undefined ||
    (condition === 'NX' && current === undefined) ||
    (condition === 'XX' && current !== undefined) ||
    (condition === 'GT' && at > currentOrInfinite) ||
    (condition === 'LT' && at < currentOrInfinite);
  if (!allowed) return 0;
  keyspace.expireAt(key, at);
  return 1;
}

function parseExpireCondition(args: string[]): 'NX' | 'XX' | 'GT' | 'LT' | undefined {
  const conditions = args.map((arg) => arg.toUpperCase());
  for (const condition of conditions) {
    if (condition !== 'NX' && condition !== 'XX' && condition !== 'GT' && condition !== 'LT') {
      throw new ReplyError(`ERR Unsupported option ${condition}`);
    }
  }
  if (conditions.length > 1) {
    throw new ReplyError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (conditions.length === 0) return undefined;
  return conditions[0] as 'NX' | 'XX' | 'GT' | 'LT';
}

/** PTTL: ms left; TTL: rounded to the nearest second as Redis does ((ms + 500) / 1000). */
export function ttl(keyspace: MemoryKeyspace, key: string, unit: 'ms' | 's'): number {
  const expiresAt = keyspace.expiryOf(key);
  if (expiresAt === null) return -2;
  if (expiresAt === undefined) return -1;
  const remaining = Math.max(0, expiresAt - Date.now());
  return unit === 'ms' ? remaining : Math.floor((remaining + 500) / 1000);
}
