import type { Connection } from 'mongoose';
import type { ProgrammeCalendar } from '../../../shared/domain/programme-calendar.js';
import { ActivityCounters } from '../activity-counters.js';
import { CampaignGrants } from './campaign-grants.js';
import type { CampaignModels } from './campaign-models.js';
import { campaignModels } from './campaign-models.js';
import { CampaignStore } from './campaign-store.js';
import type { SharedSnapshotOptions } from '../../../shared/cache/shared-snapshot.js';
import { MemberFactsSnapshots } from './member-facts-snapshots.js';

/** Campaigns and eligibility: the stores the resolvers and the consumers share. */
export interface CampaignServices {
  models: CampaignModels;
  store: CampaignStore;
  grants: CampaignGrants;
  counters: ActivityCounters;
  facts: MemberFactsSnapshots;
  calendar: ProgrammeCalendar;
}

export async function openCampaignServices(
  connection: Connection,
  calendar: ProgrammeCalendar,
  now: () => Date = () => new Date(),
  /** How the campaigns held in memory hear of changes made by other processes. */
  snapshot: SharedSnapshotOptions = {},
): Promise<CampaignServices> {
  const models = await campaignModels(connection);
  const Days = ActivityCounters.model(connection);
  const Snapshots = MemberFactsSnapshots.model(connection);
  await Promise.all([Days.init(), Snapshots.init()]);
  const counters = new ActivityCounters(Days, calendar, now);
  return {
    models,
    store: new CampaignStore(models, snapshot),
    grants: new CampaignGrants(models),
    counters,
    facts: new MemberFactsSnapshots(Snapshots, counters),
    calendar,
  };
}

export interface CampaignResultsFigures {
  participants: number;
  treated: number;
  control: number;
  pointsIssued: number;
  pointsReversed: number;
  spendPerMemberTreated: number;
  spendPerMemberControl: number;
  uplift: number | null;
}

/** Treated against control from the participant documents, net of refunds (one aggregation over the campaign's index). */
export async function campaignResults(
  models: Pick<CampaignModels, 'Participants'>,
  campaignId: string,
): Promise<CampaignResultsFigures> {
  const groups = await models.Participants.aggregate<{
    _id: string;
    members: number;
    spend: number;
    points: number;
    reversed: number;
  }>([
    { $match: { campaignId } },
    {
      $group: {
        _id: '$group',
        members: { $sum: 1 },
        // Spend kept: what refunds took back is not spend the campaign brought.
        spend: { $sum: { $subtract: ['$spendMinor', { $ifNull: ['$refundedMinor', 0] }] } },
        points: { $sum: '$pointsIssued' },
        reversed: { $sum: { $ifNull: ['$pointsReversed', 0] } },
      },
    },
  ]);
  const of = (group: string) =>
    groups.find((g) => g._id === group) ?? { members: 0, spend: 0, points: 0, reversed: 0 };
  const treated = of('TREATED');
  const control = of('CONTROL');
  const perMember = (g: { members: number; spend: number }) =>
    g.members > 0 ? Math.round(g.spend / g.members) : 0;
  const spendTreated = perMember(treated);
  const spendControl = perMember(control);
  return {
    participants: treated.members + control.members,
    treated: treated.members,
    control: control.members,
    pointsIssued: treated.points - treated.reversed,
    pointsReversed: treated.reversed,
    spendPerMemberTreated: spendTreated,
    spendPerMemberControl: spendControl,
    uplift: spendControl > 0 ? Math.round((spendTreated / spendControl - 1) * 1000) / 1000 : null,
  };
}
