import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { validatePageSize, validatePartner } from '../../shared/argument-validation.js';
import { badInput } from '../../shared/errors.js';
import type { ConsentPurpose } from '../domain/consent/consent-purposes.js';
import {
  consentsOfLink,
  grantedPurposesOf,
  isConsentPurpose,
  partnersConsentedFor,
} from '../domain/consent/consent-purposes.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import type { MemberDocument, PartnerLinkDocument } from '../data/member-model.js';
import type { ProfileContext } from '../context.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

/** A notice version as a partner's privacy notice names it, e.g. `2026-12` or `v3.1`. */
const NOTICE_VERSION = /^[A-Za-z0-9._-]{1,32}$/;

function validatePurposes(purposes: readonly unknown[]): ConsentPurpose[] {
  if (purposes.length === 0) throw badInput('`purposes` must name at least one purpose.', 'purposes');
  return [...new Set(purposes.filter(isConsentPurpose))];
}

function validateNoticeVersion(version: string): string {
  if (!NOTICE_VERSION.test(version)) {
    throw badInput(
      `\`noticeVersion\` must be 1-32 letters, digits, ".", "_" or "-"; got "${version.slice(0, 40)}".`,
      'noticeVersion',
    );
  }
  return version;
}

const memberOf = (ctx: ProfileContext): string =>
  signedInMemberId(ctx.principal, () => badInput('Only a member can change their own consent.'));

/** `grantConsent`, `withdrawConsent`, `PartnerLink.consents` and the consent history. */
export function consentResolvers(
  registry: PartnerRegistry,
  now: () => Date,
): GraphQLResolverMap<ProfileContext> {
  async function answer(
    ctx: ProfileContext,
    args: { partner: string; purposes: readonly unknown[] },
    granted: boolean,
    noticeVersion: string | null,
  ): Promise<MemberDocument> {
    const member = await ctx.store.answerConsent(memberOf(ctx), validatePartner(registry, args.partner), {
      purposes: validatePurposes(args.purposes),
      granted,
      noticeVersion,
      at: now(),
    });
    await ctx.profileCache.invalidate(member._id).catch(() => undefined); // the fingerprint guards it anyway
    return member;
  }
  return {
    Mutation: {
      grantConsent: (
        _: unknown,
        args: { partner: string; purposes: ConsentPurpose[]; noticeVersion: string },
        ctx: ProfileContext,
      ) => answer(ctx, args, true, validateNoticeVersion(args.noticeVersion)),
      withdrawConsent: (
        _: unknown,
        args: { partner: string; purposes: ConsentPurpose[] },
        ctx: ProfileContext,
      ) => answer(ctx, args, false, null),
    },
    Member: {
      ...Object.fromEntries(
        registry.partners.map((p) => [
          partnerFieldNames(p.key).consent,
          (m: MemberDocument) => {
            const link = m.links.find((l) => l.partner === p.key);
            return link ? grantedPurposesOf(link) : [];
          },
        ]),
      ),
      personalisationPartners: (m: MemberDocument) => partnersConsentedFor(m.links, 'PERSONALISED_BENEFITS'),
      consentHistory: (m: MemberDocument, args: { first: number }) =>
        [...(m.consentHistory ?? [])].reverse().slice(0, validatePageSize(args.first)),
    },
    PartnerLink: {
      consents: (link: PartnerLinkDocument) => consentsOfLink(link),
      // The single purpose of before: the cross-brand profile's answer.
      consent: (link: PartnerLinkDocument) => {
        const profile = consentsOfLink(link).find((c) => c.purpose === 'CROSS_BRAND_PROFILE')!;
        return {
          granted: profile.granted,
          purpose: 'cross-brand profile and benefit matching',
          updatedAt: profile.updatedAt,
        };
      },
    },
  } as GraphQLResolverMap<ProfileContext>;
}
