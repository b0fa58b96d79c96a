import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { Campaign } from '../../domain/campaigns/campaign.js';

/** A campaign as stored: the domain shape with its id as `_id`, and who changed it last. */
export interface CampaignDocument extends Omit<Campaign, 'id'> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  lastChange?: unknown;
}

export interface CampaignAuditDocument {
  _id: string;
  campaignId: string;
  /** The campaign's partner (null: joint), so staff can be shown only their own partner's trail. */
  partner: string | null;
  action: 'CREATE' | 'UPDATE' | 'PAUSE' | 'RESUME' | 'END';
  actor: { role: string; subject: string | null; partner: string | null };
  at: Date;
  before: unknown;
  after: unknown;
}

/**
 * Points a campaign has issued, against its total budget: the document that concurrent events race on.
 * Points a refund takes back are returned to it, so the budget is a limit on points kept, not on churn.
 */
export interface CampaignBudgetDocument {
  _id: string;
  issued: number;
}

/**
 * One member's part in one campaign: their group, what they spent and were given while it ran. `eventKeys`
 * makes each event count once; `grants` records what each event was given, so a redelivered event writes the
 * same ledger entry again.
 */
export interface CampaignParticipantDocument {
  _id: string;
  campaignId: string;
  memberId: string;
  group: 'TREATED' | 'CONTROL';
  events: number;
  spendMinor: number;
  pointsIssued: number;
  eventKeys: string[];
  /** `order` (`partner:orderId`) is set for purchases, so a refund of the order finds what it was given. */
  grants: { key: string; points: number; order?: string | null }[];
  /** Refunds of the member's purchases, each once (keyed by the refund's event), and what they took back. */
  reversals: { key: string; points: number; refundMinor: number; order?: string | null }[];
  pointsReversed: number;
  refundedMinor: number;
}

const any = Schema.Types.Mixed;

const campaignSchema = new Schema<CampaignDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    partner: { type: String, default: null },
    window: { type: any, required: true },
    audience: { type: any, default: null },
    scope: { type: any, required: true },
    actions: { type: any, required: true },
    budget: { type: any, required: true },
    priority: { type: Number, required: true },
    stacking: { type: String, required: true },
    maxCombinedMultiplier: { type: Number, default: null },
    controlShare: { type: Number, required: true },
    status: { type: String, required: true },
    pauses: { type: any, default: [] },
    endedAt: { type: Date, default: null },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** The change that made this version (who, when, before), until its audit entry is written. */
    lastChange: { type: any, default: null },
  },
  { collection: 'campaigns', versionKey: false, minimize: false },
);
// Earning and me.campaigns read the campaigns whose window has not closed.
campaignSchema.index({ 'window.endsAt': 1 });
// The list pages newest first by (createdAt, _id), filtered by status, partner, both or neither.
campaignSchema.index({ createdAt: -1, _id: -1 });
campaignSchema.index({ partner: 1, createdAt: -1, _id: -1 });
campaignSchema.index({ status: 1, createdAt: -1, _id: -1 });
campaignSchema.index({ status: 1, partner: 1, createdAt: -1, _id: -1 });

const auditSchema = new Schema<CampaignAuditDocument>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    partner: { type: String, default: null },
    action: { type: String, required: true },
    actor: { type: any, required: true },
    at: { type: Date, required: true },
    before: { type: any, default: null },
    after: { type: any, default: null },
  },
  { collection: 'campaign_audit', versionKey: false, minimize: false },
);
auditSchema.index({ campaignId: 1, at: -1, _id: -1 });

const budgetSchema = new Schema<CampaignBudgetDocument>(
  { _id: { type: String, required: true }, issued: { type: Number, required: true } },
  { collection: 'campaign_budgets', versionKey: false },
);

const participantSchema = new Schema<CampaignParticipantDocument>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    memberId: { type: String, required: true },
    group: { type: String, required: true },
    events: { type: Number, default: 0 },
    spendMinor: { type: Number, default: 0 },
    pointsIssued: { type: Number, default: 0 },
    eventKeys: { type: [String], default: [] },
    grants: { type: any, default: [] },
    reversals: { type: any, default: [] },
    pointsReversed: { type: Number, default: 0 },
    refundedMinor: { type: Number, default: 0 },
  },
  { collection: 'campaign_participants', versionKey: false, minimize: false },
);
participantSchema.index({ campaignId: 1, group: 1 });
// A refund finds the member's grants for its order.
participantSchema.index({ memberId: 1, 'grants.order': 1 });

export interface CampaignModels {
  Campaigns: Model<CampaignDocument>;
  Audit: Model<CampaignAuditDocument>;
  Budgets: Model<CampaignBudgetDocument>;
  Participants: Model<CampaignParticipantDocument>;
}

export async function campaignModels(connection: Connection): Promise<CampaignModels> {
  const models: CampaignModels = {
    Campaigns: connection.model<CampaignDocument>('Campaign', campaignSchema),
    Audit: connection.model<CampaignAuditDocument>('CampaignAudit', auditSchema),
    Budgets: connection.model<CampaignBudgetDocument>('CampaignBudget', budgetSchema),
    Participants: connection.model<CampaignParticipantDocument>('CampaignParticipant', participantSchema),
  };
  await Promise.all(Object.values(models).map((m: Model<unknown>) => m.init()));
  return models;
}

export const toCampaign = ({
  _id,
  ...rest
}: CampaignDocument): Campaign & { createdAt: Date; updatedAt: Date } => ({
  id: _id,
  ...rest,
});
