import { signInternalToken, verifyInternalToken } from './internal-token.js';
import type { Principal } from './principal.js';

const SECRET = 'internal-secret-for-unit-tests-0123456789';
const member: Principal = { role: 'member', memberId: 'M000042' };

describe('internal tokens', () => {
  afterEach(() => jest.useRealTimers());

  it('round-trips the principal and request id', async () => {
    const token = await signInternalToken(member, SECRET, 'req-1');
    expect(await verifyInternalToken(token, SECRET)).toEqual({ principal: member, requestId: 'req-1' });
  });

  it('answers a token it verified before the same way, and refuses it under another secret', async () => {
    const token = await signInternalToken(member, SECRET, 'req-2');
    const first = await verifyInternalToken(token, SECRET);
    expect(await verifyInternalToken(token, SECRET)).toBe(first);
    expect(await verifyInternalToken(token, `${SECRET}-other`)).toBeNull();
  });

  it('stops accepting a remembered token once it has expired', async () => {
    const token = await signInternalToken(member, SECRET, 'req-3');
    expect(await verifyInternalToken(token, SECRET)).not.toBeNull();
    // The clock alone moves (61 s > the tokens' 60 s lifetime), for this module and the JWT library alike.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(Date.now() + 61_000);
    expect(await verifyInternalToken(token, SECRET)).toBeNull();
  });

  it('refuses a token whose signature was altered, even after the genuine one was remembered', async () => {
    const token = await signInternalToken(member, SECRET, 'req-4');
    await verifyInternalToken(token, SECRET);
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature![0] === 'A' ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await verifyInternalToken(`${header}.${payload}.${flipped}`, SECRET)).toBeNull();
  });
});
