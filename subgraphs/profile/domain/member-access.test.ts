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

describe('who sees what of a member', () => {
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

  // The member, their details, and (with the consents above) their joint profile.
  it.each([
    ['anonymous', false, false, false],
    ['self', true, true, true],
    ['otherMember', false, false, false],
    ['linkedStaff', true, false, true],
    ['unlinkedStaff', false, false, false],
    ['linkedService', true, false, false],
    ['unlinkedService', false, false, false],
    ['admin', true, true, true],
  ])('%s: member %s, details %s, joint profile %s', (who, seesMember, seesDetails, seesJointProfile) => {
    expect(canSeeMember(principals[who], member)).toBe(seesMember);
    expect(canSeeMemberDetails(principals[who], member)).toBe(seesDetails);
    expect(canSeeJointProfile(principals[who], consenting)).toBe(seesJointProfile);
  });

  it('denies partner roles for a member with no links at all', () => {
    expect(canSeeMember(principals.linkedStaff, { _id: 'M000099', links: [] })).toBe(false);
  });
});
