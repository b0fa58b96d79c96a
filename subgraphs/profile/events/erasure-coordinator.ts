import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import { IntervalWorker } from '../../shared/events/background-worker.js';
import {
  decodeLifecycleMessage,
  encodeLifecycleMessage,
  erasureCount,
} from '../../shared/events/member-lifecycle-message.js';
import type { StreamEntry, ActivityStream } from '../../shared/streams/activity-stream.js';
import { notFound } from '../../shared/errors.js';
import type { ErasureJobDocument, ErasureJobStore } from '../data/erasure-jobs.js';
import type { MemberModel, MemberDocument } from '../data/member-model.js';
import type { ProfileErasureStores } from '../data/profile-erasure.js';
import { eraseProfileData } from '../data/profile-erasure.js';
import { STREAMS_STORE, nextErasureStep } from '../domain/privacy/erasure-phase.js';

/** A stream entry names one of `ids` when its JSON holds one of them as a whole string. */
const mentioning = (ids: readonly string[]) => {
  const needles = ids.map((id) => JSON.stringify(id));
  return (payload: string) => needles.some((needle) => payload.includes(needle));
};

export interface ErasureCoordinatorOptions {
  jobs: ErasureJobStore;
  members: MemberModel;
  stores: ProfileErasureStores;
  /** Where the other stores hear of the erasure and answer with receipts; null: the profile alone. */
  stream: ActivityStream | null;
  /** Every store that must answer: `profile`, `benefits`, `brand:<partner>`. */
  storeNames: string[];
  /**
   * Streams whose entries name members (the activity stream, the lifecycle stream): scrubbed last, once every
   * store has answered, so no entry naming the member is published after it. Their receipt is `streams`.
   */
  scrubbedStreams: { name: string; stream: ActivityStream }[];
  /** A store that has not answered is asked again after this long. */
  retryMs: number;
  now: () => Date;
  onError?: (error: unknown) => void;
}

/**
 * Erasure as a durable job and idempotent steps (docs/architecture.md §7). The job is written first, with
 * the member's accounts; the profile erases its own data and records its receipt; erase commands go on the
 * lifecycle stream, naming the stores asked, which erase theirs and answer with a receipt that this
 * coordinator records (phases: `continue`). A store that was down reads the command when it is back (its
 * consumer group keeps it), and the sweep sends the command again to jobs still missing receipts after
 * `retryMs` (in case the stream lost it). The job completes when every store has answered, and then
 * forgets the member id.
 */
export class ErasureCoordinator {
  readonly jobs: ErasureJobStore;

  constructor(private readonly options: ErasureCoordinatorOptions) {
    this.jobs = options.jobs;
  }

  /** Opens (or finds) the member's erasure and starts it; unknown members are refused unless a job exists. */
  async request(memberId: string, requestedBy: string): Promise<ErasureJobDocument> {
    const { jobs, members, now } = this.options;
    const existing = await jobs.byMember(memberId);
    if (existing) {
      if (existing.state === 'PENDING') await this.advance(existing);
      return (await jobs.byMember(memberId)) ?? existing;
    }
    const member = await members.findById(memberId).lean<MemberDocument>();
    if (!member) throw notFound('No such member.');
    const accounts = Object.fromEntries(member.links.map((l) => [l.partner, l.partnerMemberId]));
    const job = await jobs.open(memberId, accounts, this.options.storeNames, requestedBy, now());
    await this.advance(job);
    return (await jobs.byMember(memberId)) ?? job;
  }

  /** One pass over a pending job: the profile's own part if not done, then the phase it is in (sending). */
  async advance(job: ErasureJobDocument): Promise<void> {
    const { jobs, now } = this.options;
    if (job.state !== 'PENDING' || !job.memberId) return;
    if (!job.receipts.some((r) => r.store === 'profile')) {
      const receipt = await eraseProfileData(this.options.stores, job.memberId, job.accounts ?? {}, now());
      await jobs.recordReceipt(job._id, receipt);
    }
    await this.continue(job._id, true);
  }

  private async send(job: ErasureJobDocument, stores: string[]): Promise<void> {
    if (!this.options.stream || !job.memberId) return;
    await this.options.stream.publish([
      encodeLifecycleMessage({
        kind: 'erase',
        jobId: job._id,
        memberId: job.memberId,
        accounts: job.accounts ?? {},
        stores,
      }),
    ]);
    await this.options.jobs.markSent(job._id, this.options.now());
  }

  /**
   * Takes a job as far as it can go now (`nextErasureStep` decides the order). `resend`: ask the stores of
   * the current phase again (a request, the retry sweep); otherwise only a phase just entered is asked.
   */
  async continue(jobId: string, resend: boolean): Promise<void> {
    const { jobs, now } = this.options;
    let entered = false;
    for (;;) {
      const job = await jobs.byId(jobId);
      if (!job || job.state !== 'PENDING' || !job.memberId) return;
      const step = nextErasureStep(job.stores, new Set(job.receipts.map((r) => r.store)));
      const names = mentioning([job.memberId, ...Object.values(job.accounts ?? {})]);
      if (step.kind === 'ask') {
        if (resend || entered) await this.send(job, step.stores);
        return;
      }
      if (step.kind === 'complete') {
        // The last commands name the member: they go before the job forgets who it was.
        if (this.options.stream) await this.options.stream.removeEntries(names);
        await jobs.completeIfDone(jobId, now());
        return;
      }
      const counts = [];
      for (const { name, stream } of this.options.scrubbedStreams) {
        counts.push(erasureCount(name, { deleted: await stream.removeEntries(names) }));
      }
      await jobs.recordReceipt(jobId, { store: STREAMS_STORE, counts, at: now().toISOString() });
      entered = true;
    }
  }

  /** Sends again every pending job not sent for `retryMs`. */
  async sweep(): Promise<number> {
    const due = await this.options.jobs.due(this.options.now(), this.options.retryMs);
    for (const job of due) await this.advance(job);
    return due.length;
  }

  /** Records the receipts the stores publish. */
  receiptHandler() {
    return async (entries: StreamEntry[]): Promise<void> => {
      for (const entry of entries) {
        const message = decodeLifecycleMessage(entry.payload);
        if (message?.kind !== 'erasure-receipt') continue;
        await this.options.jobs.recordReceipt(message.jobId, message.receipt);
        await this.continue(message.jobId, false);
      }
    };
  }

  worker(): BackgroundWorker {
    return new IntervalWorker(
      'erasure-retry',
      Math.max(250, Math.floor(this.options.retryMs / 2)),
      () => this.sweep(),
      this.options.onError,
    );
  }
}
