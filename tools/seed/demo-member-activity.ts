import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { BehaviourEvent } from '../../subgraphs/brand/domain/behaviour-increments.js';
import { behaviourIncrements } from '../../subgraphs/brand/domain/behaviour-increments.js';
import type { BrandBehaviour, DailyActivity } from '../../subgraphs/shared/domain/behaviour.js';
import { summariseBehaviour } from '../../subgraphs/shared/domain/behaviour.js';
import type { JointCategory } from '../../subgraphs/shared/domain/joint-categories.js';
import type { DemoPopulation } from './demo-population.js';

/** One event of a programme member at a brand they consented to share, with its joint category. */
export interface MemberBrandEvent {
  partner: string;
  event: BehaviourEvent;
}

/**
 * The demo population as the profile subgraph sees it, without any store: each member's events at the brands
 * they consented to share, in time order, with local categories mapped onto the joint taxonomy and refunds
 * tied to their purchase, exactly as the brand ingest pipeline records them.
 */
export function demoMemberEvents(
  registry: PartnerRegistry,
  population: DemoPopulation,
): Map<string, MemberBrandEvent[]> {
  const consentedAccount = new Map<string, string>(); // "partner/brandMemberId" → member id
  const byMember = new Map<string, MemberBrandEvent[]>();
  for (const member of population.members) {
    byMember.set(member.id, []);
    for (const link of member.links) {
      if (link.consentGranted) consentedAccount.set(`${link.partner}/${link.partnerMemberId}`, member.id);
    }
  }
  for (const [partner, seed] of population.brands) {
    const categoryMap = registry.byKey.get(partner)!.categoryMap;
    const joint = (local: string | undefined): JointCategory | undefined =>
      local === undefined ? undefined : (categoryMap[local] as JointCategory | undefined);
    const orders = new Map<string, { at: Date; category: JointCategory }>();
    for (const e of seed.events) {
      if (e.type === 'purchase')
        orders.set(e.orderId, { at: new Date(e.occurredAt), category: joint(e.category)! });
    }
    for (const e of seed.events) {
      const memberId = consentedAccount.get(`${partner}/${e.brandMemberId}`);
      if (!memberId) continue;
      const occurredAt = new Date(e.occurredAt);
      let event: BehaviourEvent;
      switch (e.type) {
        case 'purchase':
          event = {
            type: 'purchase',
            occurredAt,
            amountMinor: e.amountMinor,
            jointCategory: joint(e.category)!,
          };
          break;
        case 'refund': {
          const order = orders.get(e.orderId)!;
          event = {
            type: 'refund',
            occurredAt,
            amountMinor: e.amountMinor,
            jointCategory: order.category,
            purchasedAt: order.at,
          };
          break;
        }
        case 'browse':
          event = { type: 'browse', occurredAt, seconds: e.seconds, jointCategory: joint(e.category)! };
          break;
        case 'interaction':
          event = { type: 'interaction', occurredAt, jointCategory: joint(e.category) };
          break;
        case 'referral':
          event = { type: 'referral', occurredAt };
          break;
        case 'login':
          event = { type: 'login', occurredAt };
          break;
        case 'subscription':
          // A membership fee leaves the behaviour summary alone (event-effects.ts).
          continue;
      }
      byMember.get(memberId)!.push({ partner, event });
    }
  }
  for (const events of byMember.values()) {
    events.sort((a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime());
  }
  return byMember;
}

/**
 * The behaviour summaries the brand subgraphs would answer for these events at `now`: the same day-bucket
 * increments (`behaviourIncrements`) rolled up by the same function (`summariseBehaviour`).
 */
export function behavioursFromEvents(events: readonly MemberBrandEvent[], now: Date): BrandBehaviour[] {
  const days = new Map<string, Record<string, DailyActivity>>();
  const firstPurchase = new Map<string, Date>();
  for (const { partner, event } of events) {
    const buckets = days.get(partner) ?? {};
    days.set(partner, buckets);
    const first = firstPurchase.get(partner);
    if (event.type === 'purchase' && (!first || event.occurredAt < first)) {
      firstPurchase.set(partner, event.occurredAt);
    }
    for (const [path, amount] of Object.entries(behaviourIncrements(event))) {
      addAtPath(buckets, path.split('.').slice(1), amount);
    }
  }
  return [...days].map(([partner, buckets]) =>
    summariseBehaviour(partner, buckets, now, { firstPurchaseAt: firstPurchase.get(partner) ?? null }),
  );
}

/** `$inc` on a nested object, the way the store applies "days.<day>.<field>" paths. */
function addAtPath(target: Record<string, unknown>, path: string[], amount: number): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const leaf = path[path.length - 1];
  node[leaf] = ((node[leaf] as number | undefined) ?? 0) + amount;
}
