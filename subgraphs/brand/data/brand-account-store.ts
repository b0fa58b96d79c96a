import type { BrandModels } from './brand-models.js';

export interface NewAccount {
  brandMemberId: string;
  memberId: string | null;
  displayName: string;
  joinedAt: Date;
}

/** Brand accounts (registration happens in the partner's own system; this mirrors it). Events go through BrandEventIngestor. */
export class BrandAccountStore {
  constructor(private readonly models: BrandModels) {}

  async upsertAccounts(accounts: readonly NewAccount[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.models.Account.bulkWrite(
      accounts.map((a) => ({
        updateOne: {
          filter: { _id: a.brandMemberId },
          update: {
            $set: { memberId: a.memberId, displayName: a.displayName },
            $setOnInsert: { joinedAt: a.joinedAt, days: {}, lifetimeSpendMinor: 0 },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
