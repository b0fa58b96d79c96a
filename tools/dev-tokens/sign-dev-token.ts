import { SignJWT } from 'jose';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import { principalClaims } from '../../subgraphs/shared/auth/principal.js';

/** Signs a client token with the development HS256 secret (what an identity provider does in production). */
export async function signDevToken(
  principal: Principal,
  secret: string,
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT(principalClaims(principal))
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
