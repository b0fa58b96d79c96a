import type { Connection } from 'mongoose';
import type { TierCode } from '../../../shared/domain/tiers.js';
import { DEFAULT_TIER_BANDS } from '../../../shared/domain/tiers.js';

/**
 * Members per composite-score band (the joint tiers' thresholds), from the facts the graph last computed per
 * member (`member_facts`): one `$bucket` pipeline over them, the denominator of conversion by band.
 */
export async function membersPerScoreBand(connection: Connection): Promise<Map<TierCode, number>> {
  const bands = [...DEFAULT_TIER_BANDS].sort((a, b) => a.minScore - b.minScore);
  const rows = await connection
    .collection('member_facts')
    .aggregate<{ _id: number; members: number }>([
      {
        $bucket: {
          groupBy: '$facts.compositeScore',
          boundaries: [...bands.map((b) => b.minScore), Number.MAX_VALUE],
          default: 'unknown',
          output: { members: { $sum: 1 } },
        },
      },
    ])
    .toArray();
  return new Map(
    bands.map((band) => [band.code, rows.find((row) => row._id === band.minScore)?.members ?? 0]),
  );
}
