import { notFound } from '../../shared/errors.js';
import type { MemberDocument, MemberModel, PartnerLinkDocument } from './member-model.js';
import { CONSENT_PURPOSE, accountKey } from './member-model.js';

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
          consent: { granted: l.consentGranted, purpose: CONSENT_PURPOSE, updatedAt: l.linkedAt },
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

  /** Sets consent for one linked partner with one conditional update (no read-modify-write race). */
  async setConsent(memberId: string, partner: string, granted: boolean, at: Date): Promise<MemberDocument> {
    const updated = await this.Member.findOneAndUpdate(
      { _id: memberId, 'links.partner': partner },
      { $set: { 'links.$.consent': { granted, purpose: CONSENT_PURPOSE, updatedAt: at } } },
      { returnDocument: 'after' },
    ).lean<MemberDocument>();
    if (!updated) throw notFound(`You have no ${partner} account linked to the programme.`);
    return updated;
  }
}
