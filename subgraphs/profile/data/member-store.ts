import { AppError, notFound } from '../../shared/errors.js';
import type { ConsentPurpose, PurposeConsent } from '../domain/consent/consent-purposes.js';
import { applyConsentAnswer } from '../domain/consent/consent-purposes.js';
import type { MemberDocument, MemberModel, PartnerLinkDocument } from './member-model.js';
import { accountKey } from './member-model.js';

/** The notice version of consent written by the demo seed (the seed's members agreed to it when linking). */
export const SEED_NOTICE_VERSION = 'seed-2026';

/** A link's consent as the seed writes it: the two purposes of the old single consent, never marketing. */
const seededConsents = (granted: boolean, at: Date): PurposeConsent[] => [
  { purpose: 'CROSS_BRAND_PROFILE', granted, noticeVersion: SEED_NOTICE_VERSION, updatedAt: at },
  { purpose: 'PERSONALISED_BENEFITS', granted, noticeVersion: SEED_NOTICE_VERSION, updatedAt: at },
  { purpose: 'MARKETING', granted: false, noticeVersion: null, updatedAt: at },
];

/** How often a consent answer is retried when another answer of the same member wrote in between. */
const CONSENT_WRITE_ATTEMPTS = 8;

export interface ConsentAnswer {
  purposes: readonly ConsentPurpose[];
  granted: boolean;
  noticeVersion: string | null;
  at: Date;
}

export interface NewMember {
  id: string;
  displayName: string;
  joinedAt: Date;
  links: { partner: string; partnerMemberId: string; linkedAt: Date; consentGranted: boolean }[];
}

/** Writes of the profile subgraph: members, their partner links and consent. */
export class MemberStore {
  constructor(private readonly Member: MemberModel) {}

  async upsertMembers(members: readonly NewMember[]): Promise<void> {
    if (members.length === 0) return;
    await this.Member.bulkWrite(
      members.map((m) => {
        const links: PartnerLinkDocument[] = m.links.map((l) => ({
          partner: l.partner,
          partnerMemberId: l.partnerMemberId,
          linkedAt: l.linkedAt,
          consents: seededConsents(l.consentGranted, l.linkedAt),
        }));
        return {
          replaceOne: {
            filter: { _id: m.id },
            replacement: {
              _id: m.id,
              displayName: m.displayName,
              joinedAt: m.joinedAt,
              links,
              accountKeys: links.map((l) => accountKey(l.partner, l.partnerMemberId)),
            },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
  }

  /**
   * Records the member's answer for some purposes of one linked partner. Read, compute, then write only if
   * no other answer of the member wrote in between (`consentRevision` as the guard), retried: concurrent
   * answers for different purposes both land, and the history gets each change once. An answer that
   * changes nothing writes nothing.
   */
  async answerConsent(memberId: string, partner: string, answer: ConsentAnswer): Promise<MemberDocument> {
    for (let attempt = 0; attempt < CONSENT_WRITE_ATTEMPTS; attempt++) {
      const member = await this.Member.findById(memberId).lean<MemberDocument>();
      const link = member?.links.find((l) => l.partner === partner);
      if (!member || !link) throw notFound(`You have no ${partner} account linked to the programme.`);
      const { consents, changes } = applyConsentAnswer(link, answer);
      if (changes.length === 0) return member;
      const revision = member.consentRevision ?? 0;
      const updated = await this.Member.findOneAndUpdate(
        {
          _id: memberId,
          'links.partner': partner,
          consentRevision: revision === 0 ? { $in: [null, 0] } : revision,
        },
        {
          $set: { 'links.$.consents': consents, consentRevision: revision + 1 },
          $unset: { 'links.$.consent': '' },
          $push: { consentHistory: { $each: changes } },
        },
        { returnDocument: 'after' },
      ).lean<MemberDocument>();
      if (updated) return updated;
    }
    throw new AppError('CONFLICT', 'Your consent is being changed by another request; try again.');
  }
}
