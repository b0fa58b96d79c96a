import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { CampaignGrants } from '../data/campaigns/campaign-grants.js';
import type { CampaignStore } from '../data/campaigns/campaign-store.js';
import type { MemberFactsSnapshots } from '../data/campaigns/member-facts-snapshots.js';
import type { PlanCampaigns } from '../data/membership/plan-campaigns.js';
import type { PointsWallet } from '../data/points-wallet.js';
import type { WalletOperation } from '../data/wallet-store.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { campaignEventOf } from '../domain/campaigns/campaign-event.js';
import {
  campaignOrderRef,
  campaignPointsReversed,
  grantOrderKey,
} from '../domain/campaigns/campaign-refund.js';
import { campaignScopeMatches, stackCampaigns } from '../domain/campaigns/campaign-stacking.js';
import { campaignRunsAt } from '../domain/campaigns/campaign-window.js';
import { inControlGroup } from '../domain/campaigns/control-group.js';
import type { EarningRules } from '../domain/earning-rules.js';
import { pointsForActivity } from '../domain/earning-rules.js';
import type { MemberFacts } from '../domain/eligibility/member-facts.js';
import { evaluateRule } from '../domain/eligibility/evaluate-rule.js';
import type { WalletChange } from '../domain/wallet-entry.js';
import { RefusedActivityError } from './points-consumer.js';

export interface CampaignEarningDeps {
  store: CampaignStore;
  grants: CampaignGrants;
  wallet: PointsWallet;
  facts: MemberFactsSnapshots;
  rules: EarningRules;
  calendar: ProgrammeCalendar;
  /** A campaign earning the wallet refused (its key was applied before with other content). */
  onRefused?: (error: RefusedActivityError) => void;
  /**
   * For a batch's members, a member's paid plan at an event's time, as campaigns
   * (membership/plan-campaigns.ts); none without it.
   */
  planCampaigns?: (memberIds: readonly string[]) => Promise<PlanCampaigns>;
}

/**
 * The wallet key (ledger entry and lot) of a campaign's extra points for an event: one per event and
 * campaign, distinct from the event's own key, which the reconciliation sweep expects for the base points.
 */
export const campaignEntryKey = (message: MemberActivityMessage, campaignId: string): string =>
  `campaign:${campaignId}:${activityKey(message)}`;

async function inAudience(campaign: Campaign, facts: MemberFacts | null): Promise<boolean> {
  if (!campaign.audience) return true;
  return facts !== null && (await evaluateRule(campaign.audience, facts)).passed;
}

/**
 * The campaigns' part of earning, beside the base points (a consumer group of its own): for each purchase
 * or interaction, the campaigns running when it occurred, for its partner and category, whose audience
 * the member is in. Control-group members are counted and given nothing; the others get what the stacked
 * campaigns add, within each campaign's budgets, as wallet earnings (a lot each, so the balance includes
 * them) whose ledger entries name the campaign. Refunds take the campaign points of their purchase back
 * (`planRefunds`). Idempotent: grants and reversals are recorded per event key, with the same points on
 * every delivery, and wallet entries are keyed by campaign and event.
 */
export function campaignEarningHandler(deps: CampaignEarningDeps) {
  return async (entries: StreamEntry[]): Promise<void> => {
    const messages: MemberActivityMessage[] = [];
    for (const { payload } of entries) {
      try {
        messages.push(decodeActivityMessage(payload));
      } catch {
        // Not a message of ours: skipped, or it would be redelivered for ever.
      }
    }
    const byMember = new Map<string, PlannedOperation[]>();
    const plan = (memberId: string, planned: PlannedOperation) => {
      const list = byMember.get(memberId) ?? [];
      list.push(planned);
      byMember.set(memberId, list);
    };
    // Earnings first, then refunds: a refund in the same batch as its purchase finds the purchase's grant.
    await planEarnings(deps, messages, plan);
    await planRefunds(deps, messages, plan);
    await Promise.all(
      [...byMember].map(async ([memberId, planned]) => {
        const outcomes = await deps.wallet.applyActivity(
          memberId,
          planned.map((p) => p.operation),
        );
        outcomes.forEach((outcome, i) => {
          if (!outcome.ok) deps.onRefused?.(new RefusedActivityError(planned[i].key, outcome.refusal));
        });
      }),
    );
  };
}

interface PlannedOperation {
  key: string;
  operation: WalletOperation<{ change: WalletChange }>;
}

async function planEarnings(
  deps: CampaignEarningDeps,
  messages: readonly MemberActivityMessage[],
  plan: (memberId: string, planned: PlannedOperation) => void,
): Promise<void> {
  const events = messages
    .map((message) => ({ message, event: campaignEventOf(message, deps.rules) }))
    .filter((e): e is { message: MemberActivityMessage; event: NonNullable<typeof e.event> } => !!e.event);
  if (events.length === 0) return;
  const earliest = new Date(Math.min(...events.map((e) => Date.parse(e.message.occurredAt))));
  const campaigns = await deps.store.runningSince(earliest);
  if (campaigns.length === 0 && !deps.planCampaigns) return;
  const planCampaigns = await deps.planCampaigns?.(events.map((e) => e.message.memberId!));

  for (const { message, event } of events) {
    const memberId = message.memberId!;
    const at = new Date(message.occurredAt);
    const candidates = [
      ...campaigns.filter((c) => campaignRunsAt(c, at, deps.calendar)),
      ...((await planCampaigns?.(memberId, at)) ?? []),
    ].filter((c) => campaignScopeMatches(c, event));
    if (candidates.length === 0) continue;
    const facts = candidates.some((c) => c.audience) ? await deps.facts.at(memberId, at) : null;
    const audience: Campaign[] = [];
    for (const c of candidates) if (await inAudience(c, facts)) audience.push(c);
    const control = (c: Campaign) => inControlGroup(c.id, memberId, c.controlShare);
    const awards = stackCampaigns(
      audience.filter((c) => !control(c)),
      event,
    );
    const base = pointsForActivity(message, deps.rules);
    const orderId = message.type === 'purchase' ? (message.orderId ?? null) : null;
    for (const campaign of audience) {
      const granted = await deps.grants.grant({
        campaign,
        memberId,
        key: activityKey(message),
        group: control(campaign) ? 'CONTROL' : 'TREATED',
        spendMinor: message.type === 'purchase' ? (message.amountMinor ?? 0) : 0,
        wanted: awards.find((a) => a.campaignId === campaign.id)?.points ?? 0,
        order: orderId ? grantOrderKey(message.partner, orderId) : null,
      });
      if (granted <= 0 || !base) continue;
      const key = campaignEntryKey(message, campaign.id);
      plan(memberId, {
        key,
        operation: deps.wallet.earnOperation({
          key,
          memberId,
          partner: message.partner,
          points: granted,
          occurredAt: at,
          availableAt: base.availableAt,
          // The campaign's own reference to the order: a refund's base reversal leaves this lot alone, and the
          // campaign's reversal of the refund takes from it first.
          orderRef: orderId ? campaignOrderRef(campaign.id, orderId) : null,
          sourceEventId: message.eventId,
          campaignId: campaign.id,
        }),
      });
    }
  }
}

/**
 * A refund takes back the campaign points its purchase earned, in proportion to the amount refunded
 * (`campaignPointsReversed`), whether or not the campaign still runs; the points go back to the campaign's
 * budget and the refunded spend leaves its results. Each refund is recorded once per campaign (keyed by the
 * refund event), and its wallet reversal is keyed by campaign and refund, so a redelivery changes nothing.
 * A refund is matched to the grants recorded before it: brands publish an order's purchase before its refunds.
 */
async function planRefunds(
  deps: CampaignEarningDeps,
  messages: readonly MemberActivityMessage[],
  plan: (memberId: string, planned: PlannedOperation) => void,
): Promise<void> {
  for (const message of messages) {
    if (message.type !== 'refund' || !message.memberId || !message.orderId) continue;
    const memberId = message.memberId;
    const grants = await deps.grants.grantsForOrder(
      memberId,
      grantOrderKey(message.partner, message.orderId),
    );
    for (const grant of grants) {
      const wanted = campaignPointsReversed(grant.points, {
        orderAmountMinor: message.orderAmountMinor ?? 0,
        refundedBeforeMinor: message.refundedBeforeMinor ?? 0,
        amountMinor: message.amountMinor ?? 0,
      });
      const points = await deps.grants.reverse({
        campaignId: grant.campaignId,
        memberId,
        key: activityKey(message),
        points: grant.group === 'TREATED' ? wanted : 0,
        refundMinor: message.amountMinor ?? 0,
        order: grantOrderKey(message.partner, message.orderId),
      });
      if (points <= 0) continue;
      const key = campaignEntryKey(message, grant.campaignId);
      plan(memberId, {
        key,
        operation: deps.wallet.reverseOperation({
          key,
          memberId,
          partner: message.partner,
          points,
          occurredAt: new Date(message.occurredAt),
          orderRef: campaignOrderRef(grant.campaignId, message.orderId),
          sourceEventId: message.eventId,
          campaignId: grant.campaignId,
        }),
      });
    }
  }
}
