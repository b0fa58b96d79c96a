import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { activityKey, decodeActivityMessage } from '../../shared/events/member-activity-message.js';
import type { StreamEntry } from '../../shared/streams/activity-stream.js';
import type { CampaignGrants } from '../data/campaigns/campaign-grants.js';
import type { CampaignStore } from '../data/campaigns/campaign-store.js';
import type { MemberFactsSnapshots } from '../data/campaigns/member-facts-snapshots.js';
import type { NewLedgerEntry, PointsLedger } from '../data/points-ledger.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { campaignEventOf } from '../domain/campaigns/campaign-event.js';
import { campaignScopeMatches, stackCampaigns } from '../domain/campaigns/campaign-stacking.js';
import { campaignRunsAt } from '../domain/campaigns/campaign-window.js';
import { inControlGroup } from '../domain/campaigns/control-group.js';
import type { EarningRules } from '../domain/earning-rules.js';
import { pointsForActivity } from '../domain/earning-rules.js';
import type { MemberFacts } from '../domain/eligibility/member-facts.js';
import { evaluateRule } from '../domain/eligibility/evaluate-rule.js';

export interface CampaignEarningDeps {
  store: CampaignStore;
  grants: CampaignGrants;
  ledger: PointsLedger;
  facts: MemberFactsSnapshots;
  rules: EarningRules;
  calendar: ProgrammeCalendar;
}

/** The ledger key of a campaign's extra points for an event: one per event and campaign. */
export const campaignEntryKey = (message: MemberActivityMessage, campaignId: string): string =>
  `${activityKey(message)}|campaign:${campaignId}`;

async function inAudience(campaign: Campaign, facts: MemberFacts | null): Promise<boolean> {
  if (!campaign.audience) return true;
  return facts !== null && (await evaluateRule(campaign.audience, facts)).passed;
}

/**
 * The campaigns' part of earning, beside the base points (a consumer group of its own): for each purchase
 * or interaction, the campaigns running when it occurred, for its partner and category, whose audience
 * the member is in. Control-group members are counted and given nothing; the others get what the stacked
 * campaigns add, within each campaign's budgets, as ledger entries that name the campaign. Idempotent:
 * grants are recorded per event key and ledger entries are keyed by event and campaign.
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

    const ledgerEntries: NewLedgerEntry[] = [];
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
        ledgerEntries.push({
          key: campaignEntryKey(message, campaign.id),
          kind: 'earn',
          points: granted,
          availableAt: base.availableAt,
          memberId,
          partner: message.partner,
          sourceEventId: message.eventId,
          occurredAt: at,
          campaignId: campaign.id,
        });
      }
    }
    await deps.ledger.appendMany(ledgerEntries);
  };
}
