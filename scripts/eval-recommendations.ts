/**
 * npm run eval:recommendations -- [--members 2000] [--seed 42] [--k 5] [--now 2026-01-01T00:00:00Z]
 * Offline evaluation of cross-brand recommendations on the deterministic demo population (no store, no
 * federation): each member's last purchase is held out, the models are trained on what members did before
 * theirs, and hit-rate@k is printed for item-based collaborative filtering against popularity in the
 * member's value segment. Also prints the value segmentation of the population (k, silhouette, segments).
 */
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { BEHAVIOUR_WINDOW_DAYS } from '../subgraphs/shared/domain/behaviour.js';
import { itemKey } from '../subgraphs/profile/domain/item-similarity.js';
import type { TimelineEvent } from '../subgraphs/profile/domain/recommendation-hit-rate.js';
import { evaluateHitRate, holdOutLastPurchase } from '../subgraphs/profile/domain/recommendation-hit-rate.js';
import type { ValueSegmentModel } from '../subgraphs/profile/domain/value-segments.js';
import {
  assignSegment,
  fitValueSegments,
  valueFeaturesFromBehaviours,
} from '../subgraphs/profile/domain/value-segments.js';
import type { MemberBrandEvent } from '../tools/seed/demo-member-activity.js';
import { behavioursFromEvents, demoMemberEvents } from '../tools/seed/demo-member-activity.js';
import { generateDemoPopulation } from '../tools/seed/demo-population.js';
import { readCountOptions } from './cli-options.js';

const usage =
  'npm run eval:recommendations -- [--members 2000] [--seed 42] [--k 5] [--now 2026-01-01T00:00:00Z]';
const { counts, flags: options } = readCountOptions({ members: 2000, seed: 42, k: 5 }, usage, {
  now: { type: 'string' },
});
const { members, seed, k } = counts;
// A fixed date by default, so the figures are the same on every run.
const now = new Date((options.now as string | undefined) ?? '2026-01-01T00:00:00Z');
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO-8601 time such as 2026-01-01T00:00:00Z; got "${options.now}".`);
  process.exit(2);
}

const started = Date.now();
const step = (what: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

step(`generating the demo population: ${members} members, seed ${seed}, as of ${now.toISOString()}`);
const registry = loadPartnerRegistry(partnerRegistryPath());
const population = generateDemoPopulation(registry, { members, seed, now });
const eventsByMember = demoMemberEvents(registry, population);
const windowStart = now.getTime() - BEHAVIOUR_WINDOW_DAYS * 86_400_000;

step('fitting value segments on the whole population');
const segments = fitValueSegments(
  [...eventsByMember.values()].map((events) =>
    valueFeaturesFromBehaviours(behavioursFromEvents(events, now), now),
  ),
  { seed },
);
printSegments('Value segments of the demo population', segments);

step('holding out each member’s last purchase');
const held = [];
for (const [memberId, events] of eventsByMember) {
  const hold = holdOutLastPurchase(memberId, timeline(events));
  if (hold) held.push({ hold, events });
}
step(
  `fitting value segments on the ${held.length} training views (what each member did before the held-out purchase)`,
);
const trainingFeatures = held.map(({ hold, events }) => {
  const before = new Date(hold.heldOutAt);
  return valueFeaturesFromBehaviours(
    behavioursFromEvents(
      events.filter((e) => e.event.occurredAt < before),
      before,
    ),
    before,
  );
});
const trainingSegments = fitValueSegments(trainingFeatures, { seed });
const cases = held.map(({ hold }, i) => ({
  ...hold,
  segment: assignSegment(trainingSegments, trainingFeatures[i]).label,
}));

step(`training the item similarities and evaluating hit-rate@${k}`);
const report = evaluateHitRate(cases, { k });
const items = new Set(cases.flatMap((c) => [...c.training.keys(), c.heldOut])).size;
console.log(`\nHit-rate@${report.k}, last purchase held out (${items} partner × category items):`);
console.log(
  `  members with a purchase in the window: ${report.members}; evaluated: ${report.evaluated} ` +
    `(the held-out item is new to the member; ${report.members - report.evaluated} repeat purchases cannot be recommended)`,
);
console.log(
  `  item-based CF, as served (popularity fills empty places): ${percent(report.hitRate.collaborative)}`,
);
console.log(
  `  item-based CF alone:                                      ${percent(report.hitRate.collaborativeOnly)}`,
);
console.log(
  `  popularity in the member's value segment (baseline):      ${percent(report.hitRate.popularity)}`,
);
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

/** A member's purchases, browses and interactions in the window, as (time, partner/category) items. */
function timeline(events: readonly MemberBrandEvent[]): TimelineEvent[] {
  const result: TimelineEvent[] = [];
  for (const { partner, event } of events) {
    const at = event.occurredAt.getTime();
    if (at < windowStart || at > now.getTime()) continue;
    if (event.type === 'purchase')
      result.push({ at, item: itemKey(partner, event.jointCategory), kind: 'purchase' });
    else if (event.type === 'browse')
      result.push({ at, item: itemKey(partner, event.jointCategory), kind: 'browse' });
    else if (event.type === 'interaction' && event.jointCategory) {
      result.push({ at, item: itemKey(partner, event.jointCategory), kind: 'interaction' });
    }
  }
  return result;
}

function printSegments(title: string, model: ValueSegmentModel): void {
  console.log(
    `\n${title} (${model.population} members, seed ${model.seed}): k = ${model.k}, silhouette ${model.silhouette.toFixed(3)}`,
  );
  console.log(
    `  silhouette by k: ${model.silhouetteByK.map((s) => `${s.k}: ${s.silhouette.toFixed(3)}`).join(', ')}`,
  );
  const names = ['spend', 'freq', 'recency', 'brands', 'interact'];
  model.centroids.forEach((centroid, c) => {
    const z = centroid.map((v, i) => `${names[i]} ${v >= 0 ? '+' : ''}${v.toFixed(2)}`).join('  ');
    console.log(
      `  ${model.labels[c].padEnd(14)} ${String(model.sizes[c]).padStart(5)} members   centroid (sd): ${z}`,
    );
  });
}
