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
  /** What costs the points, e.g. "Design workshop seat costs"; the message then names it. */
  costs?: string,
): string {
  const have = describePoints(Math.max(0, availablePoints(lots, now)));
  const missing = needed - availablePoints(lots, now);
  const head = costs
    ? `${costs} ${describePoints(needed)} and you have ${have} to spend`
    : `You need ${describePoints(needed)} and have ${have} to spend`;
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
