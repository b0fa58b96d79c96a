import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { ConsentChange, LegacyConsent, PurposeConsent } from '../domain/consent/consent-purposes.js';
import { CONSENT_PURPOSES } from '../domain/consent/consent-purposes.js';
import {
  requiredString,
  requiredBoolean,
  requiredDate,
  nullableString,
  stringList,
} from '../../shared/db/schema-fields.js';

export interface PartnerLinkDocument {
  partner: string;
  partnerMemberId: string;
  linkedAt: Date;
  /** The member's answer per purpose (`consentsOfLink` reads it, and the legacy shape below). */
  consents?: PurposeConsent[];
  /** The single-purpose consent of links written before purposes; `npm run migrate:consent` converts it. */
  consent?: LegacyConsent;
}

export interface MemberDocument {
  _id: string;
  displayName: string;
  joinedAt: Date;
  links: PartnerLinkDocument[];
  /** `partner:partnerMemberId` of every link: a unique multikey index, so one partner account links to one member. */
  accountKeys: string[];
  /** Every consent answer that changed something, oldest first (what, for whom, which notice, when). */
  consentHistory?: ConsentChange[];
  /** Bumped by every consent answer: the compare-and-set guard of concurrent answers (no transactions). */
  consentRevision?: number;
}

export const accountKey = (partner: string, partnerMemberId: string): string =>
  `${partner}:${partnerMemberId}`;

const purposeConsentSchema = new Schema<PurposeConsent>(
  {
    purpose: { type: String, enum: CONSENT_PURPOSES, required: true },
    granted: requiredBoolean,
    noticeVersion: nullableString,
    updatedAt: requiredDate,
  },
  { _id: false },
);

const linkSchema = new Schema<PartnerLinkDocument>(
  {
    partner: requiredString,
    partnerMemberId: requiredString,
    linkedAt: requiredDate,
    consents: { type: [purposeConsentSchema], default: undefined },
    consent: {
      type: new Schema(
        { granted: Boolean, purpose: String, updatedAt: Date },
        { _id: false, versionKey: false },
      ),
      default: undefined,
    },
  },
  { _id: false },
);

const consentChangeSchema = new Schema<ConsentChange>(
  {
    partner: requiredString,
    purpose: { type: String, enum: CONSENT_PURPOSES, required: true },
    granted: requiredBoolean,
    noticeVersion: nullableString,
    at: requiredDate,
  },
  { _id: false },
);

const memberSchema = new Schema<MemberDocument>(
  {
    _id: requiredString,
    displayName: requiredString,
    joinedAt: requiredDate,
    links: { type: [linkSchema], default: [] },
    accountKeys: stringList,
    consentHistory: { type: [consentChangeSchema], default: undefined },
    consentRevision: { type: Number },
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
