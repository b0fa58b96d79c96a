import type { JointCategory } from '../../../shared/domain/joint-categories.js';
import type { RuleCondition } from '../eligibility/eligibility-rule.js';

/** The activities a campaign's points act on. */
export type CampaignActivity = 'PURCHASE' | 'INTERACTION';

/**
 * When a campaign runs, in the programme's time zone. Without a recurrence it runs from `startsAt` to
 * `endsAt`; with one, on the whole local days between them that the recurrence names.
 */
export interface CampaignWindow {
  startsAt: Date;
  endsAt: Date;
  recurrence: Recurrence | null;
}

/**
 * "The 18th of every month" is `{ dayOfMonth: 18 }` (months without that day are skipped); "the first
 * Friday of the month" is `{ weekday: 5, weekOfMonth: 1 }` (weekOfMonth -1: the last); "every Friday" is
 * `{ weekday: 5 }`. Weekdays: 0 = Sunday … 6 = Saturday.
 */
export type Recurrence = { dayOfMonth: number } | { weekday: number; weekOfMonth?: number | null };

export interface CampaignScope {
  activities: CampaignActivity[];
  /** Partners whose events count; empty: every partner (a joint campaign), or the campaign's own partner. */
  partners: string[];
  /** Joint categories whose events count; empty: every category. */
  categories: JointCategory[];
}

export interface CampaignActions {
  /** Points × this factor (e.g. 2 on a member day); the extra is the campaign's. */
  pointsMultiplier: number | null;
  /** Fixed points per qualifying event. */
  bonusPoints: number | null;
  /** A benefit code offered to the campaign's audience while it runs, whatever their tier. */
  unlocksBenefit: string | null;
  /** A discount rate offered while it runs (percent). */
  discountPercent: number | null;
}

export type CampaignStacking = 'EXCLUSIVE' | 'STACKABLE';
export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ENDED';

/** A pause: events that occurred from `from` until `to` (open while paused) get nothing. */
export interface PauseInterval {
  from: Date;
  to: Date | null;
}

export interface Campaign {
  id: string;
  name: string;
  /** The partner that runs (and funds) it; null for a joint campaign of the programme. */
  partner: string | null;
  window: CampaignWindow;
  audience: RuleCondition | null;
  scope: CampaignScope;
  actions: CampaignActions;
  budget: { totalPoints: number | null; perMemberPoints: number | null };
  priority: number;
  stacking: CampaignStacking;
  /** Cap on the combined multiplier of the campaigns that apply together, when this one is among them. */
  maxCombinedMultiplier: number | null;
  /** Share of the audience (0 to 0.5) kept untreated to measure the campaign's effect. */
  controlShare: number;
  status: CampaignStatus;
  pauses: PauseInterval[];
  /** When it was ended: events that occurred from then on get nothing. */
  endedAt: Date | null;
  version: number;
}

/** The terms a create or update sets (the rest is the store's: id, status, pauses, version). */
export type CampaignTerms = Omit<Campaign, 'id' | 'status' | 'pauses' | 'endedAt' | 'version'>;
