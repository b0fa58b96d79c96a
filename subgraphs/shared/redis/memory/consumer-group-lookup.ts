import { ReplyError } from '../reply-error.js';
import type { MemoryKeyspace } from './keyspace.js';
import type { ConsumerGroup, MemoryStream } from './stream.js';

export const noGroupError = (key: string, group: string, suffix = ''): ReplyError =>
  new ReplyError(`NOGROUP No such key '${key}' or consumer group '${group}'${suffix}`);

/** The group or the NOGROUP error Redis gives for XPENDING, XCLAIM, XAUTOCLAIM. */
export function requireGroup(
  keyspace: MemoryKeyspace,
  key: string,
  groupName: string,
): { stream: MemoryStream; group: ConsumerGroup } {
  const stream = keyspace.read(key, 'stream')?.stream;
  const group = stream?.groups.get(groupName);
  if (stream === undefined || group === undefined) throw noGroupError(key, groupName);
  return { stream, group };
}
