import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import { IntervalWorker } from '../../shared/events/background-worker.js';
import {
  decodeLifecycleMessage,
  encodeLifecycleMessage,
} from '../../shared/events/member-lifecycle-message.js';
import type { StreamEntry, ActivityStream } from '../../shared/streams/activity-stream.js';
import { notFound } from '../../shared/errors.js';
import type { ErasureJobDocument, ErasureJobStore } from '../data/erasure-jobs.js';
import type { MemberModel, MemberDocument } from '../data/member-model.js';
import type { ProfileErasureStores } from '../data/profile-erasure.js';
import { eraseProfileData } from '../data/profile-erasure.js';

export interface ErasureCoordinatorOptions {
  jobs: ErasureJobStore;
  members: MemberModel;
  stores: ProfileErasureStores;
  /** Where the other stores hear of the erasure and answer with receipts; null: the profile alone. */
  stream: ActivityStream | null;
  /** Every store that must answer: `profile`, `benefits`, `brand:<partner>`. */
  storeNames: string[];
  /** A store that has not answered is asked again after this long. */
  retryMs: number;
  now: () => Date;
  onError?: (error: unknown) => void;
}

/**
 * Erasure as a durable job and idempotent steps (docs/architecture.md §7). The job is written first, with
 * the member's accounts; the profile erases its own data and records its receipt; the erase command goes on
 * the lifecycle stream, where each brand and the benefits service erase theirs and answer with a receipt,
 * which this coordinator records. A store that was down reads the command when it is back (its consumer
 * group keeps it), and the sweep sends the command again to jobs still missing receipts after `retryMs` (in
 * case the stream lost it). The job completes when every store has answered, and then forgets the member id.
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

  /** One pass over a pending job: the profile's own part if not done, then the command to the other stores. */
  async advance(job: ErasureJobDocument): Promise<void> {
    const { jobs, now } = this.options;
    if (job.state !== 'PENDING' || !job.memberId) return;
    if (!job.receipts.some((r) => r.store === 'profile')) {
      const receipt = await eraseProfileData(this.options.stores, job.memberId, job.accounts ?? {}, now());
      await jobs.recordReceipt(job._id, receipt);
    }
    const waiting = job.stores.filter((s) => s !== 'profile' && !job.receipts.some((r) => r.store === s));
    if (waiting.length > 0 && this.options.stream) {
      await this.options.stream.publish([
        encodeLifecycleMessage({
          kind: 'erase',
          jobId: job._id,
          memberId: job.memberId,
          accounts: job.accounts ?? {},
        }),
      ]);
      await jobs.markSent(job._id, now());
    }
    await jobs.completeIfDone(job._id, now());
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
        await this.options.jobs.completeIfDone(message.jobId, this.options.now());
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
