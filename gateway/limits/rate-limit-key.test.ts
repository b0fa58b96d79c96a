import type { IncomingMessage } from 'node:http';
import { clientAddress, rateLimitSubject } from './rate-limit-key.js';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('rateLimitSubject', () => {
  it('gives each principal a bucket of its own, under its role', () => {
    expect(rateLimitSubject({ role: 'member', memberId: 'M1' }, '10.0.0.1')).toEqual({
      key: 'member:M1',
      role: 'member',
    });
    expect(rateLimitSubject({ role: 'partner_staff', partner: 'inkwell', subject: 's1' }, 'x')).toEqual({
      key: 'partner_staff:inkwell:s1',
      role: 'partner',
    });
    expect(rateLimitSubject({ role: 'partner_service', partner: 'inkwell' }, 'x').role).toBe('partner');
    expect(rateLimitSubject({ role: 'admin', subject: 'ops' }, 'x')).toEqual({
      key: 'admin:ops',
      role: 'admin',
    });
  });

  it('limits anonymous callers and refused tokens by address', () => {
    expect(rateLimitSubject({ role: 'anonymous' }, '10.0.0.1')).toEqual({
      key: 'address:10.0.0.1',
      role: 'anonymous',
    });
    expect(rateLimitSubject(null, '10.0.0.1')).toEqual(rateLimitSubject({ role: 'anonymous' }, '10.0.0.1'));
  });
});

describe('clientAddress', () => {
  it("is the socket's address unless proxies are trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(request('10.0.0.9', '1.2.3.4'), 0)).toBe('10.0.0.9');
  });

  it('is the entry the outermost trusted proxy appended, never one the client wrote itself', () => {
    // The client claims 6.6.6.6; the one proxy in front saw 1.2.3.4.
    expect(clientAddress(request('10.0.0.9', '6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(request('10.0.0.9', '6.6.6.6, 1.2.3.4, 10.0.0.2'), 2)).toBe('1.2.3.4');
  });

  it('falls back to the first entry, then the socket, when there are fewer entries than proxies', () => {
    expect(clientAddress(request('10.0.0.9', '1.2.3.4'), 2)).toBe('1.2.3.4');
    expect(clientAddress(request('10.0.0.9'), 1)).toBe('10.0.0.9');
  });
});
