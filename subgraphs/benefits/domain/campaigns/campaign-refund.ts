/**
 * The campaign points a refund takes back from what a campaign granted for the purchase: the grant's share of
 * the order's remaining amount before the refund, less its share after it, each share rounded down (the
 * same telescoping rule as the base points), so any sequence of partial refunds ends at the grant's share of
 * what was kept, and a full refund takes the whole grant back. Exact in BigInt for any safe amounts.
 */
export function campaignPointsReversed(
  grantedPoints: number,
  refund: { orderAmountMinor: number; refundedBeforeMinor: number; amountMinor: number },
): number {
  const order = BigInt(Math.max(0, Math.trunc(refund.orderAmountMinor)));
  if (grantedPoints <= 0 || order === 0n) return 0;
  const clamp = (value: bigint) => (value < 0n ? 0n : value > order ? order : value);
  const before = clamp(order - BigInt(Math.max(0, Math.trunc(refund.refundedBeforeMinor))));
  const after = clamp(before - BigInt(Math.max(0, Math.trunc(refund.amountMinor))));
  const granted = BigInt(grantedPoints);
  const share = (kept: bigint) => (granted * kept) / order;
  return Number(share(before) - share(after));
}

/**
 * The order reference of a campaign's lot for a purchase: the campaign's own namespace of the order, so a
 * refund's base reversal never touches the campaign's lot and the campaign's reversal takes its own lot first.
 */
export const campaignOrderRef = (campaignId: string, orderId: string): string =>
  `campaign:${campaignId}:${orderId}`;

/** How a participant document names the order a grant was for (order ids are unique per partner only). */
export const grantOrderKey = (partner: string, orderId: string): string => `${partner}:${orderId}`;
