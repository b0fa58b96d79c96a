import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { FederationStores } from '../local-federation/federation-databases.js';
import type { DemoPopulation } from './demo-population.js';
import { generateDemoPopulation } from './demo-population.js';
import { SEED_INGEST_BATCH, eventsInIngestOrder } from './bulk-brand-ingest.js';
import { ProgressBar } from './progress-bar.js';

export interface SeedOptions {
  members: number;
  seed: number;
  now: Date;
  /** Show a progress bar (scripts); tests keep quiet. */
  progress?: boolean;
  /**
   * `seedFederation` writes through the bulk path (`bulkWritePopulation`: the same documents and validation,
   * inserted in large batches); true writes one ingest request at a time through the services' write paths.
   */
  perRequest?: boolean;
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
  stores: FederationStores,
  options: SeedOptions,
): Promise<SeedSummary> {
  const population = generateDemoPopulation(registry, options);
  await writePopulation(stores, population, options);
  return summarisePopulation(population);
}

/** Writes a population one request at a time, through each subgraph's write path (see `seedDemoData`). */
export async function writePopulation(
  stores: FederationStores,
  population: DemoPopulation,
  options: { progress?: boolean },
): Promise<void> {
  const bar = options.progress ? new ProgressBar('seeding', populationWrites(population)) : null;
  let done = 0;
  const step = (n: number) => bar?.update((done += n));

  for (let i = 0; i < population.members.length; i += BATCH) {
    const batch = population.members.slice(i, i + BATCH);
    await stores.members.upsertMembers(batch);
    step(batch.length);
  }
  for (const [partner, seed] of population.brands) {
    const writers = stores.brands.get(partner)!;
    for (let i = 0; i < seed.accounts.length; i += BATCH) {
      const batch = seed.accounts.slice(i, i + BATCH);
      await writers.accounts.upsertAccounts(batch);
      step(batch.length);
    }
    // Through the ingest pipeline, as a partner's events arrive; events are in time order per member.
    const events = eventsInIngestOrder(seed.events);
    for (let i = 0; i < events.length; i += SEED_INGEST_BATCH) {
      const batch = events.slice(i, i + SEED_INGEST_BATCH);
      const results = await writers.ingestor.ingest(batch);
      const rejected = results.find((r) => r.status === 'rejected');
      if (rejected) throw new Error(`Seed event ${rejected.eventId} was rejected: ${rejected.reason}`);
      step(batch.length);
    }
    // The seed is history, written while nothing else writes: its events' guards are settled now, as the
    // recovery sweep would settle them after its grace period (the accounts keep no pending ids).
    await writers.recovery.releaseAllGuards();
  }
}

/** How many documents a population writes: members, accounts and events (the progress bar's total). */
export function populationWrites(population: DemoPopulation): number {
  return (
    population.members.length +
    [...population.brands.values()].reduce((n, b) => n + b.accounts.length + b.events.length, 0)
  );
}

export function summarisePopulation(population: DemoPopulation): SeedSummary {
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
