import type { ProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import type { MembershipPlan, PlanPrice } from './membership-plan.js';

/**
 * A member's paid membership as one document (docs/architecture.md §9, "Paid membership"): the periods paid
 * (or trialled), whether it renews, and the history of every change, rejected subscriptions included. Every
 * change is a pure decision here, written by the store as one compare-and-set on `version`; a change whose
 * key the history already holds is a replay and changes nothing.
 */
export type MembershipChangeKind =
  'TRIAL_STARTED' | 'SUBSCRIBED' | 'RENEWED' | 'CANCELLED' | 'REFUNDED' | 'REJECTED';

export type MembershipStatus = 'NONE' | 'TRIAL' | 'ACTIVE' | 'GRACE' | 'LAPSED' | 'ENDED';

export interface MembershipPeriod {
  /** The key of the event that paid it (`partner:eventId`). */
  key: string;
  planId: string;
  /** The period start the partner reported (a refund names it). */
  periodStart: Date;
  /** When it runs: a renewal paid early starts where the current period ends. */
  start: Date;
  end: Date;
  paidAt: Date;
  amountMinor: number;
  trial: boolean;
  refunded: boolean;
  /** The member's composite score the price was checked against (null: not known); for conversion figures. */
  compositeScore?: number | null;
}

export interface MembershipHistoryEntry {
  key: string;
  kind: MembershipChangeKind;
  at: Date;
  planId: string | null;
  partner: string | null;
  amountMinor: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  reason: string;
}

export interface MembershipState {
  memberId: string;
  /** The plan of the latest accepted subscription; null before any. */
  planId: string | null;
  periods: MembershipPeriod[];
  autoRenew: boolean;
  /** Set by a refund: the plan ended then (a new subscription clears it). */
  endedAt: Date | null;
  history: MembershipHistoryEntry[];
  version: number;
}

export interface SubscriptionCommand {
  /** `partner:eventId`. */
  key: string;
  partner: string;
  action: 'pay' | 'refund';
  planId: string;
  amountMinor: number;
  periodStart: Date;
  occurredAt: Date;
}

export type MembershipDecision =
  { replay: true } | { replay: false; next: MembershipState; entry: MembershipHistoryEntry };

const DAY_MS = 86_400_000;

export const emptyMembership = (memberId: string): MembershipState => ({
  memberId,
  planId: null,
  periods: [],
  autoRenew: false,
  endedAt: null,
  history: [],
  version: 0,
});

/** The end of a period that starts at `start`: the same local wall time a month, a year or `days` later. */
export function periodEnd(
  start: Date,
  length: { period: MembershipPlan['period'] } | { days: number },
  calendar: ProgrammeCalendar,
): Date {
  const local = calendar.localDateTime(start);
  if ('days' in length) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + length.days));
    return calendar.instantOf({
      ...local,
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
    });
  }
  const months = length.period === 'YEAR' ? 12 : 1;
  const index = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return calendar.instantOf({ ...local, year, month, day: Math.min(local.day, lastDay) });
}

/** The latest period not refunded: the one the membership stands on. */
export const currentPeriod = (state: MembershipState): MembershipPeriod | null =>
  [...state.periods].reverse().find((p) => !p.refunded) ?? null;

/** The status at `at`: a lapsed plan keeps its benefits for the plan's grace days (GRACE). */
export function membershipStatus(
  state: MembershipState,
  at: Date,
  plans: ReadonlyMap<string, MembershipPlan>,
): MembershipStatus {
  if (state.endedAt && at >= state.endedAt) return 'ENDED';
  const current = currentPeriod(state);
  if (!current) return state.endedAt ? 'ENDED' : 'NONE';
  const t = at.getTime();
  if (t < current.end.getTime()) return current.trial ? 'TRIAL' : 'ACTIVE';
  const grace = (plans.get(current.planId)?.graceDays ?? 0) * DAY_MS;
  return t < current.end.getTime() + grace ? 'GRACE' : 'LAPSED';
}

/** Whether the member holds the plan's benefits at `at` (trial, active or in grace). */
export const holdsBenefits = (status: MembershipStatus): boolean =>
  status === 'TRIAL' || status === 'ACTIVE' || status === 'GRACE';

/**
 * The period whose plan applies to an event at `at` (its earning multiplier, its benefits): the period
 * that contains it, or the latest one while in grace; none once the plan ended.
 */
export function periodAt(
  state: MembershipState,
  at: Date,
  plans: ReadonlyMap<string, MembershipPlan>,
): MembershipPeriod | null {
  if (state.endedAt && at >= state.endedAt) return null;
  const t = at.getTime();
  const live = state.periods.filter((p) => !p.refunded);
  const containing = live.find((p) => p.start.getTime() <= t && t < p.end.getTime());
  if (containing) return containing;
  const last = live[live.length - 1];
  if (!last || t < last.end.getTime()) return null;
  const grace = (plans.get(last.planId)?.graceDays ?? 0) * DAY_MS;
  return t < last.end.getTime() + grace ? last : null;
}

/** The benefits the member's plan offers at `at` (code → plan name): none outside a period and its grace. */
export function planBenefitsAt(
  state: MembershipState,
  at: Date,
  plans: ReadonlyMap<string, MembershipPlan>,
): Map<string, string> {
  const period = periodAt(state, at, plans);
  const plan = period ? plans.get(period.planId) : undefined;
  return new Map((plan?.benefits ?? []).map((code) => [code, plan!.name]));
}

/** The campaign id under which a period's earning multiplier is granted and reversed (see plan-campaign.ts). */
export const periodCampaignId = (period: Pick<MembershipPeriod, 'planId' | 'key'>): string =>
  `plan:${period.planId}:${period.key}`;

const yuan = (minor: number): string => `CNY ${(minor / 100).toFixed(2)}`;

function entryOf(
  command: SubscriptionCommand,
  kind: MembershipChangeKind,
  reason: string,
  period: Pick<MembershipPeriod, 'start' | 'end'> | null = null,
): MembershipHistoryEntry {
  return {
    key: command.key,
    kind,
    at: command.occurredAt,
    planId: command.planId,
    partner: command.partner,
    amountMinor: command.amountMinor,
    periodStart: period?.start ?? command.periodStart,
    periodEnd: period?.end ?? null,
    reason,
  };
}

const withEntry = (
  state: MembershipState,
  entry: MembershipHistoryEntry,
  change: Partial<MembershipState> = {},
): MembershipDecision => ({
  replay: false,
  next: { ...state, ...change, history: [...state.history, entry], version: state.version + 1 },
  entry,
});

const reject = (state: MembershipState, command: SubscriptionCommand, reason: string) =>
  withEntry(state, entryOf(command, 'REJECTED', reason));

export interface SubscriptionTerms {
  plans: ReadonlyMap<string, MembershipPlan>;
  /** The member's price for the command's plan at the time (null when the plan is unknown). */
  price: PlanPrice | null;
  /** The score that price came from (null: not known yet). */
  compositeScore?: number | null;
  calendar: ProgrammeCalendar;
}

/**
 * What a partner's subscription event changes. A payment must be the member's price (score band) at the
 * time, or be 0 for the plan's trial, once; a payment for the plan held (or in grace) renews it, from the end
 * of the current period; a refund within the cooling-off window returns the whole fee of one period and ends
 * the plan. Anything else is recorded as REJECTED with the reason.
 */
export function decideSubscription(
  state: MembershipState,
  command: SubscriptionCommand,
  terms: SubscriptionTerms,
): MembershipDecision {
  if (state.history.some((h) => h.key === command.key)) return { replay: true };
  const plan = terms.plans.get(command.planId);
  if (!plan) return reject(state, command, `"${command.planId}" is not a membership plan of the programme`);
  if (plan.soldBy !== command.partner) {
    return reject(state, command, `${plan.name} is sold by ${plan.soldBy}, not ${command.partner}`);
  }
  return command.action === 'pay'
    ? decidePayment(state, command, plan, terms)
    : decideRefund(state, command, plan);
}

function decidePayment(
  state: MembershipState,
  command: SubscriptionCommand,
  plan: MembershipPlan,
  terms: SubscriptionTerms,
): MembershipDecision {
  const status = membershipStatus(state, command.occurredAt, terms.plans);
  const current = currentPeriod(state);
  const holding = holdsBenefits(status) && current !== null;
  if (holding && current.planId !== plan.id) {
    return reject(
      state,
      command,
      `the member holds ${terms.plans.get(current.planId)?.name ?? current.planId} until ${current.end.toISOString()}; changing plans is not supported (refund it first)`,
    );
  }
  if (command.amountMinor === 0) {
    if (plan.trialDays === 0) return reject(state, command, `${plan.name} has no trial; a payment is needed`);
    if (state.periods.some((p) => p.planId === plan.id)) {
      return reject(state, command, `the member has already had ${plan.name}; its trial is for new members`);
    }
    const start = command.periodStart;
    const period = { start, end: periodEnd(start, { days: plan.trialDays }, terms.calendar) };
    return withEntry(
      state,
      entryOf(command, 'TRIAL_STARTED', `${plan.trialDays}-day trial of ${plan.name}`, period),
      {
        planId: plan.id,
        autoRenew: true,
        endedAt: null,
        periods: [...state.periods, paidPeriod(command, period, true, terms.compositeScore)],
      },
    );
  }
  const price = terms.price;
  if (!price || command.amountMinor !== price.priceMinor) {
    return reject(
      state,
      command,
      `amountMinor ${command.amountMinor} is not the member's price${price ? ` of ${price.priceMinor}: ${price.reason}` : ''}`,
    );
  }
  // A renewal paid before the current period ends extends it from its end; after the grace it starts anew.
  const renewal = holding;
  const start = renewal && current.end > command.periodStart ? current.end : command.periodStart;
  const period = { start, end: periodEnd(start, plan, terms.calendar) };
  const kind = renewal && !current.trial ? 'RENEWED' : 'SUBSCRIBED';
  const reason =
    kind === 'RENEWED'
      ? `${plan.name} renewed at ${yuan(command.amountMinor)} until ${period.end.toISOString()}`
      : `${plan.name} at ${yuan(command.amountMinor)} until ${period.end.toISOString()}`;
  return withEntry(state, entryOf(command, kind, reason, period), {
    planId: plan.id,
    autoRenew: kind === 'RENEWED' ? state.autoRenew : true,
    endedAt: null,
    periods: [...state.periods, paidPeriod(command, period, false, terms.compositeScore)],
  });
}

function paidPeriod(
  command: SubscriptionCommand,
  period: { start: Date; end: Date },
  trial: boolean,
  compositeScore: number | null = null,
): MembershipPeriod {
  return {
    compositeScore,
    key: command.key,
    planId: command.planId,
    periodStart: command.periodStart,
    start: period.start,
    end: period.end,
    paidAt: command.occurredAt,
    amountMinor: command.amountMinor,
    trial,
    refunded: false,
  };
}

function decideRefund(
  state: MembershipState,
  command: SubscriptionCommand,
  plan: MembershipPlan,
): MembershipDecision {
  const at = command.periodStart.getTime();
  const period = state.periods.find(
    (p) => p.planId === plan.id && (p.periodStart.getTime() === at || p.start.getTime() === at),
  );
  if (!period) {
    return reject(
      state,
      command,
      `no period of ${plan.name} starting at ${command.periodStart.toISOString()}`,
    );
  }
  if (period.refunded) return reject(state, command, `that period of ${plan.name} was refunded already`);
  if (period.trial) return reject(state, command, `a trial is not refundable: nothing was paid`);
  const deadline = period.paidAt.getTime() + plan.coolingOffDays * DAY_MS;
  if (command.occurredAt.getTime() > deadline) {
    return reject(
      state,
      command,
      `outside the ${plan.coolingOffDays}-day cooling-off window, which ended ${new Date(deadline).toISOString()}`,
    );
  }
  if (command.amountMinor !== period.amountMinor) {
    return reject(
      state,
      command,
      `a refund within the cooling-off window returns the whole fee of ${period.amountMinor}, not ${command.amountMinor}`,
    );
  }
  return withEntry(
    state,
    entryOf(
      command,
      'REFUNDED',
      `${plan.name} refunded within the cooling-off window; the plan ended`,
      period,
    ),
    {
      autoRenew: false,
      endedAt: command.occurredAt,
      periods: state.periods.map((p) => (p === period ? { ...p, refunded: true } : p)),
    },
  );
}

/**
 * The member stops renewal: the plan runs to the end of its period (and grace) and is not renewed. A member
 * without a plan that renews changes nothing (a repeat is harmless).
 */
export function decideCancellation(
  state: MembershipState,
  at: Date,
  plans: ReadonlyMap<string, MembershipPlan>,
): MembershipDecision {
  const current = currentPeriod(state);
  if (!state.autoRenew || !current || !holdsBenefits(membershipStatus(state, at, plans)))
    return { replay: true };
  const entry: MembershipHistoryEntry = {
    key: `cancel:${state.version + 1}`,
    kind: 'CANCELLED',
    at,
    planId: current.planId,
    partner: null,
    amountMinor: null,
    periodStart: null,
    periodEnd: current.end,
    reason: `renewal stopped; ${plans.get(current.planId)?.name ?? current.planId} runs until ${current.end.toISOString()}`,
  };
  return withEntry(state, entry, { autoRenew: false });
}
