/**
 * An error reply from Redis. ioredis rejects with its own ReplyError (name 'ReplyError', message starting
 * with the Redis error code); the in-process adapter rejects with this class, named the same, so callers
 * tell errors apart the same way on both backends: with `redisErrorCode`.
 */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

/** The Redis error code ('BUSYGROUP', 'NOGROUP', 'WRONGTYPE', 'ERR', ...) of an error reply, else undefined. */
export function redisErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  const match = /^([A-Z]+)\b/.exec(error.message);
  return match ? match[1] : undefined;
}

export const wrongTypeError = (): ReplyError =>
  new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');

export const syntaxError = (): ReplyError => new ReplyError('ERR syntax error');

export const notIntegerError = (): ReplyError =>
  new ReplyError('ERR value is not an integer or out of range');

export const wrongArgumentCountError = (command: string): ReplyError =>
  new ReplyError(`ERR wrong number of arguments for '${command}' command`);
