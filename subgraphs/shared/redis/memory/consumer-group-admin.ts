import { ReplyError, syntaxError } from '../reply-error.js';
import { isToken } from './arguments.js';
import type { MemoryKeyspace } from './keyspace.js';
import { MemoryStream } from './stream.js';
import { parseStreamId } from './stream-id.js';

const keyRequiredError = (): ReplyError =>
  new ReplyError(
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  );

/** XGROUP CREATE, SETID, DESTROY, CREATECONSUMER and DELCONSUMER. */
export function xgroup(
  keyspace: MemoryKeyspace,
  subcommand: string,
  key: string,
  args: string[],
): 'OK' | number {
  const command = subcommand.toUpperCase();
  const makeStream = command === 'CREATE' && args.slice(2).some((arg) => isToken(arg, 'MKSTREAM'));
  let stream = keyspace.read(key, 'stream')?.stream;
  if (stream === undefined && !makeStream) throw keyRequiredError();
  const [groupName, third] = args;
  if (groupName === undefined) throw syntaxError();
  if (command === 'CREATE') {
    if (third === undefined) throw syntaxError();
    const start = third === '$' ? undefined : parseStreamId(third);
    if (stream === undefined) {
      stream = new MemoryStream();
      keyspace.write(key, { type: 'stream', stream });
    }
    if (stream.groups.has(groupName)) throw new ReplyError('BUSYGROUP Consumer Group name already exists');
    stream.groups.set(groupName, {
      lastDeliveredId: start ?? stream.lastId,
      pending: new Map(),
      consumers: new Set(),
    });
    return 'OK';
  }
  if (stream === undefined) throw keyRequiredError();
  if (command === 'DESTROY') return stream.groups.delete(groupName) ? 1 : 0;
  const group = stream.groups.get(groupName);
  if (group === undefined) {
    throw new ReplyError(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
  }
  if (third === undefined) throw syntaxError();
  if (command === 'SETID') {
    group.lastDeliveredId = third === '$' ? stream.lastId : parseStreamId(third);
    return 'OK';
  }
  if (command === 'CREATECONSUMER') {
    if (group.consumers.has(third)) return 0;
    group.consumers.add(third);
    return 1;
  }
  if (command === 'DELCONSUMER') {
    let pending = 0;
    for (const [idText, delivery] of group.pending) {
      if (delivery.consumer !== third) continue;
      group.pending.delete(idText);
      pending += 1;
    }
    group.consumers.delete(third);
    return pending;
  }
  throw new ReplyError(`ERR unknown subcommand '${subcommand}'. Try XGROUP HELP.`);
}
