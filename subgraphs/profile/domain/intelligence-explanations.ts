import type { IntelligenceModel } from './intelligence-model.js';
import type { MemberRfm, MemberSegment } from './member-intelligence.js';

/*
 * One sentence per model answer that says why (PIPL art. 24: a person may ask how an automated decision
 * about them was reached). Plain words, the member's own figures, and the model version it came from.
 */

export function explainRfm(rfm: MemberRfm, model: IntelligenceModel): string {
  return (
    `Recency ${rfm.recency}, frequency ${rfm.frequency} and monetary ${rfm.monetary} out of 5 rank your last ` +
    `purchase, number of purchases and spend over the last ${model.windowDays} days against the ` +
    `${model.rfm.population} members who bought in that time (5 is the top fifth); together they make you ` +
    `"${rfm.segmentName}" (model ${model.version}).`
  );
}

const FEATURE_WORDS = [
  'spend',
  'purchases',
  'time since the last purchase',
  'brands used',
  'reviews and referrals',
];

/** Names the two features where the segment's centre stands furthest from the average member. */
export function explainSegment(segment: MemberSegment, model: IntelligenceModel): string {
  const centroid = model.valueSegments.centroids[Number(segment.id)];
  const marked = centroid
    .map((z, i) => ({ z, word: FEATURE_WORDS[i] }))
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, 2)
    .map(({ z, word }) => `${z >= 0 ? 'more' : 'less'} ${word} than average`);
  return (
    `"${segment.label}": the group of members whose behaviour over the last ${model.windowDays} days is ` +
    `closest to yours; it stands out by ${marked.join(' and ')} (model ${model.version}).`
  );
}
