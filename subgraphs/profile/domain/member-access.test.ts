import type { Principal } from '../../shared/auth/principal.js';
import { canSeeJointProfile, canSeeMember, canSeeMemberDetails } from './member-access.js';

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

describe('canSeeJointProfile', () => {
  const at = new Date('2026-11-01T00:00:00Z');
  const consenting = {
    _id: 'M000042',
    links: [
      // Consented to the joint profile for inkwell; withdrew it for pulsefit (marketing still allowed).
      { partner: 'inkwell', consent: { granted: true, updatedAt: at } },
      {
        partner: 'pulsefit',
        consents: [
          { purpose: 'CROSS_BRAND_PROFILE' as const, granted: false, noticeVersion: 'v2', updatedAt: at },
          { purpose: 'MARKETING' as const, granted: true, noticeVersion: 'v2', updatedAt: at },
        ],
      },
    ],
  };
  it.each([
    ['anonymous', false],
    ['self', true],
    ['otherMember', false],
    ['linkedStaff', true],
    ['unlinkedStaff', false],
    ['linkedService', false],
    ['admin', true],
  ])('%s → %s', (who, expected) => {
    expect(canSeeJointProfile(principals[who], consenting)).toBe(expected);
  });
});
