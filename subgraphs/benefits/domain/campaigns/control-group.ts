import { createHash } from 'node:crypto';

/**
 * A member's place in a campaign's audience, uniform in [0, 1) and stable: the first 48 bits of
 * SHA-256(campaign id, member id). The same member is in the same group of a campaign on every event and
 * every server, and in independent groups across campaigns.
 */
export function audiencePosition(campaignId: string, memberId: string): number {
  const digest = createHash('sha256').update(`${campaignId}\u0000${memberId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** Whether the member is held out of the campaign (its control group), given the campaign's control share. */
export const inControlGroup = (campaignId: string, memberId: string, controlShare: number): boolean =>
  controlShare > 0 && audiencePosition(campaignId, memberId) < controlShare;
