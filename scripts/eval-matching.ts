/**
 * npm run eval:matching -- [--members 2000] [--weeks 6] [--seed 42]
 * Offline evaluation of the feedback loop (no store, no federation): simulated members with hidden
 * preferences are offered a bundle from the registry's catalogue every week for a few weeks, ranked by
 * affinity × value alone or re-ranked by what members of their tier did with each benefit (Beta-smoothed
 * engagement and ratings), and the redemption rate of each policy is printed, overall and per week.
 * The simulation is `subgraphs/benefits/domain/feedback/matching-simulation.ts`.
 */
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import type { CatalogueBenefit } from '../subgraphs/benefits/domain/match-benefit-bundle.js';
import type { PolicyResult } from '../subgraphs/benefits/domain/feedback/matching-simulation.js';
import { simulateMatching } from '../subgraphs/benefits/domain/feedback/matching-simulation.js';
import { positiveInteger, readCliOptions } from './cli-options.js';

const usage = 'npm run eval:matching -- [--members 2000] [--weeks 6] [--seed 42]';
const options = readCliOptions(
  { members: { type: 'string' }, weeks: { type: 'string' }, seed: { type: 'string' } },
  usage,
);
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const members = positiveInteger(options.members as string | undefined, 'members', 2000);
const weeks = positiveInteger(options.weeks as string | undefined, 'weeks', 6);
const seed = positiveInteger(options.seed as string | undefined, 'seed', 42);

const registry = loadPartnerRegistry(partnerRegistryPath());
// Benefits with an eligibility rule need a member's activity, which the simulation does not model.
const catalogue: CatalogueBenefit[] = registry.partners.flatMap((partner) =>
  partner.benefits
    .filter((b) => b.rule == null)
    .map((b) => ({ ...b, partner: partner.key }) as CatalogueBenefit),
);

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
const started = Date.now();
const results: PolicyResult[] = [
  simulateMatching({ catalogue, members, weeks, seed }, 'AFFINITY_ONLY'),
  simulateMatching({ catalogue, members, weeks, seed }, 'WITH_FEEDBACK'),
];
console.log(
  `Matching with feedback vs affinity only: ${members} simulated members, ${weeks} weeks, seed ${seed}, ` +
    `${catalogue.length} catalogue benefits (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
console.log('');
console.log(
  `${'policy'.padEnd(16)}${'offered'.padStart(10)}${'redeemed'.padStart(10)}${'rate'.padStart(10)}${'avg rating'.padStart(12)}   weekly rate`,
);
for (const r of results) {
  console.log(
    `${r.policy.padEnd(16)}${String(r.offered).padStart(10)}${String(r.redeemed).padStart(10)}` +
      `${percent(r.redemptionRate).padStart(10)}${r.averageRating.toFixed(2).padStart(12)}   ` +
      r.weekly.map(percent).join(' '),
  );
}
const [plain, learning] = results;
console.log('');
console.log(
  `Redemption rate with feedback ${percent(learning.redemptionRate)} vs affinity only ${percent(plain.redemptionRate)} ` +
    `(×${(learning.redemptionRate / plain.redemptionRate).toFixed(2)}); last week ${percent(learning.weekly.at(-1)!)} vs ${percent(plain.weekly.at(-1)!)}.`,
);
