import type { Principal } from '../../shared/auth/principal.js';
import { canSeeMember, canSeeMemberDetails } from './member-access.js';

const member = { _id: 'M000042', links: [{ partner: 'inkwell' }, { partner: 'pulsefit' }] };

const principals: Record<string, Principal> = {
  anonymous: { role: 'anonymous' },
  self: { role: 'member', memberId: 'M000042' },
  otherMember: { role: 'member', memberId: 'M000043' },
  linkedStaff: { role: 'partner_staff', partner: 'inkwell' },
  unlinkedStaff: { role: 'partner_staff', partner: 'starlight' },
  linkedService: { role: 'partner_service', partner: 'pulsefit' },
  unlinkedService: { role: 'partner_service', partner: 'mindspark' },
  admin: { role: 'admin' },
};

describe('canSeeMember', () => {
  it.each([
    ['anonymous', false],
    ['self', true],
    ['otherMember', false],
    ['linkedStaff', true],
    ['unlinkedStaff', false],
    ['linkedService', true],
    ['unlinkedService', false],
    ['admin', true],
  ])('%s → %s', (who, expected) => {
    expect(canSeeMember(principals[who], member)).toBe(expected);
  });

  it('denies partner roles for a member with no links at all', () => {
    expect(canSeeMember(principals.linkedStaff, { _id: 'M000099', links: [] })).toBe(false);
  });
});

describe('canSeeMemberDetails', () => {
  it.each([
    ['anonymous', false],
    ['self', true],
    ['otherMember', false],
    ['linkedStaff', false],
    ['linkedService', false],
    ['admin', true],
  ])('%s → %s', (who, expected) => {
    expect(canSeeMemberDetails(principals[who], member)).toBe(expected);
  });
});
