import type { MemberActivityMessage } from '../../shared/events/member-activity-message.js';
import { walletRequestForActivity } from './activity-wallet-request.js';
import { SEED_EARNING_RULES, pointsForActivity } from './earning-rules.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const BOUGHT = '2025-07-03T02:00:00.000Z';
const message = (fields: Partial<MemberActivityMessage>): MemberActivityMessage => ({
  partner: 'mindspark',
  eventId: 'e-1',
  type: 'purchase',
  brandMemberId: 'MS0001',
  memberId: 'M000001',
  occurredAt: BOUGHT,
  orderId: 'o-1',
  amountMinor: 100_000,
  ...fields,
});
const refund = message({
  eventId: 'e-2',
  type: 'refund',
  occurredAt: '2025-07-05T02:00:00.000Z',
  amountMinor: 100_000,
  orderAmountMinor: 100_000,
  refundedBeforeMinor: 0,
  purchasedAt: BOUGHT,
});

describe('walletRequestForActivity', () => {
  it('turns a purchase into an earning of its order and a refund into a reversal of it', () => {
    const buy = message({});
    expect(walletRequestForActivity(buy, pointsForActivity(buy, SEED_EARNING_RULES))).toEqual({
      op: 'earn',
      request: {
        key: 'mindspark:e-1',
        memberId: 'M000001',
        partner: 'mindspark',
        occurredAt: new Date(BOUGHT),
        sourceEventId: 'e-1',
        points: 1_000,
        availableAt: new Date(Date.parse(BOUGHT) + 7 * DAY_MS),
        orderRef: 'o-1',
      },
    });
    expect(walletRequestForActivity(refund, pointsForActivity(refund, SEED_EARNING_RULES))).toMatchObject({
      op: 'reverse',
      request: { key: 'mindspark:e-2', points: 1_000, orderRef: 'o-1' },
    });
  });

  it('fixes the issue: buy ¥1,000 and refund it within the pending period → balance 0, pending 0', () => {
    const w = walletScenario();
    for (const m of [message({}), refund]) {
      const ask = walletRequestForActivity(m, pointsForActivity(m, SEED_EARNING_RULES));
      if (ask?.op === 'earn') w.earn(ask.request);
      if (ask?.op === 'reverse') w.reverse(ask.request);
    }
    expect(w.balance(new Date('2025-07-05T02:00:00Z'))).toMatchObject({ available: 0, pending: 0 });
    expect(w.balance(new Date('2025-08-01T00:00:00Z'))).toMatchObject({ available: 0, pending: 0 });
  });

  it('asks nothing for unlinked members, browsing and zero points', () => {
    const browse = message({ type: 'browse' });
    expect(
      walletRequestForActivity(
        message({ memberId: null }),
        pointsForActivity(message({}), SEED_EARNING_RULES),
      ),
    ).toBeNull();
    expect(walletRequestForActivity(browse, pointsForActivity(browse, SEED_EARNING_RULES))).toBeNull();
    const tiny = message({ amountMinor: 50 });
    expect(walletRequestForActivity(tiny, pointsForActivity(tiny, SEED_EARNING_RULES))).toBeNull();
  });
});
