import type { PartnerConfig, PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { JointCategory } from '../../subgraphs/shared/domain/joint-categories.js';
import { JOINT_CATEGORIES } from '../../subgraphs/shared/domain/joint-categories.js';
import type { NewAccount } from '../../subgraphs/brand/data/brand-account-store.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import type { NewMember } from '../../subgraphs/profile/data/member-store.js';
import { OpenPositions } from './open-positions.js';
import { SeededRandom } from './seeded-random.js';

/**
 * The member every demo and test can rely on: linked, with consent, to the partners the registry's `demo`
 * section names (mindspark, inkwell and pulsefit in the committed registry).
 */
export const DEMO_MEMBER_ID = 'M000001';

const FIRST_NAMES = [
  'Lin',
  'Wei',
  'Jia',
  'Hao',
  'Min',
  'Yu',
  'Xin',
  'Rui',
  'Ana',
  'Leo',
  'Mia',
  'Noor',
  'Sam',
  'Ivy',
  'Kai',
  'Zoe',
];
const LAST_NAMES = [
  'Chen',
  'Wang',
  'Li',
  'Zhao',
  'Liu',
  'Sun',
  'Zhou',
  'Wu',
  'Hart',
  'Silva',
  'Okafor',
  'Novak',
  'Berg',
  'Ito',
];
const DAY_MS = 86_400_000;
/** How many accounts link to the programme, by number of brands: most members use one or two brands. */
const BRAND_COUNT_WEIGHTS = [0.45, 0.33, 0.13, 0.09];
/** Typical order value per industry (minor units), the centre of each partner's log-normal basket. */
const TYPICAL_ORDER_MINOR: Record<string, number> = {
  'online-courses': 19_900,
  'e-books-and-audiobooks': 3_900,
  fitness: 29_900,
  cinema: 6_000,
};

export interface BrandSeed {
  partner: string;
  accounts: NewAccount[];
  events: PartnerEvent[];
}

export interface DemoPopulation {
  members: NewMember[];
  brands: Map<string, BrandSeed>;
}

export interface DemoPopulationOptions {
  members: number;
  seed: number;
  now: Date;
}

const brandMemberId = (partner: PartnerConfig, index: number, serial: number): string =>
  `${partner.key.slice(0, 2).toUpperCase()}${String(serial * 37 + index * 100_003).padStart(8, '0')}`;

function localCategoryFor(
  random: SeededRandom,
  partner: PartnerConfig,
  preferences: readonly number[],
): string {
  const locals = Object.entries(partner.categoryMap);
  const weights = locals.map(
    ([, joint]) => preferences[JOINT_CATEGORIES.indexOf(joint as JointCategory)] + 0.01,
  );
  return locals[random.weightedIndex(weights)][0];
}

/**
 * A deterministic, realistic demo population: skewed category preferences per member, most members at one or
 * two brands and some at all four, long-tailed spend, some lapsed members, and brand accounts that never
 * joined the programme.
 */
export function generateDemoPopulation(
  registry: PartnerRegistry,
  options: DemoPopulationOptions,
): DemoPopulation {
  const random = new SeededRandom(options.seed);
  const now = options.now.getTime();
  const brands = new Map<string, BrandSeed>(
    registry.partners.map((p) => [p.key, { partner: p.key, accounts: [], events: [] }]),
  );
  const members: NewMember[] = [];
  let orderSerial = 0;
  let eventSerial = 0;
  const at = (daysAgo: number): string =>
    new Date(now - daysAgo * DAY_MS - random.int(0, 86_399) * 1000).toISOString();
  const eventId = (partner: PartnerConfig): string =>
    `${partner.key}-e${String(++eventSerial).padStart(8, '0')}`;

  const addBehaviour = (
    partner: PartnerConfig,
    accountId: string,
    value: number,
    prefs: number[],
    lapsed: boolean,
  ): void => {
    const seed = brands.get(partner.key)!;
    const recentDays = lapsed ? [200, 420] : [0, 400];
    const day = (): number =>
      Math.min(recentDays[1], recentDays[0] + Math.floor(random.exponential(lapsed ? 90 : 120)));
    const typical = TYPICAL_ORDER_MINOR[partner.industry] ?? 10_000;
    for (let i = random.poisson(Math.min(40, 3 * Math.pow(value, 0.8))); i > 0; i--) {
      const purchase: PartnerEvent = {
        eventId: eventId(partner),
        type: 'purchase',
        brandMemberId: accountId,
        occurredAt: at(day()),
        orderId: `${partner.key}-o${String(++orderSerial).padStart(7, '0')}`,
        amountMinor: Math.max(100, Math.round(random.logNormal(Math.log(typical), 0.5) / 100) * 100),
        currency: partner.currency,
        category: localCategoryFor(random, partner, prefs),
      };
      seed.events.push(purchase);
      // A few orders come back, in full or in part, a little later (never later than now).
      if (random.next() < 0.04) {
        const refundedAt = Math.min(now, Date.parse(purchase.occurredAt) + random.int(1, 14) * DAY_MS);
        seed.events.push({
          eventId: eventId(partner),
          type: 'refund',
          brandMemberId: accountId,
          occurredAt: new Date(refundedAt).toISOString(),
          orderId: purchase.orderId,
          amountMinor:
            random.next() < 0.5 ? purchase.amountMinor : Math.max(1, Math.floor(purchase.amountMinor / 2)),
        });
      }
    }
    for (let i = random.poisson(Math.min(60, 6 * Math.sqrt(value))); i > 0; i--) {
      seed.events.push({
        eventId: eventId(partner),
        type: 'browse',
        brandMemberId: accountId,
        occurredAt: at(day()),
        category: localCategoryFor(random, partner, prefs),
        seconds: Math.round(random.exponential(300)),
      });
    }
    for (let i = random.poisson(1.5); i > 0; i--) {
      seed.events.push({
        eventId: eventId(partner),
        type: 'interaction',
        brandMemberId: accountId,
        occurredAt: at(day()),
        kind: random.pick(['review', 'share', 'comment', 'like']),
        category: localCategoryFor(random, partner, prefs),
      });
    }
    for (let i = random.poisson(0.15); i > 0; i--) {
      referrals.push({
        partner: partner.key,
        eventId: eventId(partner),
        referrer: accountId,
        occurredAt: at(day()),
      });
    }
  };
  // Whom each referral names is drawn once every account exists: another programme member's account at the
  // same partner, each referred at most once (as ingest requires). A random stream of its own leaves every other
  // draw as it was.
  const referrals: { partner: string; eventId: string; referrer: string; occurredAt: string }[] = [];
  const assignReferrals = (): void => {
    const pick = new SeededRandom(options.seed + 1);
    // Per partner, the accounts still open to be referred (programme members not referred yet), in list order.
    const open = new Map<string, { positions: OpenPositions; indexOf: Map<string, number> }>();
    for (const [key, seed] of brands) {
      const positions = new OpenPositions(seed.accounts.length);
      seed.accounts.forEach((a, i) => a.memberId !== null && positions.open(i));
      open.set(key, { positions, indexOf: new Map(seed.accounts.map((a, i) => [a.brandMemberId, i])) });
    }
    for (const referral of referrals) {
      const seed = brands.get(referral.partner)!;
      const { positions, indexOf } = open.get(referral.partner)!;
      // Every open account but the referrer's own, in list order.
      const referrer = indexOf.get(referral.referrer)!;
      const referrerOpen = positions.isOpen(referrer);
      const count = positions.count - (referrerOpen ? 1 : 0);
      if (count === 0) continue;
      const k = pick.int(0, count - 1);
      const skip = referrerOpen && k >= positions.rank(referrer) ? 1 : 0;
      const chosen = positions.nth(k + skip);
      positions.close(chosen);
      seed.events.push({
        eventId: referral.eventId,
        type: 'referral',
        brandMemberId: referral.referrer,
        occurredAt: referral.occurredAt,
        referredBrandMemberId: seed.accounts[chosen].brandMemberId,
      });
    }
  };

  for (let serial = 1; serial <= options.members; serial++) {
    const id = `M${String(serial).padStart(6, '0')}`;
    const isDemo = id === DEMO_MEMBER_ID;
    const count = isDemo
      ? registry.demoMemberPartners.length
      : Math.min(registry.partners.length, 1 + random.weightedIndex(BRAND_COUNT_WEIGHTS));
    const pool = [...registry.partners];
    const chosen: PartnerConfig[] = isDemo ? [...registry.demoMemberPartners] : [];
    while (chosen.length < count) chosen.push(pool.splice(random.int(0, pool.length - 1), 1)[0]);
    const value = isDemo ? 3 : random.logNormal(0, 1);
    const lapsed = !isDemo && random.next() < 0.15;
    const prefs = random.dirichlet(JOINT_CATEGORIES.length, 0.35);
    const joinedAt = new Date(at(random.int(30, 1500)));
    const displayName = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    const links = chosen.map((partner) => {
      const partnerIndex = registry.partners.indexOf(partner);
      const accountId = brandMemberId(partner, partnerIndex, serial);
      brands
        .get(partner.key)!
        .accounts.push({ brandMemberId: accountId, memberId: id, displayName, joinedAt });
      addBehaviour(partner, accountId, value, prefs, lapsed);
      return {
        partner: partner.key,
        partnerMemberId: accountId,
        linkedAt: joinedAt,
        consentGranted: isDemo || random.next() < 0.9,
      };
    });
    members.push({ id, displayName, joinedAt, links });
  }

  // Brand customers who never joined the programme: they exist only in the brand's own store.
  registry.partners.forEach((partner, partnerIndex) => {
    for (let i = 0; i < Math.ceil(options.members / 10); i++) {
      const accountId = `${partner.key.slice(0, 2).toUpperCase()}X${String(partnerIndex * 1_000_000 + i).padStart(7, '0')}`;
      brands.get(partner.key)!.accounts.push({
        brandMemberId: accountId,
        memberId: null,
        displayName: 'Brand customer',
        joinedAt: new Date(at(random.int(1, 900))),
      });
      addBehaviour(
        partner,
        accountId,
        random.logNormal(-0.5, 0.8),
        random.dirichlet(JOINT_CATEGORIES.length, 0.35),
        false,
      );
    }
  });
  assignReferrals();
  return { members, brands };
}
