import type { EarnRequest } from '../domain/earn-points.js';
import { applyEarn } from '../domain/earn-points.js';
import type { ExpiryRule } from '../domain/expiry-policy.js';
import { applyExpiry } from '../domain/expiry-sweep.js';
import type { Outcome } from '../domain/refusal.js';
import { accept } from '../domain/refusal.js';
import type { ReverseRequest } from '../domain/reverse-points.js';
import { applyReverse } from '../domain/reverse-points.js';
import type { WalletChange } from '../domain/wallet-entry.js';
import type { WalletOperation, WalletStore } from './wallet-store.js';

type ChangeOnly = { change: WalletChange };

const withChange = (outcome: Outcome<WalletChange>): Outcome<{ change: WalletChange }> =>
  outcome.ok ? accept({ change: outcome.value }) : outcome;

export interface ExpirySweepReport {
  wallets: number;
  points: number;
}

/** The wallet operations of the points consumer and the expiry sweep, each a pure function applied by the store. */
export class PointsWallet {
  constructor(
    readonly store: WalletStore,
    private readonly expiry: ExpiryRule,
  ) {}

  earnOperation(request: EarnRequest): WalletOperation<ChangeOnly> {
    return {
      refs: {
        ids: [request.key],
        ...(request.orderRef ? { order: { partner: request.partner, orderRef: request.orderRef } } : {}),
      },
      operate: (state) => withChange(applyEarn(state, request, this.expiry)),
      sourceEventId: request.sourceEventId,
    };
  }

  reverseOperation(request: ReverseRequest): WalletOperation<ChangeOnly> {
    return {
      refs: { ids: [request.key] },
      operate: (state) => withChange(applyReverse(state, request)),
      sourceEventId: request.sourceEventId,
    };
  }

  /** A member's earnings and reversals, in order, in one write. */
  applyActivity(
    memberId: string,
    operations: readonly WalletOperation<ChangeOnly>[],
  ): Promise<Outcome<ChangeOnly>[]> {
    return this.store.applyAll(memberId, operations);
  }

  /** Many members' earnings and reversals (one list per member, in order), written together. */
  applyActivities(
    operations: ReadonlyMap<string, readonly WalletOperation<ChangeOnly>[]>,
  ): Promise<Map<string, Outcome<ChangeOnly>[]>> {
    return this.store.applyMany(operations);
  }

  /**
   * Writes an `expire` entry for every lot whose expiry has come by `at`, wallet by wallet. Idempotent and
   * safe to run in several processes at once: an expiry's key names its lot, and a lot once expired holds
   * nothing more to expire. A sweep stopped half-way leaves whole wallets done and the rest for the next.
   */
  async sweepExpired(at: Date = this.store.now(), batchSize = 200): Promise<ExpirySweepReport> {
    const report: ExpirySweepReport = { wallets: 0, points: 0 };
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.store.walletsDueForExpiry(at, batchSize)).filter((id) => !seen.has(id));
      if (due.length === 0) return report;
      for (const memberId of due) {
        seen.add(memberId);
        const outcome = await this.store.apply(memberId, { ids: [] }, (state) =>
          accept({ change: applyExpiry(state, at) }),
        );
        if (outcome.ok && !outcome.value.change.replay) {
          report.wallets += 1;
          report.points -= outcome.value.change.entries.reduce((sum, e) => sum + e.points, 0);
        }
      }
    }
  }
}
