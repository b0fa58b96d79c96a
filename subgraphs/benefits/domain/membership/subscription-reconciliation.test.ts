import type { MemberActivityMessage } from '../../../shared/events/member-activity-message.js';
import { recordableSubscriptions, subscriptionsMissing } from './subscription-reconciliation.js';

const message = (eventId: string, fields: Partial<MemberActivityMessage> = {}): MemberActivityMessage => ({
  partner: 'mindspark',
  eventId,
  type: 'subscription',
  brandMemberId: 'MS1',
  memberId: 'M1',
  occurredAt: '2026-12-01T00:00:00.000Z',
  amountMinor: 9900,
  subscription: { action: 'pay', planId: 'joint-plus', periodStart: '2026-12-01T00:00:00.000Z' },
  ...fields,
});

describe('subscriptions in the reconciliation sweep', () => {
  it('expects linked members’ subscriptions only, and finds those no history holds', () => {
    const subscriptions = recordableSubscriptions([
      message('s1'),
      message('s2'),
      message('s3', { memberId: null }),
      message('p1', { type: 'purchase', subscription: undefined }),
      null,
    ]);
    expect(subscriptions.map((m) => m.eventId)).toEqual(['s1', 's2']);
    expect(subscriptionsMissing(subscriptions, new Set(['mindspark:s1'])).map((m) => m.eventId)).toEqual([
      's2',
    ]);
  });
});
