import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { MemberFacts } from '../../domain/eligibility/member-facts.js';
import { sharedActivity } from '../../domain/eligibility/member-facts.js';
import type { ActivityCounters } from '../activity-counters.js';
import { RecentWrites, writeUnlessRecent } from '../../../shared/cache/recent-writes.js';
import { requiredString, requiredDate, requiredMixed } from '../../../shared/db/schema-fields.js';

type ProfileFacts = Omit<MemberFacts, 'activity'>;

interface SnapshotDocument {
  _id: string;
  facts: ProfileFacts;
  at: Date;
}

const snapshotSchema = new Schema<SnapshotDocument>(
  {
    _id: requiredString,
    facts: requiredMixed,
    at: requiredDate,
  },
  { collection: 'member_facts', versionKey: false, minimize: false },
);

/**
 * The profile part of a member's facts (tier, score, affinities, brands) as the graph last computed them.
 * The benefits subgraph never calls another subgraph, so an event's campaign audience is judged on this
 * snapshot, with the activity counts of the periods the event occurred in. A view that computes the facts
 * this process wrote in the last minute writes nothing.
 */
export class MemberFactsSnapshots {
  private readonly recent = new RecentWrites();

  constructor(
    private readonly Snapshots: Model<SnapshotDocument>,
    private readonly counters: ActivityCounters,
  ) {}

  static model(connection: Connection): Model<SnapshotDocument> {
    return connection.model<SnapshotDocument>('MemberFactsSnapshot', snapshotSchema);
  }

  async remember(memberId: string, facts: MemberFacts, at: Date): Promise<void> {
    const { activity: _activity, ...profile } = facts;
    await writeUnlessRecent(this.recent, memberId, JSON.stringify(profile), () =>
      this.Snapshots.updateOne({ _id: memberId }, { $set: { facts: profile, at } }, { upsert: true }),
    );
  }

  /** The member's facts for an event at `at`, or null when the graph has never computed their profile. */
  async at(memberId: string, at: Date): Promise<MemberFacts | null> {
    const [snapshot, activity] = await Promise.all([
      this.Snapshots.findById(memberId).lean<SnapshotDocument>(),
      this.counters.periods(memberId, at),
    ]);
    return snapshot
      ? { ...snapshot.facts, activity: sharedActivity(activity, snapshot.facts.consentedPartners) }
      : null;
  }
}
