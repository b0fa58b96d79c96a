/**
 * A member's wallet driven step by step through the pure operations, for the tests of those operations:
 * each step applies its change to the state, as the persistence step will apply it to the stores.
 */
import type { ProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import type { AdjustRequest } from '../../subgraphs/benefits/domain/adjust-points.js';
import { applyAdjust } from '../../subgraphs/benefits/domain/adjust-points.js';
import type { EarnRequest } from '../../subgraphs/benefits/domain/earn-points.js';
import { applyEarn } from '../../subgraphs/benefits/domain/earn-points.js';
import type { ExpiryPolicy } from '../../subgraphs/benefits/domain/expiry-policy.js';
import { SEED_EXPIRY_POLICY, expiryRule } from '../../subgraphs/benefits/domain/expiry-policy.js';
import { applyExpiry } from '../../subgraphs/benefits/domain/expiry-sweep.js';
import type { RedeemRequest } from '../../subgraphs/benefits/domain/redeem-points.js';
import { applyRedeem } from '../../subgraphs/benefits/domain/redeem-points.js';
import type { Outcome } from '../../subgraphs/benefits/domain/refusal.js';
import type { ReturnRequest } from '../../subgraphs/benefits/domain/return-points.js';
import { applyReturn } from '../../subgraphs/benefits/domain/return-points.js';
import type { ReverseRequest } from '../../subgraphs/benefits/domain/reverse-points.js';
import { applyReverse } from '../../subgraphs/benefits/domain/reverse-points.js';
import type { BalanceBreakdown } from '../../subgraphs/benefits/domain/wallet-balance.js';
import { balanceBreakdown } from '../../subgraphs/benefits/domain/wallet-balance.js';
import type { WalletChange, WalletState } from '../../subgraphs/benefits/domain/wallet-entry.js';
import { applyWalletChange } from '../../subgraphs/benefits/domain/wallet-entry.js';

export const DAY_MS = 86_400_000;
export const MEMBER = 'M000001';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export interface WalletScenario {
  readonly state: WalletState;
  readonly calendar: ProgrammeCalendar;
  earn(
    r: Optional<EarnRequest, 'memberId' | 'partner' | 'availableAt' | 'orderRef' | 'sourceEventId'>,
  ): Outcome<WalletChange>;
  reverse(r: Optional<ReverseRequest, 'memberId' | 'partner' | 'sourceEventId'>): Outcome<WalletChange>;
  redeem(r: Optional<RedeemRequest, 'memberId' | 'partner' | 'orderRef'>): Outcome<WalletChange>;
  giveBack(r: ReturnRequest): Outcome<WalletChange>;
  adjust(
    r: Optional<AdjustRequest, 'memberId' | 'fundedBy' | 'reason' | 'allowNegativeBalance'>,
  ): Outcome<WalletChange>;
  expire(now: Date): WalletChange;
  balance(now: Date): BalanceBreakdown;
}

export function walletScenario(policy: ExpiryPolicy = SEED_EXPIRY_POLICY, pendingDays = 7): WalletScenario {
  const calendar = createProgrammeCalendar();
  const expiry = expiryRule(policy, calendar);
  let state: WalletState = { lots: [], entries: [] };
  const run = (outcome: Outcome<WalletChange>): Outcome<WalletChange> => {
    if (outcome.ok) state = applyWalletChange(state, outcome.value);
    return outcome;
  };
  return {
    get state() {
      return state;
    },
    calendar,
    earn: (r) =>
      run(
        applyEarn(
          state,
          {
            memberId: MEMBER,
            partner: 'mindspark',
            availableAt: new Date(r.occurredAt.getTime() + pendingDays * DAY_MS),
            orderRef: null,
            sourceEventId: r.key,
            ...r,
          },
          expiry,
        ),
      ),
    reverse: (r) =>
      run(applyReverse(state, { memberId: MEMBER, partner: 'mindspark', sourceEventId: r.key, ...r })),
    redeem: (r) =>
      run(applyRedeem(state, { memberId: MEMBER, partner: 'inkwell', orderRef: null, ...r }, calendar)),
    giveBack: (r) => run(applyReturn(state, r)),
    adjust: (r) =>
      run(
        applyAdjust(
          state,
          { memberId: MEMBER, fundedBy: 'programme', reason: 'goodwill', allowNegativeBalance: false, ...r },
          expiry,
          calendar,
        ),
      ),
    expire: (now) => {
      const change = applyExpiry(state, now);
      state = applyWalletChange(state, change);
      return change;
    },
    balance: (now) => balanceBreakdown(state, now, policy.warnWithinDays, calendar),
  };
}
