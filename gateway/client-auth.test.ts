import { SignJWT } from 'jose';
import type { AuthSettings } from '../subgraphs/shared/config/environment.js';
import { createClientTokenVerifier, lifetimeProblem } from './client-auth.js';

const SECRET = 'client-auth-test-secret-0123456789';
const BASE: AuthSettings = {
  jwtSecret: SECRET,
  internalTokenSecret: 'internal-secret-0123456789',
  maxTokenLifetimeSeconds: 24 * 3600,
};
const now = () => Math.floor(Date.now() / 1000);

async function token(claims: { iat?: number; exp?: number; iss?: string; aud?: string }): Promise<string> {
  let jwt = new SignJWT({ sub: 'M000001' }).setProtectedHeader({ alg: 'HS256' });
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return `Bearer ${await jwt.sign(new TextEncoder().encode(SECRET))}`;
}

async function refusal(
  settings: AuthSettings,
  authorization: string,
): Promise<{ message: string; code: unknown; status: unknown }> {
  try {
    await createClientTokenVerifier(settings)(authorization);
  } catch (error) {
    const { message, extensions } = error as {
      message: string;
      extensions: { code: unknown; http?: { status: unknown } };
    };
    return { message, code: extensions.code, status: extensions.http?.status };
  }
  throw new Error('expected the token to be refused');
}

describe('client token verification', () => {
  it('accepts a token that expires within the allowed lifetime', async () => {
    const principal = await createClientTokenVerifier(BASE)(await token({ iat: now(), exp: now() + 3600 }));
    expect(principal).toEqual({ role: 'member', memberId: 'M000001' });
  });

  it('refuses a token without exp, which would be accepted forever', async () => {
    const refused = await refusal(BASE, await token({ iat: now() }));
    expect(refused).toEqual({
      message: 'Your token has no expiry (exp); ask for one that expires.',
      code: 'UNAUTHENTICATED',
      status: 401,
    });
  });

  it('refuses a token whose exp - iat is above the maximum lifetime', async () => {
    const refused = await refusal(BASE, await token({ iat: now(), exp: now() + 24 * 3600 + 60 }));
    expect(refused.message).toBe(
      'Your token lives longer than the 24 hours allowed; ask for a shorter-lived one.',
    );
  });

  it('refuses a token without iat whose exp is further away than the maximum lifetime', async () => {
    const refused = await refusal(BASE, await token({ exp: now() + 30 * 24 * 3600 }));
    expect(refused.message).toBe(
      'Your token expires more than 24 hours from now; ask for a shorter-lived one.',
    );
    await expect(createClientTokenVerifier(BASE)(await token({ exp: now() + 3600 }))).resolves.toBeDefined();
  });

  it('refuses a token issued in the future, which would stretch its lifetime', async () => {
    const future = now() + 365 * 24 * 3600;
    const refused = await refusal(BASE, await token({ iat: future, exp: future + 3600 }));
    expect(refused.message).toMatch(/issued in the future/);
  });

  it('takes the maximum lifetime from the settings', async () => {
    const short = { ...BASE, maxTokenLifetimeSeconds: 600 };
    expect((await refusal(short, await token({ iat: now(), exp: now() + 3600 }))).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('checks iss and aud when they are configured, and only then', async () => {
    const strict = { ...BASE, issuer: 'https://id.example', audience: 'joint-membership' };
    const exp = now() + 3600;
    expect((await refusal(strict, await token({ iat: now(), exp }))).code).toBe('UNAUTHENTICATED');
    expect(
      (
        await refusal(
          strict,
          await token({ iat: now(), exp, iss: 'https://evil.example', aud: 'joint-membership' }),
        )
      ).message,
    ).toBe('Your token was issued by another issuer; sign in again.');
    expect(
      (await refusal(strict, await token({ iat: now(), exp, iss: 'https://id.example', aud: 'other-app' })))
        .message,
    ).toBe('Your token was issued for another audience; sign in again.');
    const good = await token({ iat: now(), exp, iss: 'https://id.example', aud: 'joint-membership' });
    await expect(createClientTokenVerifier(strict)(good)).resolves.toEqual({
      role: 'member',
      memberId: 'M000001',
    });
    await expect(createClientTokenVerifier(BASE)(good)).resolves.toBeDefined();
  });
});

describe('remembered verifications', () => {
  async function signedFor(memberId: string, exp: number): Promise<string> {
    const jwt = new SignJWT({ sub: memberId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(exp);
    return `Bearer ${await jwt.sign(new TextEncoder().encode(SECRET))}`;
  }

  it('answers a token seen before with its own principal, and each token with its own', async () => {
    const verify = createClientTokenVerifier(BASE);
    const a = await signedFor('M000001', now() + 600);
    const b = await signedFor('M000002', now() + 600);
    for (let i = 0; i < 3; i++) {
      await expect(verify(a)).resolves.toEqual({ role: 'member', memberId: 'M000001' });
      await expect(verify(b)).resolves.toEqual({ role: 'member', memberId: 'M000002' });
    }
  });

  it('refuses a remembered token once it has expired', async () => {
    let clock = Date.now();
    const verify = createClientTokenVerifier(BASE, () => clock);
    const soon = await signedFor('M000001', Math.floor(clock / 1000) + 30);
    await expect(verify(soon)).resolves.toEqual({ role: 'member', memberId: 'M000001' });
    clock += 31_000;
    await expect(verify(soon)).rejects.toMatchObject({ message: 'Your token has expired; sign in again.' });
  });

  it('never remembers a refusal or lets a tampered copy of a remembered token through', async () => {
    const verify = createClientTokenVerifier(BASE);
    const good = await signedFor('M000001', now() + 600);
    await expect(verify(good)).resolves.toBeDefined();
    const [header, payload, signature] = good.slice('Bearer '.length).split('.');
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'M000002', exp: now() + 600 })).toString(
      'base64url',
    );
    await expect(verify(`Bearer ${header}.${otherPayload}.${signature}`)).rejects.toMatchObject({
      message: 'Your token is not valid; sign in again.',
    });
    await expect(verify(`Bearer ${header}.${payload}.${signature.slice(0, -2)}AA`)).rejects.toBeDefined();
  });
});

describe('lifetimeProblem', () => {
  it('accepts exactly the maximum and refuses one second more', () => {
    expect(lifetimeProblem({ iat: 1000, exp: 1000 + 86_400 }, 86_400, 1000)).toBeNull();
    expect(lifetimeProblem({ iat: 1000, exp: 1001 + 86_400 }, 86_400, 1000)).not.toBeNull();
    expect(lifetimeProblem({ iat: 1060, exp: 2000 }, 86_400, 1000)).toBeNull();
  });
});
