import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { PointsLot } from './points-lot.js';
import { availablePoints, isExpired, isPending } from './points-lot.js';
import { describePoints } from './refusal.js';

/**
 * The message of an INSUFFICIENT_POINTS refusal: what the member has, what is missing, and whether pending
 * points will close the gap and on which (programme-local) day, so the member knows to wait or to earn.
 */
export function insufficientPointsMessage(
  lots: readonly PointsLot[],
  now: Date,
  needed: number,
  calendar: ProgrammeCalendar,
): string {
  const have = availablePoints(lots, now);
  const missing = needed - have;
  const head = `You need ${describePoints(needed)} and have ${describePoints(Math.max(0, have))} to spend`;
  const pending = lots
    .filter((lot) => lot.remaining > 0 && isPending(lot, now))
    .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime());
  let covered = 0;
  for (const lot of pending) {
    // A pending lot that expires before the rest arrives would not help; the seed policy never does that.
    if (isExpired(lot, lot.availableAt)) continue;
    covered += lot.remaining;
    if (covered >= missing) {
      return `${head}: your pending points cover the rest from ${calendar.dayKey(lot.availableAt)}.`;
    }
  }
  const earnMore = `earn ${describePoints(missing - covered)} more`;
  if (covered === 0) return `${head}: ${earnMore}.`;
  return `${head}: ${describePoints(covered)} pending become spendable by ${calendar.dayKey(
    pending[pending.length - 1].availableAt,
  )}; ${earnMore}.`;
}
