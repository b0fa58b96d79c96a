import type { Collection, Connection } from 'mongoose';
import { RecentWrites, writeUnlessRecent } from '../../shared/cache/recent-writes.js';
import type { TierCode } from '../../shared/domain/tiers.js';

/**
 * The tier each member was last matched for. A mutation cannot `@requires` the brand behaviours the tier
 * is computed from, so redemption reads the tier the member's last benefits bundle was computed with
 * (the dashboard computes it on every view, and writes it when it differs from what this process wrote in
 * the last minute); a member never seen is treated as the lowest tier.
 */
interface MemberTierDocument {
  _id: string;
  tier: TierCode;
  observedAt: Date;
}

export class MemberTiers {
  private readonly Tiers: Collection<MemberTierDocument>;
  private readonly recent = new RecentWrites();

  constructor(connection: Connection) {
    this.Tiers = connection.collection<MemberTierDocument>('member_tiers');
  }

  async record(memberId: string, tier: TierCode, at: Date): Promise<void> {
    await writeUnlessRecent(this.recent, memberId, tier, () =>
      this.Tiers.updateOne({ _id: memberId }, { $set: { tier, observedAt: at } }, { upsert: true }),
    );
  }

  async tierOf(memberId: string): Promise<TierCode> {
    return (await this.Tiers.findOne({ _id: memberId }))?.tier ?? 'BASIC';
  }
}
