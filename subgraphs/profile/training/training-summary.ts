import { RFM_SEGMENTS } from '../domain/rfm-segments.js';
import type { RfmSegment } from '../domain/rfm-segments.js';
import type { TrainingSummary } from './train-intelligence.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const fixed = (x: number, digits = 3): string => x.toFixed(digits);

/** The summary `npm run train` prints: what was fitted, on how many members, and how long each part took. */
export function formatTrainingSummary(summary: TrainingSummary): string {
  const { model } = summary;
  const segments = model.valueSegments;
  const rfm = (Object.entries(model.rfmSegmentSizes) as [RfmSegment, number][])
    .map(([segment, n]) => `${RFM_SEGMENTS[segment]} ${n}`)
    .join(', ');
  const lines = [
    `Model ${model.version} (${summary.changed ? 'new, now current' : 'unchanged: already current'}), as of ${model.asOf}, seed ${model.seed}.`,
    `Members ${summary.members}, consented links ${summary.consentedLinks}, brand pipeline runs ${summary.pipelineRuns}.`,
    `RFM (${model.rfm.population} buyers): ${rfm}.`,
    `Value segments: k = ${segments.k}, silhouette ${fixed(segments.silhouette)} (by k: ${segments.silhouetteByK
      .map((s) => `${s.k}: ${fixed(s.silhouette)}`)
      .join(', ')}); ${segments.labels.map((label, i) => `${label} ${segments.sizes[i]}`).join(', ')}.`,
  ];
  const ltv = model.lifetimeValue;
  if (ltv) {
    const { r, alpha, a, b } = ltv.model.bgNbd;
    const { p, q, gamma } = ltv.model.gammaGamma;
    lines.push(
      `BG/NBD (weeks, ${ltv.bgNbd.customers} buyers): r ${fixed(r)}, alpha ${fixed(alpha)}, a ${fixed(a)}, b ${fixed(b)}; log-likelihood ${ltv.bgNbd.logLikelihood.toFixed(2)}.`,
      `Gamma-Gamma (${ltv.gammaGamma.customers} repeat buyers, minor units): p ${fixed(p)}, q ${fixed(q)}, gamma ${fixed(gamma, 1)}; log-likelihood ${ltv.gammaGamma.logLikelihood.toFixed(2)}.`,
    );
  } else {
    lines.push('Lifetime value: not fitted (too few repeat buyers, or no finite mean order value).');
  }
  lines.push(
    `Churn: at risk below P(alive) ${model.churn.atRiskBelow}; high value from ${model.churn.highValueMinMinor} minor units; ${model.churn.highValueAtRisk} high-value members at risk.`,
    `Recommendations: ${model.recommendations.similarity.items.length} partner × category items; popularity over ${Object.keys(model.recommendations.popularity.bySegment).length - 1} segments.`,
    summary.tiers
      ? `Tiers evaluated for ${summary.tiers.evaluated} members, period ${summary.tiers.period}: ${Object.entries(
          summary.tiers.changes,
        )
          .map(([change, n]) => `${change} ${n}`)
          .join(', ')}.`
      : 'Tiers: not evaluated (no population model).',
    `Time: read ${seconds(summary.timingsMs.read)}, fit ${seconds(summary.timingsMs.fit)}, write ${seconds(summary.timingsMs.write)}, total ${seconds(summary.timingsMs.total)}.`,
  );
  return lines.join('\n');
}
