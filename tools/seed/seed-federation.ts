import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { PopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import type { FederationDatabases } from '../local-federation/federation-databases.js';
import { federationStores } from '../local-federation/federation-databases.js';
import type { SeedOptions, SeedSummary } from './seed-demo-data.js';
import { bulkWritePopulation } from './bulk-seed.js';
import { generateDemoPopulation } from './demo-population.js';
import { summarisePopulation, writePopulation } from './seed-demo-data.js';
import { trainPopulationModel } from './train-population-model.js';

/** Empties the federation's databases, writes the demo population, and fits the population model on it. */
export async function seedFederation(
  registry: PartnerRegistry,
  dbs: FederationDatabases,
  options: SeedOptions,
): Promise<{ summary: SeedSummary; model: PopulationModel }> {
  await dbs.drop();
  const stores = await federationStores(dbs, registry);
  const population = generateDemoPopulation(registry, options);
  if (options.perRequest) await writePopulation(stores, population, options);
  else await bulkWritePopulation(registry, dbs, population, options);
  const summary = summarisePopulation(population);
  const model = await trainPopulationModel(
    registry,
    dbs.profile.connection,
    new Map([...dbs.brands].map(([key, db]) => [key, db.connection])),
    options.now,
  );
  return { summary, model };
}

export function formatSeedSummary(summary: SeedSummary, model: PopulationModel): string {
  const yuan = (minor: number) => (minor / 100).toLocaleString('en-US', { maximumFractionDigits: 0 });
  const histogram = summary.linkedBrandsHistogram
    .slice(1)
    .map((n, i) => `${i + 1} brand${i ? 's' : ''}: ${n}`)
    .join(', ');
  return [
    `Seeded ${summary.members} members (${histogram}); consent granted on ${(summary.consentRate * 100).toFixed(1)}% of links.`,
    `Accounts per brand: ${Object.entries(summary.accounts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}.`,
    `Events per brand: ${Object.entries(summary.events)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}.`,
    `${summary.purchases} purchases, CNY ${yuan(summary.spendMinor)} in total.`,
    `Population model ${model.version} fitted on ${model.population} members.`,
  ].join('\n');
}
