import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Principal } from '../../shared/auth/principal.js';
import { validateIdentifier, validatePageSize, validatePartner } from '../../shared/argument-validation.js';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { PopulationModel } from '../../shared/domain/population-model.js';
import { pageOf, timeOrderedCursorCodec } from '../../shared/cursor-pagination.js';
import { AppError, badInput, forbidden } from '../../shared/errors.js';
import type { BenefitsContext } from '../context.js';
import { campaignResults } from '../data/campaigns/campaign-services.js';
import type { StoredCampaign } from '../data/campaigns/campaign-store.js';
import type { CampaignAuditDocument } from '../data/campaigns/campaign-models.js';
import type { CampaignStatus, CampaignTerms } from '../domain/campaigns/campaign.js';
import { CampaignInputError, campaignTermsFromInput } from '../domain/campaigns/campaign-input.js';
import { campaignRunsAt, currentRunEnd } from '../domain/campaigns/campaign-window.js';
import type { MemberRepresentation, QualifyingCampaign } from './member-facts-resolution.js';
import { qualifyingCampaigns, resolveMemberFacts } from './member-facts-resolution.js';

const campaignCursor = timeOrderedCursorCodec('campaigns');

export interface CampaignResolverDeps {
  registry: PartnerRegistry;
  model: PopulationModel;
  now: () => Date;
}

/** Operators manage any campaign; partner staff their own partner's; joint campaigns are the operators'. */
function assertMayManage(principal: Principal, partner: string | null): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'partner_staff' && partner !== null && principal.partner === partner) return;
  throw forbidden(
    partner === null
      ? 'Only programme operators may manage joint campaigns.'
      : `Partner staff manage their own partner's campaigns only; this one is ${partner}'s.`,
  );
}

async function checkedTerms(
  input: unknown,
  deps: CampaignResolverDeps,
  ctx: BenefitsContext,
): Promise<CampaignTerms> {
  let terms: CampaignTerms;
  try {
    terms = campaignTermsFromInput(input);
  } catch (error) {
    if (error instanceof CampaignInputError) throw badInput(error.message, 'input');
    throw error;
  }
  if (terms.partner !== null) validatePartner(deps.registry, terms.partner);
  for (const partner of terms.scope.partners) validatePartner(deps.registry, partner);
  if (terms.partner !== null && terms.scope.partners.some((p) => p !== terms.partner)) {
    throw badInput(
      `input.partners: a campaign of ${terms.partner} counts ${terms.partner}'s events only.`,
      'input',
    );
  }
  const code = terms.actions.unlocksBenefit;
  if (code !== null) {
    const benefit = await ctx.benefits.findById(code).lean();
    if (!benefit)
      throw badInput(`input.unlocksBenefit: no benefit "${code.slice(0, 40)}" in the catalogue.`, 'input');
    if (terms.partner !== null && benefit.partner !== terms.partner) {
      throw badInput(
        `input.unlocksBenefit: ${code} is ${benefit.partner}'s; a campaign of ${terms.partner} unlocks its own.`,
        'input',
      );
    }
  }
  return terms;
}

/** Once a campaign has started, changing what it does would treat members of one run differently. */
const STARTED_MUTABLE: (keyof CampaignTerms)[] = ['name', 'budget'];

function assertChangeAllowed(current: StoredCampaign, next: CampaignTerms, now: Date): void {
  if (current.status === 'ENDED')
    throw new AppError('CONFLICT', `Campaign "${current.id}" has ended; create another.`);
  if (now < current.window.startsAt) return;
  const changed = (Object.keys(next) as (keyof CampaignTerms)[]).filter(
    (key) => !STARTED_MUTABLE.includes(key) && JSON.stringify(next[key]) !== JSON.stringify(current[key]),
  );
  if (changed.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Campaign "${current.id}" has started: only its name and budgets can change (not ${changed.join(', ')}); end it and create another.`,
    );
  }
  const lowered = (['totalPoints', 'perMemberPoints'] as const).filter((k) => {
    const before = current.budget[k];
    const after = next.budget[k];
    return after !== null && (before === null || after < before);
  });
  if (lowered.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Campaign "${current.id}" has started: budgets can be raised, not lowered (${lowered.join(', ')}).`,
    );
  }
}

function describeActions(c: StoredCampaign): string {
  const parts: string[] = [];
  if ((c.actions.pointsMultiplier ?? 1) > 1) parts.push(`×${c.actions.pointsMultiplier} points`);
  if (c.actions.bonusPoints) parts.push(`+${c.actions.bonusPoints} bonus points`);
  if (c.actions.discountPercent) parts.push(`${c.actions.discountPercent}% off`);
  if (c.actions.unlocksBenefit) parts.push(`unlocks ${c.actions.unlocksBenefit}`);
  const where = c.scope.partners.length ? c.scope.partners : c.partner ? [c.partner] : ['every partner'];
  return `${parts.join(', ')} on ${c.scope.activities.map((a) => a.toLowerCase()).join(' and ')} at ${where.join(', ')}`;
}

const json = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));

export function campaignResolvers(deps: CampaignResolverDeps): GraphQLResolverMap<BenefitsContext> {
  const loadForManaging = async (id: string, ctx: BenefitsContext): Promise<StoredCampaign> => {
    const campaign = await ctx.campaigns.store.require(validateIdentifier(id, 'id'));
    assertMayManage(ctx.principal, campaign.partner);
    return campaign;
  };

  return {
    Query: {
      campaigns: async (
        _: unknown,
        args: {
          status?: CampaignStatus | null;
          partner?: string | null;
          first: number;
          after?: string | null;
        },
        ctx: BenefitsContext,
      ) => {
        const p = ctx.principal;
        const first = validatePageSize(args.first);
        const after = args.after ? campaignCursor.decode(args.after) : undefined;
        if (args.partner != null) validatePartner(deps.registry, args.partner);
        if (p.role === 'partner_staff' && args.partner != null && args.partner !== p.partner) {
          throw forbidden(`Partner staff list their own partner's campaigns only (${p.partner}).`);
        }
        const partner =
          p.role === 'partner_staff'
            ? { partner: p.partner }
            : args.partner != null
              ? { partner: args.partner }
              : {};
        const { rows, totalCount } = await ctx.campaigns.store.page(
          { status: args.status, ...partner },
          first,
          after,
        );
        return {
          ...pageOf(rows, first, (c: StoredCampaign) => campaignCursor.encode(c.createdAt, c.id)),
          totalCount,
        };
      },
      campaign: async (_: unknown, args: { id: string }, ctx: BenefitsContext) => {
        const campaign = await ctx.campaigns.store.get(validateIdentifier(args.id, 'id'));
        if (campaign) assertMayManage(ctx.principal, campaign.partner);
        return campaign;
      },
    },
    Mutation: {
      createCampaign: async (_: unknown, args: { input: unknown }, ctx: BenefitsContext) => {
        const terms = await checkedTerms(args.input, deps, ctx);
        assertMayManage(ctx.principal, terms.partner);
        const campaign = await ctx.campaigns.store.create(terms, ctx.principal, deps.now());
        await ctx.campaigns.grants.openBudget(campaign.id);
        return campaign;
      },
      updateCampaign: async (_: unknown, args: { id: string; input: unknown }, ctx: BenefitsContext) => {
        await loadForManaging(args.id, ctx);
        const terms = await checkedTerms(args.input, deps, ctx);
        assertMayManage(ctx.principal, terms.partner);
        const now = deps.now();
        return ctx.campaigns.store.change(args.id, 'UPDATE', ctx.principal, now, (current) => {
          assertChangeAllowed(current, terms, now);
          return terms;
        });
      },
      pauseCampaign: async (_: unknown, args: { id: string }, ctx: BenefitsContext) => {
        await loadForManaging(args.id, ctx);
        const now = deps.now();
        return ctx.campaigns.store.change(args.id, 'PAUSE', ctx.principal, now, (current) => {
          if (current.status !== 'ACTIVE')
            throw new AppError(
              'CONFLICT',
              `Campaign "${current.id}" is ${current.status.toLowerCase()}, not active.`,
            );
          return { status: 'PAUSED', pauses: [...current.pauses, { from: now, to: null }] };
        });
      },
      resumeCampaign: async (_: unknown, args: { id: string }, ctx: BenefitsContext) => {
        await loadForManaging(args.id, ctx);
        const now = deps.now();
        return ctx.campaigns.store.change(args.id, 'RESUME', ctx.principal, now, (current) => {
          if (current.status !== 'PAUSED')
            throw new AppError(
              'CONFLICT',
              `Campaign "${current.id}" is ${current.status.toLowerCase()}, not paused.`,
            );
          return {
            status: 'ACTIVE',
            pauses: current.pauses.map((p) => (p.to === null ? { ...p, to: now } : p)),
          };
        });
      },
      endCampaign: async (_: unknown, args: { id: string }, ctx: BenefitsContext) => {
        await loadForManaging(args.id, ctx);
        const now = deps.now();
        return ctx.campaigns.store.change(args.id, 'END', ctx.principal, now, (current) => {
          if (current.status === 'ENDED')
            throw new AppError('CONFLICT', `Campaign "${current.id}" has ended already.`);
          return {
            status: 'ENDED',
            endedAt: now,
            pauses: current.pauses.map((p) => (p.to === null ? { ...p, to: now } : p)),
          };
        });
      },
    },
    Member: {
      campaigns: async (member: MemberRepresentation, _: unknown, ctx: BenefitsContext) => {
        const now = deps.now();
        const { facts } = await resolveMemberFacts(member, deps, ctx, now);
        const qualifying = await qualifyingCampaigns(member.id, facts, ctx, now);
        return qualifying.map(({ campaign, outcome }: QualifyingCampaign) => {
          const end = currentRunEnd(campaign.window, now, ctx.campaigns.calendar) ?? now;
          const why =
            outcome.reasons.length > 0
              ? `you are in its audience (${outcome.reasons.join('; ')})`
              : 'it is open to every member';
          return {
            campaign,
            reason: `${campaign.name}: ${describeActions(campaign as StoredCampaign)}; ${why}.`,
            secondsLeft: Math.max(0, Math.floor((end.getTime() - now.getTime()) / 1000)),
            endsAt: end,
          };
        });
      },
    },
    Campaign: {
      runningNow: (c: StoredCampaign, _: unknown, ctx: BenefitsContext) =>
        c.status !== 'ENDED' && campaignRunsAt(c, deps.now(), ctx.campaigns.calendar),
      window: (c: StoredCampaign, _: unknown, ctx: BenefitsContext) => ({
        ...c.window,
        timeZone: ctx.campaigns.calendar.timeZone,
      }),
      audienceRule: (c: StoredCampaign) => json(c.audience),
      activities: (c: StoredCampaign) => c.scope.activities,
      partners: (c: StoredCampaign) => c.scope.partners,
      categories: (c: StoredCampaign) => c.scope.categories,
      pointsMultiplier: (c: StoredCampaign) => c.actions.pointsMultiplier,
      bonusPoints: (c: StoredCampaign) => c.actions.bonusPoints,
      discountPercent: (c: StoredCampaign) => c.actions.discountPercent,
      unlocksBenefit: (c: StoredCampaign, _: unknown, ctx: BenefitsContext) =>
        c.actions.unlocksBenefit ? ctx.loaders.benefitById.load(c.actions.unlocksBenefit) : null,
      budgetPoints: (c: StoredCampaign) => c.budget.totalPoints,
      perMemberBudgetPoints: (c: StoredCampaign) => c.budget.perMemberPoints,
      pointsIssued: (c: StoredCampaign, _: unknown, ctx: BenefitsContext) =>
        ctx.campaigns.grants.issued(c.id),
      audit: async (c: StoredCampaign, args: { first: number }, ctx: BenefitsContext) =>
        ctx.campaigns.store.auditTrail(c.id, validatePageSize(args.first)),
      results: (c: StoredCampaign, _: unknown, ctx: BenefitsContext) =>
        campaignResults(ctx.campaigns.models, c.id),
    },
    CampaignAuditEntry: {
      actorRole: (e: CampaignAuditDocument) => e.actor.role,
      actorSubject: (e: CampaignAuditDocument) => e.actor.subject,
      actorPartner: (e: CampaignAuditDocument) => e.actor.partner,
      before: (e: CampaignAuditDocument) => json(e.before),
      after: (e: CampaignAuditDocument) => json(e.after),
    },
  } as GraphQLResolverMap<BenefitsContext>;
}
