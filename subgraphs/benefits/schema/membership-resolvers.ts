import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { badInput, forbidden, notFound } from '../../shared/errors.js';
import type { BenefitsContext } from '../context.js';
import type { MembershipHistoryEntry, MembershipState } from '../domain/membership/membership-lifecycle.js';
import {
  currentPeriod,
  decideCancellation,
  holdsBenefits,
  membershipStatus,
} from '../domain/membership/membership-lifecycle.js';
import type { MembershipPlan } from '../domain/membership/membership-plan.js';
import { MAX_COOLING_OFF_DAYS, MAX_GRACE_DAYS, planPriceFor } from '../domain/membership/membership-plan.js';
import { membershipRevenue } from '../domain/membership/revenue-share.js';
import { membershipAnalytics } from '../domain/membership/membership-analytics.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { MemberRepresentation } from './member-facts-resolution.js';
import { resolveMemberFacts } from './member-facts-resolution.js';

export interface MembershipResolverDeps {
  registry: PartnerRegistry;
  model: PopulationModel;
  now: () => Date;
}

/** What `Membership` resolves from: the document, the moment, and the member's score then. */
interface MembershipView {
  state: MembershipState;
  at: Date;
  score: number | null;
}

/** The fields of `schema/benefits/membership.graphql`: the member's paid plan, prices by score, cancellation. */
export function membershipResolvers(deps: MembershipResolverDeps): GraphQLResolverMap<BenefitsContext> {
  const plans = new Map(deps.registry.membershipPlans.map((plan) => [plan.id, plan]));
  const planOf = (view: MembershipView): MembershipPlan | null => {
    const id = currentPeriod(view.state)?.planId ?? view.state.planId;
    return id ? (plans.get(id) ?? null) : null;
  };
  const renews = (view: MembershipView): boolean =>
    view.state.autoRenew && holdsBenefits(membershipStatus(view.state, view.at, plans));

  return {
    Query: {
      subscriptionOutcome: async (_: unknown, args: { eventId: string }, ctx: BenefitsContext) => {
        if (ctx.principal.role !== 'partner_service') throw forbidden('Only a partner checkout reads this.');
        const eventId = args.eventId;
        // The envelope's own rule for event ids (partner-event.ts).
        if (!/^[A-Za-z0-9._:@-]{1,128}$/.test(eventId)) {
          throw badInput('`eventId` must be 1-128 letters, digits or . _ : @ -, as in the event.', 'eventId');
        }
        const entry = await ctx.memberships.store.entryByKey(`${ctx.principal.partner}:${eventId}`);
        return entry
          ? {
              eventId,
              change: entry.kind,
              reason: entry.reason,
              periodStart: entry.kind === 'REJECTED' ? null : entry.periodStart,
              periodEnd: entry.periodEnd,
            }
          : null;
      },
    },
    Mutation: {
      cancelMembershipRenewal: async (_: unknown, __: unknown, ctx: BenefitsContext) => {
        if (ctx.principal.role !== 'member') throw forbidden('Only members stop the renewal of their plan.');
        const memberId = ctx.principal.memberId;
        const at = deps.now();
        const { state } = await ctx.memberships.store.change(memberId, (s) =>
          decideCancellation(s, at, plans),
        );
        if (!currentPeriod(state) || !holdsBenefits(membershipStatus(state, at, plans))) {
          throw notFound('You hold no paid plan whose renewal could be stopped.');
        }
        const score = (await ctx.campaigns.facts.at(memberId, at))?.compositeScore ?? null;
        return { state, at, score } satisfies MembershipView;
      },
    },
    Member: {
      membership: async (member: MemberRepresentation, _: unknown, ctx: BenefitsContext) => {
        const at = deps.now();
        const [{ facts }, state] = await Promise.all([
          resolveMemberFacts(member, deps, ctx, at),
          ctx.memberships.store.get(member.id),
        ]);
        return state.version === 0
          ? null
          : ({ state, at, score: facts.compositeScore } satisfies MembershipView);
      },
      availablePlans: async (member: MemberRepresentation, _: unknown, ctx: BenefitsContext) => {
        const { facts } = await resolveMemberFacts(member, deps, ctx, deps.now());
        return [...plans.values()].map((plan) => {
          const price = planPriceFor(plan, facts.compositeScore);
          return { plan, price: price.priceMinor, currency: plan.currency, reason: price.reason };
        });
      },
    },
    Membership: {
      plan: planOf,
      status: (view: MembershipView) => membershipStatus(view.state, view.at, plans),
      // An ended (refunded) plan has no current period, whatever earlier periods it had.
      currentPeriodEnd: (view: MembershipView) =>
        membershipStatus(view.state, view.at, plans) === 'ENDED'
          ? null
          : (currentPeriod(view.state)?.end ?? null),
      autoRenew: renews,
      priceNext: (view: MembershipView) => {
        const plan = planOf(view);
        return plan && renews(view) ? planPriceFor(plan, view.score).priceMinor : null;
      },
      history: (view: MembershipView) =>
        view.state.history.map((entry: MembershipHistoryEntry) => ({
          change: entry.kind,
          at: entry.at,
          planId: entry.planId,
          partner: entry.partner,
          amountPaid: entry.amountMinor,
          periodStart: entry.periodStart,
          periodEnd: entry.periodEnd,
          reason: entry.reason,
        })),
    },
    PartnerSettlement: {
      membershipFees: async (
        statement: { partner: string; month: string },
        _: unknown,
        ctx: BenefitsContext,
      ) => {
        const bounds = ctx.calendar.monthBounds(statement.month);
        // Fees paid in the month, and those paid up to a cooling-off window before it that it may refund.
        const memberships = await ctx.memberships.store.withPeriodsPaidBetween(
          new Date(bounds.start.getTime() - MAX_COOLING_OFF_DAYS * 86_400_000),
          bounds.end,
        );
        const partners = deps.registry.partners.map((p) => p.key);
        const revenue = membershipRevenue(memberships, bounds, plans, partners).get(statement.partner)!;
        return { ...revenue, netOwedToPartnerMinor: revenue.shareMinor - revenue.collectedMinor };
      },
    },
    ProgrammeAnalytics: {
      paidMembership: async (window: AnalyticsWindow, _: unknown, ctx: BenefitsContext) => {
        // Every period that can matter: those ending (or in a grace ending) in the window or after it.
        const since = new Date(window.from.getTime() - MAX_GRACE_DAYS * 86_400_000);
        const [memberships, bands] = await Promise.all([
          ctx.memberships.store.withPeriodsEndingSince(since),
          ctx.memberships.membersPerScoreBand(),
        ]);
        return membershipAnalytics(memberships, window, plans, bands);
      },
    },
    MembershipPlan: {
      benefits: (plan: MembershipPlan, _: unknown, ctx: BenefitsContext) =>
        Promise.all(plan.benefits.map((code) => ctx.loaders.benefitById.load(code))),
      pointsMultiplier: (plan: MembershipPlan) => plan.earning?.pointsMultiplier ?? null,
      multiplierPartners: (plan: MembershipPlan) => plan.earning?.partners ?? [],
      priceBands: (plan: MembershipPlan) =>
        plan.priceBands.map((band) => ({
          minScore: band.minScore,
          price: { amountMinor: band.priceMinor, currency: plan.currency },
        })),
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
