import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { validateIdentifier, validatePartner } from '../../shared/argument-validation.js';
import { badInput } from '../../shared/errors.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import { normaliseLinkCode } from '../domain/lifecycle/link-code.js';
import type { MemberDocument } from '../data/member-model.js';
import type { ProfileContext } from '../context.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

const MAX_DISPLAY_NAME = 80;

function validateDisplayName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DISPLAY_NAME || /\p{Cc}/u.test(trimmed)) {
    throw badInput(`\`displayName\` must be 1-${MAX_DISPLAY_NAME} printable characters.`, 'displayName');
  }
  return trimmed;
}

const selfOf = (ctx: ProfileContext): string =>
  signedInMemberId(ctx.principal, () => badInput('Only a signed-in member can link accounts.'));

/** `enrol`, `issueLinkCode`, `linkAccount`, `unlinkAccount`, and the per-partner account the brands key on. */
export function lifecycleResolvers(
  registry: PartnerRegistry,
  now: () => Date,
): GraphQLResolverMap<ProfileContext> {
  return {
    Mutation: {
      enrol: (
        _: unknown,
        args: { partner: string; partnerMemberId: string; displayName: string },
        ctx: ProfileContext,
      ) =>
        ctx.lifecycle.enrol(
          validatePartner(registry, args.partner),
          validateIdentifier(args.partnerMemberId, 'partnerMemberId'),
          validateDisplayName(args.displayName),
          now(),
        ),
      issueLinkCode: (_: unknown, args: { partner: string; partnerMemberId: string }, ctx: ProfileContext) =>
        ctx.lifecycle.issueLinkCode(
          validatePartner(registry, args.partner),
          validateIdentifier(args.partnerMemberId, 'partnerMemberId'),
          now(),
        ),
      linkAccount: async (_: unknown, args: { partner: string; code: string }, ctx: ProfileContext) => {
        const code = normaliseLinkCode(args.code);
        if (!code) throw badInput('`code` must be the 8-character code the partner gave you.', 'code');
        const member = await ctx.lifecycle.redeemLinkCode(
          selfOf(ctx),
          validatePartner(registry, args.partner),
          code,
          now(),
        );
        await ctx.profileCache.invalidate(member._id).catch(() => undefined);
        return member;
      },
      unlinkAccount: async (_: unknown, args: { partner: string }, ctx: ProfileContext) => {
        const member = await ctx.lifecycle.unlink(selfOf(ctx), validatePartner(registry, args.partner));
        await ctx.profileCache.invalidate(member._id).catch(() => undefined);
        return member;
      },
    },
    Member: Object.fromEntries(
      registry.partners.map((p) => [
        partnerFieldNames(p.key).account,
        (m: MemberDocument) => m.links.find((l) => l.partner === p.key)?.partnerMemberId ?? null,
      ]),
    ),
  } as GraphQLResolverMap<ProfileContext>;
}
