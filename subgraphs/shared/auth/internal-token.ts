import type { KeyObject } from 'node:crypto';
import { createSecretKey } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Principal } from './principal.js';
import { principalClaims, principalFromClaims } from './principal.js';

/**
 * The gateway signs a short-lived token for every subgraph request; subgraphs accept nothing else, so a
 * subgraph reached directly, or with a client's own token, answers UNAUTHENTICATED.
 */
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
const ISSUER = 'joint-membership-gateway';
const AUDIENCE = 'joint-membership-subgraphs';
const LIFETIME_SECONDS = 60;

/** Verified tokens kept per secret; a dashboard's subgraph fetches all carry the same one. */
const VERIFIED_CACHE_ENTRIES = 5_000;

interface SecretState {
  /** Imported once: importing a raw key on every sign or verify costs more than the HMAC itself. */
  key: KeyObject;
  verified: Map<string, { token: VerifiedInternalToken; expiresAtMs: number }>;
}

const secrets = new Map<string, SecretState>();

function secretState(secret: string): SecretState {
  let state = secrets.get(secret);
  if (!state) {
    state = { key: createSecretKey(Buffer.from(secret, 'utf8')), verified: new Map() };
    secrets.set(secret, state);
  }
  return state;
}

export async function signInternalToken(
  principal: Principal,
  secret: string,
  requestId: string,
): Promise<string> {
  return new SignJWT({ ...principalClaims(principal), rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(secretState(secret).key);
}

export interface VerifiedInternalToken {
  principal: Principal;
  requestId: string;
}

/**
 * Verifies an internal token; returns null for anything that is not a valid, current gateway token. A token
 * verified once is remembered (per secret, bounded) until it expires, so the same request's further subgraph
 * fetches skip the signature check.
 */
export async function verifyInternalToken(
  token: string,
  secret: string,
): Promise<VerifiedInternalToken | null> {
  const state = secretState(secret);
  const known = state.verified.get(token);
  if (known) {
    if (Date.now() < known.expiresAtMs) return known.token;
    state.verified.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, state.key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const principal = principalFromClaims(payload as Record<string, unknown>);
    if (!principal) return null;
    const verified = { principal, requestId: typeof payload.rid === 'string' ? payload.rid : 'unknown' };
    remember(state, token, verified, (payload.exp ?? 0) * 1000);
    return verified;
  } catch {
    return null;
  }
}

function remember(
  state: SecretState,
  token: string,
  verified: VerifiedInternalToken,
  expiresAtMs: number,
): void {
  if (state.verified.size >= VERIFIED_CACHE_ENTRIES) {
    // Oldest first (insertion order): those expire first too, all tokens living equally long.
    const oldest = state.verified.keys().next().value;
    if (oldest !== undefined) state.verified.delete(oldest);
  }
  state.verified.set(token, { token: verified, expiresAtMs });
}
