/** The named RFM segments, with the name a person reads. */
export const RFM_SEGMENTS = {
  CHAMPIONS: 'Champions',
  LOYAL: 'Loyal',
  POTENTIAL_LOYALIST: 'Potential loyalist',
  NEW: 'New',
  PROMISING: 'Promising',
  NEEDS_ATTENTION: 'Needs attention',
  AT_RISK: 'At risk',
  HIBERNATING: 'Hibernating',
  LOST: 'Lost',
} as const;

export type RfmSegment = keyof typeof RFM_SEGMENTS;

/**
 * THE map from scores to segments: a row per recency score (5 = bought most recently), a column per
 * frequency-monetary score FM = round((F + M) / 2), halves rounded up. This is the common R × FM grid of RFM
 * practice (e.g. the segment chart in Putler's "RFM Analysis for Successful Customer Segmentation"), cut to
 * the nine segments the programme names; every one of the 25 cells has exactly one segment.
 *
 *              FM=1               FM=2                FM=3                FM=4        FM=5
 */
const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  /* R=1 */ ['LOST', 'LOST', 'AT_RISK', 'AT_RISK', 'AT_RISK'],
  /* R=2 */ ['HIBERNATING', 'HIBERNATING', 'AT_RISK', 'AT_RISK', 'AT_RISK'],
  /* R=3 */ ['PROMISING', 'NEEDS_ATTENTION', 'NEEDS_ATTENTION', 'LOYAL', 'LOYAL'],
  /* R=4 */ ['PROMISING', 'POTENTIAL_LOYALIST', 'POTENTIAL_LOYALIST', 'LOYAL', 'CHAMPIONS'],
  /* R=5 */ ['NEW', 'POTENTIAL_LOYALIST', 'POTENTIAL_LOYALIST', 'CHAMPIONS', 'CHAMPIONS'],
];

export interface RfmScoreTriple {
  recency: number;
  frequency: number;
  monetary: number;
}

/** The segment of a score triple (each score 1-5), read from the grid above. */
export function rfmSegment(scores: RfmScoreTriple): RfmSegment {
  for (const [name, score] of Object.entries(scores)) {
    if (!Number.isInteger(score) || score < 1 || score > 5) {
      throw new RangeError(`RFM ${name} score must be a whole number 1-5; got ${score}`);
    }
  }
  const fm = Math.round((scores.frequency + scores.monetary) / 2);
  return SEGMENT_GRID[scores.recency - 1][fm - 1];
}
