import type { GraphQLResolveInfo } from 'graphql';
import type { Connection, Model } from 'mongoose';
import { Schema, Types } from 'mongoose';
import type { Principal } from '../../shared/auth/principal.js';
import type { BackgroundWorker } from '../../shared/events/background-worker.js';
import { selectedFields } from '../domain/privacy/selected-fields.js';
import { requiredString, requiredDate, nullableString, stringList } from '../../shared/db/schema-fields.js';

/**
 * One read of a member's data by someone other than the member (PIPL art. 45; docs/architecture.md §7):
 * who (role, partner, the token's subject), which of the member's fields the profile served, when, and the
 * request id that ties it to the gateway's request log. No other personal data.
 */
export interface AccessLogDocument {
  _id: Types.ObjectId;
  memberId: string;
  at: Date;
  role: string;
  partner: string | null;
  subject: string | null;
  fields: string[];
  requestId: string;
}

const accessLogSchema = new Schema<AccessLogDocument>(
  {
    memberId: requiredString,
    at: requiredDate,
    role: requiredString,
    partner: nullableString,
    subject: nullableString,
    fields: stringList,
    requestId: requiredString,
  },
  { collection: 'accessLog', versionKey: false },
);
// A member's log, newest first, page by page (`_id` grows with time); erasure removes a member's entries.
accessLogSchema.index({ memberId: 1, _id: -1 });

export type AccessLogModel = Model<AccessLogDocument>;

export function accessLogModel(connection: Connection): AccessLogModel {
  return connection.model<AccessLogDocument>('AccessLogEntry', accessLogSchema);
}

/** Whose reads are recorded: everyone's but the member's own. */
export const isRecordedReader = (principal: Principal): boolean =>
  principal.role === 'partner_staff' || principal.role === 'partner_service' || principal.role === 'admin';

const FLUSH_MS = 500;
const FLUSH_AT = 200;

/**
 * Records reads off the request path: `record` only appends to a buffer; the buffer is written in batches
 * (every half second, or at 200 entries) with one unordered insert. A failed write is reported and the
 * batch kept for the next flush, so a store outage delays the log rather than the reads.
 */
export class AccessLogRecorder implements BackgroundWorker {
  readonly name = 'access-log';
  private buffer: Omit<AccessLogDocument, '_id'>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly Log: AccessLogModel,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  record(
    principal: Principal,
    requestId: string,
    memberIds: readonly string[],
    fields: string[],
    at: Date,
  ): void {
    if (!isRecordedReader(principal) || memberIds.length === 0) return;
    const partner = 'partner' in principal ? principal.partner : null;
    const subject = 'subject' in principal ? (principal.subject ?? null) : null;
    for (const memberId of memberIds) {
      this.buffer.push({ memberId, at, role: principal.role, partner, subject, fields, requestId });
    }
    if (this.buffer.length >= FLUSH_AT) void this.flush();
  }

  /** Writes what is buffered; resolves when it is stored (or the write failed and was reported). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.Log.insertMany(batch, { ordered: false })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.buffer = [...batch, ...this.buffer];
        this.onError(error);
      })
      .finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** A member's entries, newest first: `first` of them after the entry `after` (an id). */
  async page(memberId: string, first: number, after: string | null): Promise<AccessLogDocument[]> {
    await this.flush();
    const filter: Record<string, unknown> = { memberId };
    if (after) filter._id = { $lt: new Types.ObjectId(after) };
    return this.Log.find(filter)
      .sort({ _id: -1 })
      .limit(first + 1)
      .lean<AccessLogDocument[]>()
      .exec();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

/** Records that the request's principal read the member (nothing for the member themself or no member). */
export function recordMemberRead<T extends { _id: string } | null | undefined>(
  ctx: { accessLog: AccessLogRecorder; principal: Principal; requestId: string },
  member: T,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
): T {
  if (member)
    ctx.accessLog.record(ctx.principal, ctx.requestId, [member._id], selectedFields(info), new Date());
  return member;
}
