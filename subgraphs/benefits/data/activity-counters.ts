import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey } from '../../shared/events/member-activity-message.js';
import type { ActivityDay } from '../domain/eligibility/activity-periods.js';
import {
  countedActivity,
  earliestPeriodDay,
  periodStartDays,
  sumActivityPeriods,
} from '../domain/eligibility/activity-periods.js';
import type { ActivityPeriod } from '../domain/eligibility/eligibility-rule.js';
import type { PartnerActivityCounts } from '../domain/eligibility/member-facts.js';
import { requiredString, stringList } from '../../shared/db/schema-fields.js';
import { DUPLICATE_KEY, duplicateKeyIndexes } from '../../shared/db/duplicate-keys.js';

/** One member's activity on one local day; `eventKeys` makes each count idempotent per event. */
interface ActivityDayDocument extends ActivityDay {
  _id: string;
  memberId: string;
  eventKeys: string[];
}

const activityDaySchema = new Schema<ActivityDayDocument>(
  {
    _id: requiredString,
    memberId: requiredString,
    day: requiredString,
    counts: { type: Schema.Types.Mixed, default: {} },
    eventKeys: stringList,
  },
  { collection: 'member_activity_days', versionKey: false, minimize: false },
);
activityDaySchema.index({ memberId: 1, day: -1 });

/** Rules count the current day, week and month at most: older activity is not kept (the seed's year of history). */
export const ACTIVITY_HORIZON_DAYS = 40;
const DAY_MS = 86_400_000;

/**
 * Per-member activity counts by local day, kept by the benefits subgraph from the activity stream so that
 * rules can count logins, interactions, browse sessions and purchases per day, week and month of the
 * programme calendar (the brands' behaviour summaries cover a rolling year in UTC days).
 */
export class ActivityCounters {
  constructor(
    private readonly Days: Model<ActivityDayDocument>,
    private readonly calendar: ProgrammeCalendar,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static model(connection: Connection): Model<ActivityDayDocument> {
    return connection.model<ActivityDayDocument>('MemberActivityDay', activityDaySchema);
  }

  /**
   * Counts one event once: the day's document is updated only while the event's key is not in it, in one
   * document write. A repeat finds no matching document, tries to insert one, and the duplicate `_id` says
   * the event was counted already.
   */
  async record(message: MemberActivityMessage): Promise<boolean> {
    const type = countedActivity(message.type);
    if (!type || !this.counted(message)) return false;
    const day = this.calendar.dayKey(new Date(message.occurredAt));
    const key = activityKey(message);
    try {
      const result = await this.Days.updateOne(
        { _id: `${message.memberId}|${day}`, eventKeys: { $ne: key } },
        {
          $inc: { [`counts.${message.partner}.${type}`]: 1 },
          $push: { eventKeys: key },
          $setOnInsert: { memberId: message.memberId, day },
        },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * `record` for a batch of events in one write: per member and day, one update that counts all of that
   * day's events at once while none of their keys is in it. A day where some were counted before (a
   * redelivery), or whose document two writers created at once, falls back to `record` per event.
   */
  async recordMany(messages: readonly MemberActivityMessage[]): Promise<void> {
    const days = new Map<string, { memberId: string; day: string; messages: MemberActivityMessage[] }>();
    for (const message of messages) {
      if (!this.counted(message)) continue;
      const day = this.calendar.dayKey(new Date(message.occurredAt));
      const _id = `${message.memberId}|${day}`;
      let group = days.get(_id);
      if (!group) days.set(_id, (group = { memberId: message.memberId!, day, messages: [] }));
      // The same event twice in one batch is counted once, as `record` would.
      if (!group.messages.some((m) => activityKey(m) === activityKey(message))) group.messages.push(message);
    }
    if (days.size === 0) return;
    const groups = [...days];
    const ops = groups.map(([_id, { memberId, day, messages: list }]) => {
      const inc: Record<string, number> = {};
      for (const m of list) {
        const path = `counts.${m.partner}.${countedActivity(m.type)}`;
        inc[path] = (inc[path] ?? 0) + 1;
      }
      const keys = list.map(activityKey);
      return {
        updateOne: {
          filter: { _id, eventKeys: { $nin: keys } },
          update: { $inc: inc, $push: { eventKeys: { $each: keys } }, $setOnInsert: { memberId, day } },
          upsert: true,
        },
      };
    });
    let fallBack: number[] = [];
    try {
      await this.Days.bulkWrite(ops, { ordered: false });
    } catch (error) {
      fallBack = duplicateKeyIndexes(error);
    }
    for (const index of fallBack) for (const message of groups[index][1].messages) await this.record(message);
  }

  /** Whether an event is one the counters keep: a counted type, of a member, within the horizon. */
  private counted(message: MemberActivityMessage): boolean {
    if (!message.memberId || !countedActivity(message.type)) return false;
    return Date.parse(message.occurredAt) > this.now().getTime() - ACTIVITY_HORIZON_DAYS * DAY_MS;
  }

  /** The member's activity in the current day, week and month (one indexed query). */
  async periods(memberId: string, now: Date): Promise<Record<ActivityPeriod, PartnerActivityCounts>> {
    const from = earliestPeriodDay(periodStartDays(now, this.calendar));
    const days = await this.Days.find({ memberId, day: { $gte: from } }, { day: 1, counts: 1 }).lean<
      ActivityDay[]
    >();
    return sumActivityPeriods(days, now, this.calendar);
  }
}
