import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';

export const CONSENT_PURPOSE = 'cross-brand profile and benefit matching';

export interface ConsentDocument {
  granted: boolean;
  purpose: string;
  updatedAt: Date;
}

export interface PartnerLinkDocument {
  partner: string;
  partnerMemberId: string;
  linkedAt: Date;
  consent: ConsentDocument;
}

export interface MemberDocument {
  _id: string;
  displayName: string;
  joinedAt: Date;
  links: PartnerLinkDocument[];
  /** `partner:partnerMemberId` of every link: a unique multikey index, so one partner account links to one member. */
  accountKeys: string[];
}

export const accountKey = (partner: string, partnerMemberId: string): string =>
  `${partner}:${partnerMemberId}`;

const linkSchema = new Schema<PartnerLinkDocument>(
  {
    partner: { type: String, required: true },
    partnerMemberId: { type: String, required: true },
    linkedAt: { type: Date, required: true },
    consent: {
      granted: { type: Boolean, required: true },
      purpose: { type: String, required: true },
      updatedAt: { type: Date, required: true },
    },
  },
  { _id: false },
);

const memberSchema = new Schema<MemberDocument>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    links: { type: [linkSchema], default: [] },
    accountKeys: { type: [String], default: [] },
  },
  { collection: 'members', versionKey: false },
);
// `$gt: ''` (not `$type: 'string'`): a lookup by account key implies it, so it may use this partial index.
memberSchema.index(
  { accountKeys: 1 },
  { unique: true, partialFilterExpression: { accountKeys: { $gt: '' } } },
);

export type MemberModel = Model<MemberDocument>;

export function memberModel(connection: Connection): MemberModel {
  return connection.model<MemberDocument>('Member', memberSchema);
}
