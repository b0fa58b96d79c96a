import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import { IntervalWorker } from '../../shared/events/background-worker.js';
import type { MemberLifecycleMessage } from '../../shared/events/member-lifecycle-message.js';
import { encodeLifecycleMessage } from '../../shared/events/member-lifecycle-message.js';
import type { ActivityStream } from '../../shared/streams/activity-stream.js';
import {
  requiredString,
  requiredBoolean,
  requiredDate,
  requiredMixed,
} from '../../shared/db/schema-fields.js';

/**
 * A link or unlink the brands must hear of, kept until the lifecycle stream has accepted it. `_id` names the
 * change (kind, account, member, time of the link), so recording it again after a crash or a retried
 * mutation adds nothing.
 */
export interface LifecycleOutboxDocument {
  _id: string;
  memberId: string;
  message: MemberLifecycleMessage;
  createdAt: Date;
  published: boolean;
}

const outboxSchema = new Schema<LifecycleOutboxDocument>(
  {
    _id: requiredString,
    memberId: requiredString,
    message: requiredMixed,
    createdAt: requiredDate,
    published: requiredBoolean,
  },
  { collection: 'lifecycleOutbox', versionKey: false },
);
// The relay reads what is unpublished, oldest first; erasure removes a member's records.
outboxSchema.index({ published: 1, createdAt: 1 });
outboxSchema.index({ memberId: 1 });

export type LifecycleOutboxModel = Model<LifecycleOutboxDocument>;

export function lifecycleOutboxModel(connection: Connection): LifecycleOutboxModel {
  return connection.model<LifecycleOutboxDocument>('LifecycleOutbox', outboxSchema);
}

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number })?.code === 11000;

/** Records link changes for the brands and publishes them, in the order they were recorded. */
export class LifecycleOutbox {
  constructor(
    private readonly Outbox: LifecycleOutboxModel,
    private readonly stream: ActivityStream | null,
  ) {}

  /** Records the change (idempotent by `id`), then tries to publish at once; the relay retries otherwise. */
  async record(id: string, memberId: string, message: MemberLifecycleMessage, at: Date): Promise<void> {
    try {
      await this.Outbox.create({ _id: id, memberId, message, createdAt: at, published: false });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.relay().catch(() => undefined);
  }

  /** Publishes unpublished changes oldest first, then marks them; a crash between the two republishes (harmless). */
  async relay(): Promise<number> {
    if (!this.stream) return 0;
    const pending = await this.Outbox.find({ published: false })
      .sort({ createdAt: 1 })
      .limit(500)
      .lean<LifecycleOutboxDocument[]>();
    if (pending.length === 0) return 0;
    await this.stream.publish(pending.map((d) => encodeLifecycleMessage(d.message)));
    await this.Outbox.updateMany({ _id: { $in: pending.map((d) => d._id) } }, { $set: { published: true } });
    return pending.length;
  }

  worker(everyMs: number, onError?: (error: unknown) => void): BackgroundWorker {
    return new IntervalWorker('lifecycle-outbox', everyMs, () => this.relay(), onError);
  }
}
