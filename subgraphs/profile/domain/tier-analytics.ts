import type { TierCode } from '../../shared/domain/tiers.js';
import { TIER_CODES } from '../../shared/domain/tiers.js';
import type { TierChange } from './tier-evaluation.js';

export interface TierAnalytics {
  current: { tier: TierCode; members: number }[];
  notEvaluated: number;
  periods: ({ period: string } & Record<
    'initial' | 'upgrades' | 'downgrades' | 'grace' | 'recovered',
    number
  >)[];
}

const FIELD_OF_CHANGE: Record<TierChange, keyof TierAnalytics['periods'][number]> = {
  initial: 'initial',
  upgrade: 'upgrades',
  downgrade: 'downgrades',
  grace: 'grace',
  recovered: 'recovered',
};

/**
 * The console's tier figures from the stored tiers: every tier listed (highest first, zero when empty), the
 * members no evaluation has reached, and per period the changes recorded, oldest period first.
 */
export function tierAnalytics(
  figures: {
    current: { code: string; members: number }[];
    changes: { period: string; change: string; members: number }[];
  },
  members: number,
): TierAnalytics {
  const byCode = new Map(figures.current.map((c) => [c.code, c.members]));
  const evaluated = figures.current.reduce((sum, c) => sum + c.members, 0);
  const periods = new Map<string, TierAnalytics['periods'][number]>();
  for (const { period, change, members: count } of figures.changes) {
    const field = FIELD_OF_CHANGE[change as TierChange];
    if (!field || field === 'period') continue; // a change this version does not know: not counted
    const row = periods.get(period) ?? {
      period,
      initial: 0,
      upgrades: 0,
      downgrades: 0,
      grace: 0,
      recovered: 0,
    };
    row[field] += count;
    periods.set(period, row);
  }
  return {
    current: TIER_CODES.map((tier) => ({ tier, members: byCode.get(tier) ?? 0 })),
    notEvaluated: Math.max(0, members - evaluated),
    periods: [...periods.values()].sort((a, b) => a.period.localeCompare(b.period)),
  };
}
