import { z } from 'zod';
import { multiplyByRatio } from './exact-ratio.js';

/** `minor` minor units for every `points` points: integers, so a rate such as 0.8 fen a point is 4 per 5. */
export const pointRateSchema = z
  .object({ minor: z.number().int().min(0).max(1_000_000), points: z.number().int().min(1).max(1_000_000) })
  .strict();

/**
 * The `settlement` key of a partner in schema/partners.json. Every point earned at the partner is a
 * liability it funds at `fundingRate`; every point spent on what the partner honours is reimbursed to it at
 * `reimbursementRate`. The seed values are 1 fen a point both ways, the point's value at checkout.
 */
export const partnerSettlementSchema = z
  .object({ fundingRate: pointRateSchema, reimbursementRate: pointRateSchema })
  .strict();

export type PointRate = z.infer<typeof pointRateSchema>;
export type PartnerSettlement = z.infer<typeof partnerSettlementSchema>;

export const SEED_PARTNER_SETTLEMENT: PartnerSettlement = {
  fundingRate: { minor: 1, points: 1 },
  reimbursementRate: { minor: 1, points: 1 },
};

/**
 * Money for a number of points at a rate. Settlement converts each statement line once, on the line's
 * total points (never entry by entry), rounding a half minor unit to the even neighbour, so rounding
 * neither drifts one way over many months nor favours either side.
 */
export const amountForPoints = (points: number, rate: PointRate): number =>
  multiplyByRatio(points, rate.minor, rate.points, 'HALF_EVEN');
