/**
 * Churn flags from BG/NBD's P(alive). A member is **at risk** when P(alive) < 0.5: the model then finds it
 * more likely than not that they have stopped buying. The threshold is a parameter because programmes trade
 * reach against precision differently (a retention offer is cheap, a call is not).
 *
 * "High value" is judged on what the member spent over the window, not on their lifetime value: CLV already
 * contains P(alive), so a valuable member who is slipping away has a low CLV and would never be listed.
 * BG/NBD only lets members drop out after a repeat purchase (Fader, Hardie & Lee 2005), so members with a single purchase
 * are never at risk here; the RFM segments ("At risk", "Hibernating") cover them.
 */
export const AT_RISK_PROBABILITY_ALIVE = 0.5;
/** High value = spend at or above the population's 80th percentile, unless a threshold is given. */
export const HIGH_VALUE_QUANTILE = 0.8;

export interface ChurnThresholds {
  /** At risk below this P(alive). */
  atRiskBelow?: number;
  /** High value at or above this spend (minor units), e.g. from `highValueThreshold`. */
  highValueMinMinor: number;
}

export interface ChurnRisk {
  probabilityAlive: number;
  atRisk: boolean;
  highValue: boolean;
  highValueAtRisk: boolean;
  /** (1 − P(alive)) × spend: the window's spend the programme expects to lose with this member. */
  valueAtRiskMinor: number;
}

export function assessChurnRisk(
  member: { probabilityAlive: number; spendMinor: number },
  thresholds: ChurnThresholds,
): ChurnRisk {
  const atRisk = member.probabilityAlive < (thresholds.atRiskBelow ?? AT_RISK_PROBABILITY_ALIVE);
  const highValue = member.spendMinor >= thresholds.highValueMinMinor;
  return {
    probabilityAlive: member.probabilityAlive,
    atRisk,
    highValue,
    highValueAtRisk: atRisk && highValue,
    valueAtRiskMinor: Math.round((1 - member.probabilityAlive) * Math.max(0, member.spendMinor)),
  };
}

/** The spend at the given quantile of the population (nearest rank), the default "high value" line. */
export function highValueThreshold(spendsMinor: readonly number[], quantile = HIGH_VALUE_QUANTILE): number {
  if (spendsMinor.length === 0) return Number.POSITIVE_INFINITY;
  const sorted = [...spendsMinor].sort((a, b) => a - b);
  return sorted[Math.round(quantile * (sorted.length - 1))];
}

/** High-value members at risk, the most value at stake first (ties by member id, for a stable list). */
export function listHighValueAtRisk<
  T extends { memberId: string; probabilityAlive: number; spendMinor: number },
>(members: readonly T[], thresholds: ChurnThresholds): (T & { risk: ChurnRisk })[] {
  return members
    .map((m) => ({ ...m, risk: assessChurnRisk(m, thresholds) }))
    .filter((m) => m.risk.highValueAtRisk)
    .sort(
      (a, b) => b.risk.valueAtRiskMinor - a.risk.valueAtRiskMinor || a.memberId.localeCompare(b.memberId),
    );
}
