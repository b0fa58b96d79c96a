import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { validateIdentifier, validatePageSize } from '../../shared/argument-validation.js';
import { cursorCodec } from '../../shared/cursor-pagination.js';
import { badInput } from '../../shared/errors.js';
import type { AccessLogDocument } from '../data/access-log.js';
import type { ErasureJobDocument } from '../data/erasure-jobs.js';
import type { MemberDocument } from '../data/member-model.js';
import { consentsOfLink } from '../domain/consent/consent-purposes.js';
import type { ProfileContext } from '../context.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import { brandStoreName } from '../../shared/events/member-lifecycle-message.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import { signedInMemberId } from '../../shared/auth/principal.js';

const accessCursor = cursorCodec('accessLog');
const OBJECT_ID = /^[0-9a-f]{24}$/;

async function accessLogPage(ctx: ProfileContext, memberId: string, first: number, after?: string | null) {
  const size = validatePageSize(first);
  const afterId = after ? accessCursor.decode(after) : null;
  if (afterId && !OBJECT_ID.test(afterId)) throw badInput('`after` is not an access log cursor.', 'after');
  const rows = await ctx.accessLog.page(memberId, size, afterId);
  const entries = rows.slice(0, size);
  const last = entries[entries.length - 1];
  return {
    entries,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: last ? accessCursor.encode(String(last._id)) : null,
    },
  };
}

const memberOf = (ctx: ProfileContext): string =>
  signedInMemberId(ctx.principal, () => badInput('Only a signed-in member can do this.'));

/** A part another subgraph exported (JSON), or null when it could not be reached. */
function partOf(member: Record<string, unknown>, field: string): unknown {
  const value = member[field];
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

/**
 * The member's data in every store as one JSON document (`Member.dataExport`): the profile's own part, and
 * the parts each brand and the benefits service exported (`@requires` inputs). Internal bookkeeping is left
 * out; a store that did not answer is named in `unavailable`.
 */
async function exportDocument(
  ctx: ProfileContext,
  member: MemberDocument & Record<string, unknown>,
  partners: readonly string[],
  at: Date,
): Promise<string> {
  const log = await ctx.accessLog.page(member._id, 10_000, null);
  const brands = Object.fromEntries(partners.map((p) => [p, partOf(member, partnerFieldNames(p).export)]));
  const benefits = partOf(member, 'benefitsExport');
  return JSON.stringify({
    generatedAt: at.toISOString(),
    profile: {
      id: member._id,
      displayName: member.displayName,
      joinedAt: member.joinedAt,
      links: member.links.map((l) => ({
        partner: l.partner,
        partnerMemberId: l.partnerMemberId,
        linkedAt: l.linkedAt,
        consents: consentsOfLink(l),
      })),
      consentHistory: member.consentHistory ?? [],
    },
    accessLog: log.map((e: AccessLogDocument) => ({
      at: e.at,
      role: e.role,
      partner: e.partner,
      fields: e.fields,
      requestId: e.requestId,
    })),
    brands,
    benefits,
    unavailable: [
      ...partners.filter((p) => brands[p] === null).map(brandStoreName),
      ...(benefits === null ? ['benefits'] : []),
    ],
  });
}

/** Erasure, export and the access log (docs/architecture.md §7). */
export function privacyResolvers(
  registry: PartnerRegistry,
  now: () => Date,
): GraphQLResolverMap<ProfileContext> {
  const partners = registry.partners.map((p) => p.key);
  return {
    Query: {
      myErasure: (_: unknown, __: unknown, ctx: ProfileContext) => ctx.erasure.jobs.byMember(memberOf(ctx)),
      erasureJob: (_: unknown, args: { memberId: string }, ctx: ProfileContext) =>
        ctx.erasure.jobs.byMember(validateIdentifier(args.memberId, 'memberId')),
      memberAccessLog: (
        _: unknown,
        args: { memberId: string; first: number; after?: string | null },
        ctx: ProfileContext,
      ) => accessLogPage(ctx, validateIdentifier(args.memberId, 'memberId'), args.first, args.after),
    },
    Mutation: {
      requestErasure: (_: unknown, __: unknown, ctx: ProfileContext) =>
        ctx.erasure.request(memberOf(ctx), 'member'),
      eraseMember: (_: unknown, args: { memberId: string }, ctx: ProfileContext) =>
        ctx.erasure.request(validateIdentifier(args.memberId, 'memberId'), 'admin'),
      requestDataExport: (_: unknown, __: unknown, ctx: ProfileContext) =>
        ctx.loaders.memberById.load(memberOf(ctx)),
    },
    Member: {
      dataExport: (m: MemberDocument & Record<string, unknown>, _: unknown, ctx: ProfileContext) =>
        exportDocument(ctx, m, partners, now()),
      accessLog: (m: MemberDocument, args: { first: number; after?: string | null }, ctx: ProfileContext) =>
        accessLogPage(ctx, m._id, args.first, args.after),
    },
    ErasureJob: {
      id: (job: ErasureJobDocument) => job._id,
      pendingStores: (job: ErasureJobDocument) =>
        job.stores.filter((s) => !job.receipts.some((r) => r.store === s)),
    },
    AccessLogEntry: {
      partner: (e: AccessLogDocument) => e.partner ?? null,
    },
  } as GraphQLResolverMap<ProfileContext>;
}
