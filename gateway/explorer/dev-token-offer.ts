import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import type { AuthSettings } from '../../subgraphs/shared/config/environment.js';
import { signDevToken } from '../../tools/dev-tokens/sign-dev-token.js';

/** A token the GraphiQL picker offers, with whom it speaks for. */
export interface DevToken {
  label: string;
  token: string;
}

/** How long a picked token lasts: a working session in GraphiQL (or less, if the gateway accepts less). */
const DEV_TOKEN_LIFETIME_SECONDS = 8 * 3600;

/**
 * The principals a developer exploring the graph wants to be: the demo member, staff of each partner, an
 * operator. Signed, like `npm run token`, with the development secret the gateway verifies client tokens
 * with; only offered outside production, and never when tokens come from an identity provider (JWKS).
 */
export function devTokenOffer(
  auth: AuthSettings,
  demoMemberId: string,
  partners: readonly string[],
): (() => Promise<DevToken[]>) | undefined {
  const secret = auth.jwtSecret;
  if (!secret || auth.jwksUrl) return undefined;
  const principals: { label: string; principal: Principal }[] = [
    { label: `member ${demoMemberId} (demo)`, principal: { role: 'member', memberId: demoMemberId } },
    ...partners.map((partner) => ({
      label: `staff of ${partner}`,
      principal: { role: 'partner_staff' as const, partner, subject: `${partner}-staff-dev` },
    })),
    { label: 'operator (admin)', principal: { role: 'admin', subject: 'operator-dev' } },
  ];
  const lifetime = Math.min(DEV_TOKEN_LIFETIME_SECONDS, auth.maxTokenLifetimeSeconds ?? Infinity);
  const options = { expiresIn: `${lifetime}s`, issuer: auth.issuer, audience: auth.audience };
  return () =>
    Promise.all(
      principals.map(async ({ label, principal }) => ({
        label,
        token: await signDevToken(principal, secret, options),
      })),
    );
}
