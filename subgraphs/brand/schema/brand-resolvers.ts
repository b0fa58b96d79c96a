import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerConfig } from '../../shared/config/partner-registry.js';
import { summariseBehaviour } from '../../shared/domain/behaviour.js';
import { MinorUnitsScalar } from '../../shared/scalars/safe-integer-scalars.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';
import { badInput } from '../../shared/errors.js';
import type { AccountDocument, OrderDocument } from '../data/brand-models.js';
import { MAX_RECENT_ORDERS } from '../data/brand-loaders.js';
import { localTierFor } from '../domain/local-tier.js';
import type { BrandContext } from '../context.js';

/** A member as the gateway names it to a brand: the key, with the purposes consented for this partner. */
type MemberRef = { id: string } & Record<string, unknown>;

interface MembershipView {
  account: AccountDocument;
  partner: PartnerConfig;
  now: Date;
}

/** The purposes in the key; a fetch that names none (or garbage) is treated as consent to nothing. */
function consentedPurposes(member: MemberRef, field: string): string[] {
  const value = member[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const linkedAccountId = (member: MemberRef, field: string): string | null =>
  typeof member[field] === 'string' ? (member[field] as string) : null;

/**
 * The account the programme links to the member, named by the key (the profile's links are the record of
 * who owns which account, proven at linking): an unlinked account is not the member's here any more.
 */
async function linkedAccount(member: MemberRef, field: string, ctx: BrandContext) {
  const id = linkedAccountId(member, field);
  return id ? ctx.loaders.accountById.load(id) : null;
}

const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });

/** Resolvers of one brand subgraph; the fields are named by the partner key (`Member.mindspark`, …). */
export function brandResolvers(partner: PartnerConfig, now: () => Date): GraphQLResolverMap<BrandContext> {
  const fields = partnerFieldNames(partner.key);
  return {
    MinorUnits: MinorUnitsScalar,
    Member: {
      __resolveReference: (ref: MemberRef) => ref,
      [fields.consent]: (member: MemberRef) => consentedPurposes(member, fields.consent),
      [fields.account]: (member: MemberRef) => linkedAccountId(member, fields.account),
      [fields.membership]: async (
        member: MemberRef,
        _args: unknown,
        ctx: BrandContext,
      ): Promise<MembershipView | null> => {
        const account = await linkedAccount(member, fields.account, ctx);
        return account ? { account, partner, now: now() } : null;
      },
      [fields.behaviour]: async (member: MemberRef, _args: unknown, ctx: BrandContext) => {
        // Served only for the purpose it is read for, while the member's consent for it holds: without it
        // the models get what a member without an account here gives them (and leave the brand out).
        if (!consentedPurposes(member, fields.consent).includes('CROSS_BRAND_PROFILE')) {
          return summariseBehaviour(partner.key, {}, now());
        }
        const account = await linkedAccount(member, fields.account, ctx);
        // Never null: an empty summary for a member without an account here, so that a null reaching the
        // models always means this brand did not answer (and the profile says so instead of guessing).
        if (!account) return summariseBehaviour(partner.key, {}, now());
        return summariseBehaviour(partner.key, account.days ?? {}, now(), {
          firstPurchaseAt: account.firstPurchaseAt ?? null,
        });
      },
    },
    BrandMembership: {
      partner: (view: MembershipView) => view.partner.key,
      brandMemberId: (view: MembershipView) => view.account._id,
      joinedAt: (view: MembershipView) => view.account.joinedAt,
      localTier: (view: MembershipView) =>
        localTierFor(
          summariseBehaviour(view.partner.key, view.account.days ?? {}, view.now).spendMinor,
          view.partner.localTiers,
        ),
      recentOrders: async (view: MembershipView, args: { first: number }, ctx: BrandContext) => {
        if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_RECENT_ORDERS) {
          throw badInput(
            `recentOrders(first:) must be between 1 and ${MAX_RECENT_ORDERS}; got ${args.first}.`,
            'first',
          );
        }
        const orders = await ctx.loaders.recentOrdersByAccount.load(view.account._id);
        return orders.slice(0, args.first);
      },
    },
    BrandOrder: {
      orderId: (order: OrderDocument) => order._id,
      amount: (order: OrderDocument) => money(order.amountMinor, order.currency),
      refunded: (order: OrderDocument) => money(order.refundedMinor ?? 0, order.currency),
    },
  } as GraphQLResolverMap<BrandContext>;
}
