import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { CampaignGrants } from '../data/campaigns/campaign-grants.js';
import type { CampaignStore } from '../data/campaigns/campaign-store.js';
import type { MemberFactsSnapshots } from '../data/campaigns/member-facts-snapshots.js';
import type { PointsWallet } from '../data/points-wallet.js';
import type { WalletOperation } from '../data/wallet-store.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { campaignEventOf } from '../domain/campaigns/campaign-event.js';
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
 * them) whose ledger entries name the campaign. Idempotent: grants are recorded per event key, with the
 * same points on every delivery, and wallet earnings are keyed by campaign and event.
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
    const events = messages
      .map((message) => ({ message, event: campaignEventOf(message, deps.rules) }))
      .filter((e): e is { message: MemberActivityMessage; event: NonNullable<typeof e.event> } => !!e.event);
    if (events.length === 0) return;
    const earliest = new Date(Math.min(...events.map((e) => Date.parse(e.message.occurredAt))));
    const campaigns = await deps.store.runningSince(earliest);
    if (campaigns.length === 0) return;

    const byMember = new Map<
      string,
      { key: string; operation: WalletOperation<{ change: WalletChange }> }[]
    >();
    for (const { message, event } of events) {
      const memberId = message.memberId!;
      const at = new Date(message.occurredAt);
      const candidates = campaigns.filter(
        (c) => campaignRunsAt(c, at, deps.calendar) && campaignScopeMatches(c, event),
      );
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
      for (const campaign of audience) {
        const granted = await deps.grants.grant({
          campaign,
          memberId,
          key: activityKey(message),
          group: control(campaign) ? 'CONTROL' : 'TREATED',
          spendMinor: message.type === 'purchase' ? (message.amountMinor ?? 0) : 0,
          wanted: awards.find((a) => a.campaignId === campaign.id)?.points ?? 0,
        });
        if (granted <= 0 || !base) continue;
        const key = campaignEntryKey(message, campaign.id);
        const operation = deps.wallet.earnOperation({
          key,
          memberId,
          partner: message.partner,
          points: granted,
          occurredAt: at,
          availableAt: base.availableAt,
          // Not tied to the order: a refund reverses the base points by the reconciliation rule only.
          orderRef: null,
          sourceEventId: message.eventId,
          campaignId: campaign.id,
        });
        const list = byMember.get(memberId) ?? [];
        list.push({ key, operation });
        byMember.set(memberId, list);
      }
    }
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
