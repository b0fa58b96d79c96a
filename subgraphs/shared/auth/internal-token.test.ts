import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { createInternalTokenVerifier, signInternalToken, verifyInternalToken } from './internal-token.js';

const SECRET = 'internal-token-test-secret';

describe('internal tokens', () => {
  it('verifies a token the gateway signed and remembers it until it expires', async () => {
    let clock = Date.now();
    const verify = createInternalTokenVerifier(SECRET, () => clock);
    const token = await signInternalToken({ role: 'member', memberId: 'M1' }, SECRET, 'req-1');
    const expected = { principal: { role: 'member', memberId: 'M1' }, requestId: 'req-1' };
    expect(await verify(token)).toEqual(expected);
    expect(await verify(token)).toEqual(expected);
    expect(verify.cached).toBe(1);
    clock += 61_000;
    expect(await verify(token)).toBeNull();
    expect(verify.cached).toBe(0);
    // Expired is expired, cached or not.
    expect(await verify(token)).toBeNull();
  });

  it('signs a standard HS256 JWT that any JWT library verifies, valid for 60 s', async () => {
    const token = await signInternalToken({ role: 'member', memberId: 'M7' }, SECRET, 'req-7');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256' });
    const { payload } = await jwtVerify(token, Buffer.from(SECRET), {
      issuer: 'joint-membership-gateway',
      audience: 'joint-membership-subgraphs',
      algorithms: ['HS256'],
    });
    expect(payload).toMatchObject({ role: 'member', sub: 'M7', rid: 'req-7' });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    await expect(jwtVerify(token, Buffer.from('another-secret'))).rejects.toThrow();
  });

  it('signs a token of its own for each client request, even with the same id, principal and second', async () => {
    const principal = { role: 'partner_service' as const, partner: 'starlight' };
    const first = await signInternalToken(principal, SECRET, 'req-chosen-by-client');
    const second = await signInternalToken(principal, SECRET, 'req-chosen-by-client');
    expect(second).not.toBe(first);
    expect(await verifyInternalToken(second, SECRET)).toEqual(await verifyInternalToken(first, SECRET));
  });

  it('refuses, and does not remember, a token of another secret, a tampered one or one without expiry', async () => {
    const verify = createInternalTokenVerifier(SECRET);
    const foreign = await signInternalToken({ role: 'admin' }, 'another-secret', 'req-2');
    const good = await signInternalToken({ role: 'admin' }, SECRET, 'req-3');
    const [header, payload, signature] = good.split('.');
    const tampered = [
      header,
      Buffer.from('{"role":"admin","sub":"x"}').toString('base64url'),
      signature,
    ].join('.');
    const eternal = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('joint-membership-gateway')
      .setAudience('joint-membership-subgraphs')
      .sign(Buffer.from(SECRET));
    for (const token of [foreign, tampered, eternal, `${payload}.x`]) expect(await verify(token)).toBeNull();
    expect(verify.cached).toBe(0);
  });

  it('keeps one verifier per secret behind verifyInternalToken', async () => {
    const token = await signInternalToken({ role: 'partner_staff', partner: 'inkwell' }, SECRET, 'req-4');
    expect((await verifyInternalToken(token, SECRET))?.principal).toEqual({
      role: 'partner_staff',
      partner: 'inkwell',
      subject: undefined,
    });
    expect(await verifyInternalToken(token, 'wrong-secret')).toBeNull();
  });
});
