import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type {
  MembershipDecision,
  MembershipHistoryEntry,
  MembershipState,
} from '../../domain/membership/membership-lifecycle.js';
import { emptyMembership } from '../../domain/membership/membership-lifecycle.js';

const DUPLICATE_KEY = 11000;
/** Compare-and-set retries under contention before the change is left to the caller's retry. */
const MAX_ATTEMPTS = 20;

type MembershipDocument = Omit<MembershipState, 'memberId'> & { _id: string };

const any = Schema.Types.Mixed;
const membershipSchema = new Schema<MembershipDocument>(
  {
    _id: { type: String, required: true },
    planId: { type: String, default: null },
    periods: { type: any, default: [] },
    autoRenew: { type: Boolean, default: false },
    endedAt: { type: Date, default: null },
    history: { type: any, default: [] },
    version: { type: Number, required: true },
  },
  { collection: 'memberships', versionKey: false, minimize: false },
);
// The reconciliation sweep looks subscription events up by key (subscriptionKeysRecorded).
membershipSchema.index({ 'history.key': 1 });
// Analytics read the memberships with a period that ends (or whose grace ends) in or after a window.
membershipSchema.index({ 'periods.end': 1 });
// Settlement reads the memberships with a fee paid in (or refunded in) a month.
membershipSchema.index({ 'periods.paidAt': 1 });

/** Dates inside Mixed arrays come back as Dates from MongoDB; the embedded store may give strings. */
const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));
const optionalDate = (value: unknown): Date | null => (value == null ? null : asDate(value));

function toState(doc: MembershipDocument): MembershipState {
  return {
    memberId: doc._id,
    planId: doc.planId ?? null,
    autoRenew: doc.autoRenew,
    endedAt: optionalDate(doc.endedAt),
    version: doc.version,
    periods: (doc.periods ?? []).map((p) => ({
      ...p,
      periodStart: asDate(p.periodStart),
      start: asDate(p.start),
      end: asDate(p.end),
      paidAt: asDate(p.paidAt),
    })),
    history: (doc.history ?? []).map((h) => ({
      ...h,
      at: asDate(h.at),
      periodStart: optionalDate(h.periodStart),
      periodEnd: optionalDate(h.periodEnd),
    })),
  };
}

export interface MembershipChange {
  state: MembershipState;
  /** The entry this change recorded; null when it was a replay (nothing changed). */
  entry: MembershipHistoryEntry | null;
}

/**
 * One document per member (`_id` is the member id), changed only by compare-and-set on its version, so two
 * deliveries or replicas deciding at once cannot both win: the loser decides again on the new state, where
 * its key is already in the history (docs/architecture.md §9, "Paid membership"). No transaction needed.
 */
export class MembershipStore {
  constructor(
    private readonly Memberships: Model<MembershipDocument>,
    /** Told of every change written (the gateway's cached answers for the member are then dropped). */
    private readonly onChanged?: (memberId: string) => Promise<void>,
  ) {}

  static async open(
    connection: Connection,
    onChanged?: (memberId: string) => Promise<void>,
  ): Promise<MembershipStore> {
    const model = connection.model<MembershipDocument>('Membership', membershipSchema);
    await model.init();
    return new MembershipStore(model, onChanged);
  }

  private async changed(memberId: string, change: MembershipChange): Promise<MembershipChange> {
    await this.onChanged?.(memberId);
    return change;
  }

  async get(memberId: string): Promise<MembershipState> {
    const doc = await this.Memberships.findById(memberId).lean<MembershipDocument>();
    return doc ? toState(doc) : emptyMembership(memberId);
  }

  /** Several members' memberships in one query (a member without one has an empty membership). */
  async getMany(memberIds: readonly string[]): Promise<Map<string, MembershipState>> {
    const docs = await this.Memberships.find({ _id: { $in: [...new Set(memberIds)] } }).lean<
      MembershipDocument[]
    >();
    const found = new Map(docs.map((doc) => [doc._id, toState(doc)]));
    return new Map(memberIds.map((id) => [id, found.get(id) ?? emptyMembership(id)]));
  }

  /** Memberships with a period ending at `since` or later (multikey index on `periods.end`). */
  async withPeriodsEndingSince(since: Date): Promise<MembershipState[]> {
    const docs = await this.Memberships.find({ 'periods.end': { $gte: since } }).lean<MembershipDocument[]>();
    return docs.map(toState);
  }

  /** Memberships with a period paid in `[from, to)` (multikey index on `periods.paidAt`). */
  async withPeriodsPaidBetween(from: Date, to: Date): Promise<MembershipState[]> {
    const docs = await this.Memberships.find({ 'periods.paidAt': { $gte: from, $lt: to } }).lean<
      MembershipDocument[]
    >();
    return docs.map(toState);
  }

  /** The history entry recorded for a change key, wherever it is (the `history.key` index). */
  async entryByKey(key: string): Promise<MembershipHistoryEntry | null> {
    const doc = await this.Memberships.findOne({ 'history.key': key }).lean<MembershipDocument>();
    return doc ? (toState(doc).history.find((h) => h.key === key) ?? null) : null;
  }

  async change(
    memberId: string,
    decide: (state: MembershipState) => MembershipDecision,
  ): Promise<MembershipChange> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await this.get(memberId);
      const decision = decide(state);
      if (decision.replay) return { state, entry: null };
      const { memberId: _id, ...fields } = decision.next;
      try {
        if (state.version === 0) {
          await this.Memberships.create({ _id, ...fields });
          return this.changed(memberId, { state: decision.next, entry: decision.entry });
        }
        const result = await this.Memberships.updateOne({ _id, version: state.version }, { $set: fields });
        if (result.modifiedCount === 1) {
          return this.changed(memberId, { state: decision.next, entry: decision.entry });
        }
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
    throw new Error(`membership of ${memberId} kept changing; the change will be retried`);
  }
}
