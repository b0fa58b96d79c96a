import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { AppError, notFound } from '../../shared/errors.js';
import { CONSENT_PURPOSES } from '../domain/consent/consent-purposes.js';
import type { PurposeConsent } from '../domain/consent/consent-purposes.js';
import {
  LINK_CODE_TTL_MS,
  generateLinkCode,
  isLinkCodeCurrent,
  linkCodeId,
} from '../domain/lifecycle/link-code.js';
import type { MemberDocument, MemberModel, PartnerLinkDocument } from './member-model.js';
import { accountKey } from './member-model.js';
import type { LifecycleOutbox } from './lifecycle-outbox.js';
import { requiredString, requiredDate, nullableString } from '../../shared/db/schema-fields.js';

/** An issued link code; `_id` is its hash (`linkCodeId`), never the code. */
export interface LinkCodeDocument {
  _id: string;
  partner: string;
  partnerMemberId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** The member who redeemed it: set once, by a conditional update, so a code links one member only. */
  redeemedBy: string | null;
}

const linkCodeSchema = new Schema<LinkCodeDocument>(
  {
    _id: requiredString,
    partner: requiredString,
    partnerMemberId: requiredString,
    issuedAt: requiredDate,
    expiresAt: requiredDate,
    redeemedBy: nullableString,
  },
  { collection: 'linkCodes', versionKey: false },
);
// Expired codes go away on their own (a day later, so a late redemption still gets a clear answer).
linkCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });
// Erasure removes the codes a member redeemed and those issued for their accounts.
linkCodeSchema.index({ redeemedBy: 1 });
linkCodeSchema.index({ partner: 1, partnerMemberId: 1 });

export type LinkCodeModel = Model<LinkCodeDocument>;

/**
 * Which member holds a partner account: `_id` is the account key (`partner:partnerMemberId`), so inserting
 * it is the guard that lets one member, and only one, link an account (an `_id` is unique on every store
 * and deployment; the member store's multikey unique index is kept as a second line).
 */
export interface AccountHolderDocument {
  _id: string;
  partner: string;
  memberId: string;
  since: Date;
}

const accountHolderSchema = new Schema<AccountHolderDocument>(
  {
    _id: requiredString,
    partner: requiredString,
    memberId: requiredString,
    since: requiredDate,
  },
  { collection: 'accountHolders', versionKey: false },
);
accountHolderSchema.index({ memberId: 1, partner: 1 });

export type AccountHolderModel = Model<AccountHolderDocument>;

export function accountHolderModel(connection: Connection): AccountHolderModel {
  return connection.model<AccountHolderDocument>('AccountHolder', accountHolderSchema);
}

export function linkCodeModel(connection: Connection): LinkCodeModel {
  return connection.model<LinkCodeDocument>('LinkCode', linkCodeSchema);
}

/** A new link: consent to nothing until the member answers (PIPL art. 23 wants consent given, not assumed). */
const newLink = (partner: string, partnerMemberId: string, at: Date): PartnerLinkDocument => ({
  partner,
  partnerMemberId,
  linkedAt: at,
  consents: CONSENT_PURPOSES.map((purpose): PurposeConsent => ({
    purpose,
    granted: false,
    noticeVersion: null,
    updatedAt: at,
  })),
});

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number })?.code === 11000;

const alreadyLinkedElsewhere = (partner: string) =>
  new AppError('CONFLICT', `This ${partner} account is already linked to another member.`);

/**
 * Joining the programme and linking partner accounts. Each step is one conditional write, repeatable, and
 * the unique index on `accountKeys` is what makes linking one account to two members impossible, whatever
 * the interleaving (no transactions).
 */
export class MemberLifecycleStore {
  constructor(
    private readonly Member: MemberModel,
    private readonly LinkCode: LinkCodeModel,
    private readonly AccountHolder: AccountHolderModel,
    /** Where links and unlinks are announced to the brands (docs/architecture.md §7); none: not announced. */
    private readonly outbox: LifecycleOutbox | null = null,
  ) {}

  /** Records the member as the account's holder if no one is (links made before holders existed). */
  async recordHolder(memberId: string, partner: string, partnerMemberId: string, since: Date): Promise<void> {
    await this.AccountHolder.updateOne(
      { _id: accountKey(partner, partnerMemberId) },
      { $setOnInsert: { partner, memberId, since } },
      { upsert: true },
    ).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
  }

  /** Tells the partner's brand that its account belongs to the member (idempotent per link). */
  async announceLink(member: MemberDocument, partner: string): Promise<void> {
    const link = member.links.find((l) => l.partner === partner);
    if (!this.outbox || !link) return;
    const id = `link:${accountKey(partner, link.partnerMemberId)}:${member._id}:${new Date(link.linkedAt).getTime()}`;
    await this.outbox.record(
      id,
      member._id,
      { kind: 'link', partner, partnerMemberId: link.partnerMemberId, memberId: member._id },
      new Date(),
    );
  }

  /**
   * Makes `memberId` the holder of an account: true when it is (now or already), false when another member
   * holds it. Accounts linked before holders were recorded (seeded, migrated) are found in the member store.
   */
  private async hold(key: string, partner: string, memberId: string, at: Date): Promise<string> {
    const other = await this.Member.findOne({ accountKeys: key, _id: { $ne: memberId } }, { _id: 1 }).lean<{
      _id: string;
    }>();
    if (other) return other._id;
    try {
      await this.AccountHolder.create({ _id: key, partner, memberId, since: at });
      return memberId;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const holder = await this.AccountHolder.findById(key).lean<AccountHolderDocument>();
      return holder?.memberId ?? memberId;
    }
  }

  /**
   * Enrols the customer behind a partner account: a new member with that account linked, or, when the
   * account is already linked, its member (`created: false`), so a repeated or concurrent enrolment of the
   * same account answers the same member.
   */
  async enrol(
    partner: string,
    partnerMemberId: string,
    displayName: string,
    at: Date,
  ): Promise<{ member: MemberDocument; created: boolean }> {
    const key = accountKey(partner, partnerMemberId);
    const candidate = `M${randomBytes(8).toString('hex').toUpperCase()}`;
    const holder = await this.hold(key, partner, candidate, at);
    // The holder's member document: written by whoever holds the account (idempotent upsert), so an
    // enrolment that lost the race, or one retried after a crash, answers the same member.
    const fields = {
      displayName,
      joinedAt: at,
      links: [newLink(partner, partnerMemberId, at)],
      accountKeys: [key],
    };
    const result = await this.Member.updateOne({ _id: holder }, { $setOnInsert: fields }, { upsert: true });
    const member = await this.Member.findById(holder).lean<MemberDocument>();
    if (!member)
      throw new AppError('CONFLICT', 'This account is being enrolled by another request; try again.');
    await this.announceLink(member, partner);
    return { member, created: holder === candidate && result.upsertedCount === 1 };
  }

  async issueLinkCode(
    partner: string,
    partnerMemberId: string,
    now: Date,
  ): Promise<{ code: string; expiresAt: Date }> {
    const code = generateLinkCode();
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.LinkCode.create({
      _id: linkCodeId(partner, code),
      partner,
      partnerMemberId,
      issuedAt: now,
      expiresAt,
      redeemedBy: null,
    });
    return { code, expiresAt };
  }

  /**
   * Links the account a code was issued for to the member: (1) claim the code for the member (a code
   * someone else redeemed is refused; the same member again goes on), (2) add the link unless the member
   * has it. A retry after a crash between the steps finishes the link.
   */
  async redeemLinkCode(memberId: string, partner: string, code: string, now: Date): Promise<MemberDocument> {
    const id = linkCodeId(partner, code);
    const issued = await this.LinkCode.findById(id).lean<LinkCodeDocument>();
    if (!issued || !isLinkCodeCurrent(issued.expiresAt, now)) {
      throw notFound(
        `No current ${partner} link code matches; ask ${partner} for a new one (codes last 10 minutes).`,
      );
    }
    const claimed = await this.LinkCode.findOneAndUpdate(
      { _id: id, redeemedBy: { $in: [null, memberId] } },
      { $set: { redeemedBy: memberId } },
      { returnDocument: 'after' },
    ).lean<LinkCodeDocument>();
    if (!claimed) throw new AppError('CONFLICT', 'This link code has already been used.');
    const key = accountKey(partner, issued.partnerMemberId);
    const current = await this.Member.findById(memberId).lean<MemberDocument>();
    if (!current) throw notFound('You are not a member of the programme.');
    if (current.accountKeys.includes(key)) {
      await this.announceLink(current, partner); // linked already: a repeated redemption
      return current;
    }
    if (current.links.some((l) => l.partner === partner)) {
      throw new AppError(
        'CONFLICT',
        `You already have a ${partner} account linked; unlink it before linking another.`,
      );
    }
    if ((await this.hold(key, partner, memberId, now)) !== memberId) throw alreadyLinkedElsewhere(partner);
    try {
      const linked = await this.Member.findOneAndUpdate(
        { _id: memberId, accountKeys: { $ne: key }, 'links.partner': { $ne: partner } },
        { $push: { links: newLink(partner, issued.partnerMemberId, now) }, $addToSet: { accountKeys: key } },
        { returnDocument: 'after' },
      ).lean<MemberDocument>();
      if (linked) {
        await this.announceLink(linked, partner);
        return linked;
      }
    } catch (error) {
      if (isDuplicateKey(error)) throw alreadyLinkedElsewhere(partner);
      throw error;
    }
    const member = await this.Member.findById(memberId).lean<MemberDocument>();
    if (!member) throw notFound('You are not a member of the programme.');
    if (member.accountKeys.includes(key)) {
      await this.announceLink(member, partner); // linked already: a repeated redemption
      return member;
    }
    throw new AppError(
      'CONFLICT',
      `You already have a ${partner} account linked; unlink it before linking another.`,
    );
  }

  /** Removes the member's link to a partner; unlinking what is not linked changes nothing. */
  async unlink(memberId: string, partner: string): Promise<MemberDocument> {
    const member = await this.Member.findById(memberId).lean<MemberDocument>();
    if (!member) throw notFound('You are not a member of the programme.');
    const link = member.links.find((l) => l.partner === partner);
    // A link made before holders were recorded gets its holder first, so the release below announces it.
    if (link) await this.recordHolder(member._id, partner, link.partnerMemberId, link.linkedAt);
    const updated = link
      ? await this.Member.findOneAndUpdate(
          { _id: memberId },
          { $pull: { links: { partner }, accountKeys: accountKey(partner, link.partnerMemberId) } },
          { returnDocument: 'after' },
        ).lean<MemberDocument>()
      : member;
    // Then tell the brand and release the account (also on a retry after a crash between the writes).
    const released = await this.AccountHolder.find({
      memberId,
      partner,
      _id: { $nin: updated?.accountKeys ?? [] },
    }).lean<AccountHolderDocument[]>();
    for (const holder of released) {
      const partnerMemberId = holder._id.slice(partner.length + 1);
      await this.outbox?.record(
        `unlink:${holder._id}:${memberId}:${new Date(holder.since).getTime()}`,
        memberId,
        { kind: 'unlink', partner, partnerMemberId, memberId },
        new Date(),
      );
      await this.AccountHolder.deleteOne({ _id: holder._id, memberId });
    }
    return updated ?? member;
  }
}
