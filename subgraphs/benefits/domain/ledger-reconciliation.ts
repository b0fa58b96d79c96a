import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey } from '../../shared/events/member-activity-message.js';
import type { EarningRules, PointsChange } from './earning-rules.js';
import { pointsForActivity } from './earning-rules.js';

/**
 * The ledger change an activity must leave, or null when it leaves none: an account not linked to the
 * programme, browsing, or an activity worth 0 points. The points consumer credits exactly these, and the
 * reconciliation sweep expects exactly these in the ledger, so the two can never disagree on what is missing.
 */
export function ledgerChangeFor(message: MemberActivityMessage, rules: EarningRules): PointsChange | null {
  if (!message.memberId) return null;
  const change = pointsForActivity(message, rules);
  return change && change.points !== 0 ? change : null;
}

/** An event a brand applied and published, as the sweep reads it from the brand's outbox. */
export interface PublishedActivity {
  eventId: string;
  publishedAt: Date;
  /** Missing only on a document written before messages were stored: nothing to republish. */
  message: MemberActivityMessage | null;
}

/** The ledger keys (`partner:eventId`) the activities must have left, one per activity that earns or reverses. */
export function expectedLedgerKeys(activities: readonly PublishedActivity[], rules: EarningRules): string[] {
  return activities.flatMap(({ message }) =>
    message && ledgerChangeFor(message, rules) ? [activityKey(message)] : [],
  );
}

/** The activities whose ledger entry is missing, given the keys the ledger holds: what to republish. */
export function activitiesMissingFromLedger(
  activities: readonly PublishedActivity[],
  ledgerKeys: ReadonlySet<string>,
  rules: EarningRules,
): MemberActivityMessage[] {
  return activities.flatMap(({ message }) =>
    message && ledgerChangeFor(message, rules) && !ledgerKeys.has(activityKey(message)) ? [message] : [],
  );
}

export interface ReconciliationTiming {
  /** Each run looks this far behind the watermark again: publications recorded late, clocks apart. */
  lookbackMs: number;
  /**
   * Events published less than this long ago are left to the consumer, which may simply not have reached
   * them yet; the next run checks them.
   */
  settleMs: number;
}

export interface ReconciliationWindow {
  from: Date;
  until: Date;
}

/**
 * The publication times one run checks for a brand: from the watermark (less the lookback) or from `since`
 * when an operator names a start, up to now less the settle time. The first run of a brand, without either,
 * starts at the beginning and pages through the backlog once; after that each run reads only the lookback
 * and what was published since. Null when there is nothing old enough to check.
 */
export function reconciliationWindow(input: {
  now: Date;
  watermark: Date | null;
  since: Date | null;
  timing: ReconciliationTiming;
}): ReconciliationWindow | null {
  const until = new Date(input.now.getTime() - input.timing.settleMs);
  const from =
    input.since ??
    (input.watermark ? new Date(input.watermark.getTime() - input.timing.lookbackMs) : new Date(0));
  return from.getTime() < until.getTime() ? { from, until } : null;
}

/** The watermark after a run that checked everything published up to `checkedThrough`: it never moves back. */
export function advanceWatermark(previous: Date | null, checkedThrough: Date): Date {
  return previous && previous.getTime() > checkedThrough.getTime() ? previous : checkedThrough;
}
