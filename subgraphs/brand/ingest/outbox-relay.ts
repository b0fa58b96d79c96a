import type { Model } from 'mongoose';
import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import { Backoff, Wakeable } from '../../shared/events/background-worker.js';
import { encodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { ActivityStream } from '../../shared/streams/activity-stream.js';
import type { EventDocument } from '../data/brand-models.js';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How long to sleep when the outbox is empty (an ingest wakes it sooner). */
  idleMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes applied events from the outbox to the activity stream and marks them published. While the
 * stream is down it retries with backoff and the events wait in the outbox. A crash between publishing and
 * the mark republishes those events; consumers are idempotent per event, so that is harmless.
 */
export class OutboxRelay implements BackgroundWorker {
  readonly name = 'outbox-relay';
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly wakeable = new Wakeable();
  private readonly backoff: Backoff;

  constructor(
    private readonly Event: Model<EventDocument>,
    private readonly stream: ActivityStream,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.backoff = new Backoff(100, options.maxBackoffMs ?? 5_000);
  }

  /** Publishes one batch; returns how many events it published. Throws when the stream or the database fails. */
  async publishPending(): Promise<number> {
    const batch = await this.Event.find({ published: false, state: 'applied' }, { message: 1 })
      .sort({ receivedAt: 1 })
      .limit(this.options.batchSize ?? 200)
      .lean<Pick<EventDocument, '_id' | 'message'>[]>();
    await this.stream.publish(batch.map((event) => encodeActivityMessage(event.message!)));
    if (batch.length > 0) {
      await this.Event.updateMany(
        { _id: { $in: batch.map((e) => e._id) } },
        { $set: { published: true, publishedAt: new Date() } },
      );
    }
    return batch.length;
  }

  kick(): void {
    this.wakeable.wake();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const published = await this.publishPending();
          this.backoff.reset();
          if (published === 0) await this.wakeable.wait(this.options.idleMs ?? 1_000);
        } catch (error) {
          this.options.onError?.(error);
          await this.wakeable.wait(this.backoff.next());
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeable.wake();
    await this.loop;
  }
}
