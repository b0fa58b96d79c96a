import type { BrandActivityStore } from '../../subgraphs/brand/data/brand-activity-store.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { MemberStore } from '../../subgraphs/profile/data/member-store.js';
import { generateDemoPopulation } from './demo-population.js';
import { ProgressBar } from './progress-bar.js';

export interface SeedOptions {
  members: number;
  seed: number;
  now: Date;
  /** Show a progress bar (scripts); tests keep quiet. */
  progress?: boolean;
}

export interface SeedSummary {
  members: number;
  accounts: Record<string, number>;
  events: Record<string, number>;
  purchases: number;
  spendMinor: number;
  linkedBrandsHistogram: number[];
  consentRate: number;
}

const BATCH = 250;

/** Writes the demo population through the data layer of each subgraph: the same code paths the services use. */
export async function seedDemoData(
  registry: PartnerRegistry,
  stores: { members: MemberStore; brands: ReadonlyMap<string, BrandActivityStore> },
  options: SeedOptions,
): Promise<SeedSummary> {
  const population = generateDemoPopulation(registry, options);
  const totalWrites =
    population.members.length +
    [...population.brands.values()].reduce((n, b) => n + b.accounts.length + b.events.length, 0);
  const bar = options.progress ? new ProgressBar('seeding', totalWrites) : null;
  let done = 0;
  const step = (n: number) => bar?.update((done += n));

  for (let i = 0; i < population.members.length; i += BATCH) {
    const batch = population.members.slice(i, i + BATCH);
    await stores.members.upsertMembers(batch);
    step(batch.length);
  }
  const summary: SeedSummary = {
    members: population.members.length,
    accounts: {},
    events: {},
    purchases: 0,
    spendMinor: 0,
    linkedBrandsHistogram: [0, 0, 0, 0, 0],
    consentRate: 0,
  };
  for (const [partner, seed] of population.brands) {
    const store = stores.brands.get(partner)!;
    for (let i = 0; i < seed.accounts.length; i += BATCH) {
      const batch = seed.accounts.slice(i, i + BATCH);
      await store.upsertAccounts(batch);
      step(batch.length);
    }
    for (let i = 0; i < seed.events.length; i += BATCH * 4) {
      const batch = seed.events.slice(i, i + BATCH * 4);
      await store.recordEvents(batch);
      step(batch.length);
    }
    summary.accounts[partner] = seed.accounts.length;
    summary.events[partner] = seed.events.length;
    for (const e of seed.events) {
      if (e.type === 'purchase') {
        summary.purchases += 1;
        summary.spendMinor += e.amountMinor;
      }
    }
  }
  let links = 0;
  let consented = 0;
  for (const m of population.members) {
    summary.linkedBrandsHistogram[m.links.length] += 1;
    links += m.links.length;
    consented += m.links.filter((l) => l.consentGranted).length;
  }
  summary.consentRate = links ? consented / links : 0;
  return summary;
}
