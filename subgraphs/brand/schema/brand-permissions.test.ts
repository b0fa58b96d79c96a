import type { Principal } from '../../shared/auth/principal.js';
import { mayReadBehaviour, mayReadBrandMembership } from './brand-permissions.js';

const MEMBER = 'M000001';
const principals: [string, Principal][] = [
  ['anonymous', { role: 'anonymous' }],
  ['the member themself', { role: 'member', memberId: MEMBER }],
  ['another member', { role: 'member', memberId: 'M000002' }],
  ['mindspark staff', { role: 'partner_staff', partner: 'mindspark' }],
  ['inkwell staff', { role: 'partner_staff', partner: 'inkwell' }],
  ['the mindspark service', { role: 'partner_service', partner: 'mindspark' }],
  ['the inkwell service', { role: 'partner_service', partner: 'inkwell' }],
  ['an operator', { role: 'admin' }],
];

describe('who the mindspark subgraph serves', () => {
  const membership: Record<string, boolean> = {
    anonymous: false,
    'the member themself': true,
    'another member': false,
    'mindspark staff': true,
    'inkwell staff': false,
    'the mindspark service': true,
    'the inkwell service': false,
    'an operator': true,
  };
  it.each(principals)('Member.mindspark to %s', (name, principal) => {
    expect(mayReadBrandMembership(principal, MEMBER, 'mindspark')).toBe(membership[name]);
  });

  const behaviour: Record<string, boolean> = {
    anonymous: false,
    'the member themself': true,
    'another member': false,
    // Any partner: the joint tier their staff may read is computed from every brand's behaviour.
    'mindspark staff': true,
    'inkwell staff': true,
    'the mindspark service': true,
    'the inkwell service': true,
    'an operator': true,
  };
  it.each(principals)('Member.mindsparkBehaviour to %s', (name, principal) => {
    expect(mayReadBehaviour(principal, MEMBER)).toBe(behaviour[name]);
  });
});
