import { ReplyError, wrongArgumentCountError } from '../reply-error.js';
import { addIntegers, parseInteger, requireInteger } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';

/** `fieldsAndValues` is flat: field, value, field, value... */
export function hset(keyspace: MemoryKeyspace, key: string, fieldsAndValues: string[]): number {
  if (fieldsAndValues.length === 0 || fieldsAndValues.length % 2 !== 0) throw wrongArgumentCountError('hset');
  const { fields } = keyspace.readOrCreate(key, 'hash', () => ({ type: 'hash', fields: new Map() }));
  let added = 0;
  for (let i = 0; i < fieldsAndValues.length; i += 2) {
    if (!fields.has(fieldsAndValues[i])) added += 1;
    fields.set(fieldsAndValues[i], fieldsAndValues[i + 1]);
  }
  return added;
}

export function hget(keyspace: MemoryKeyspace, key: string, field: string): string | null {
  return keyspace.read(key, 'hash')?.fields.get(field) ?? null;
}

export function hgetall(keyspace: MemoryKeyspace, key: string): Record<string, string> {
  const hash = keyspace.read(key, 'hash');
  const result: Record<string, string> = {};
  // defineProperty, as ioredis does, so a field named '__proto__' stays an ordinary field.
  for (const [field, value] of hash?.fields ?? []) {
    Object.defineProperty(result, field, { value, configurable: true, enumerable: true, writable: true });
  }
  return result;
}

export function hdel(keyspace: MemoryKeyspace, key: string, fieldNames: string[]): number {
  if (fieldNames.length === 0) throw wrongArgumentCountError('hdel');
  const hash = keyspace.read(key, 'hash');
  if (hash === undefined) return 0;
  const removed = fieldNames.filter((field) => hash.fields.delete(field)).length;
  keyspace.deleteIfEmpty(key, hash.fields.size);
  return removed;
}

export function hincrby(keyspace: MemoryKeyspace, key: string, field: string, incrementText: string): number {
  const increment = requireInteger(incrementText);
  const { fields } = keyspace.readOrCreate(key, 'hash', () => ({ type: 'hash', fields: new Map() }));
  const currentText = fields.get(field);
  const current = currentText === undefined ? 0n : parseInteger(currentText);
  if (current === undefined) throw new ReplyError('ERR hash value is not an integer');
  const next = addIntegers(current, increment);
  fields.set(field, next.toString());
  return Number(next);
}
