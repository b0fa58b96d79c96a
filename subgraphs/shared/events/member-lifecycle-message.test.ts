import type { MemberLifecycleMessage } from './member-lifecycle-message.js';
import { decodeLifecycleMessage, encodeLifecycleMessage } from './member-lifecycle-message.js';

describe('member-lifecycle messages', () => {
  it('round-trips every kind', () => {
    const messages: MemberLifecycleMessage[] = [
      { kind: 'link', partner: 'inkwell', partnerMemberId: 'IN1', memberId: 'M1' },
      { kind: 'unlink', partner: 'inkwell', partnerMemberId: 'IN1', memberId: 'M1' },
      { kind: 'erase', jobId: 'j1', memberId: 'M1', accounts: { inkwell: 'IN1' }, stores: ['brand:inkwell'] },
      {
        kind: 'erasure-receipt',
        jobId: 'j1',
        receipt: {
          store: 'benefits',
          counts: [{ collection: 'wallets', deleted: 1, anonymised: 0 }],
          at: 'x',
        },
      },
    ];
    for (const message of messages)
      expect(decodeLifecycleMessage(encodeLifecycleMessage(message))).toEqual(message);
  });

  it('answers null for anything else, so consumers acknowledge and skip it', () => {
    for (const payload of ['', 'not json', 'null', '{}', '{"kind":"purchase"}', '[1]'])
      expect(decodeLifecycleMessage(payload)).toBeNull();
  });
});
