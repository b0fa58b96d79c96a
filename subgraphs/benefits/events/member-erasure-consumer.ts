import type { Connection } from 'mongoose';
import {
  decodeLifecycleMessage,
  encodeLifecycleMessage,
} from '../../shared/events/member-lifecycle-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import { eraseBenefitsData } from '../data/member-erasure.js';

/** Applies erase commands from the member-lifecycle stream and answers each with the benefits receipt. */
export function memberErasureHandler(
  connection: Connection,
  publish: (payloads: string[]) => Promise<unknown>,
  now: () => Date,
) {
  return async (entries: StreamEntry[]): Promise<void> => {
    for (const entry of entries) {
      const message = decodeLifecycleMessage(entry.payload);
      if (message?.kind !== 'erase' || !message.stores.includes('benefits')) continue;
      const receipt = await eraseBenefitsData(connection, message.memberId, now());
      await publish([encodeLifecycleMessage({ kind: 'erasure-receipt', jobId: message.jobId, receipt })]);
    }
  };
}
