import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import type { CostRole } from '../../subgraphs/shared/config/environment.js';

/** Whose bucket a request takes from, and the role whose limit applies. */
export interface RateLimitSubject {
  key: string;
  role: CostRole;
}

/**
 * One bucket per principal: a member by id, partner staff and services by partner and subject, an operator
 * by subject. A request without a valid token is limited by the client's address, so a flood of bad tokens
 * is limited like anonymous traffic.
 */
export function rateLimitSubject(principal: Principal | null, clientAddress: string): RateLimitSubject {
  switch (principal?.role) {
    case 'member':
      return { key: `member:${principal.memberId}`, role: 'member' };
    case 'partner_staff':
    case 'partner_service':
      return { key: `${principal.role}:${principal.partner}:${principal.subject ?? ''}`, role: 'partner' };
    case 'admin':
      return { key: `admin:${principal.subject ?? ''}`, role: 'admin' };
    default:
      return { key: `address:${clientAddress}`, role: 'anonymous' };
  }
}

/**
 * The client's address: the socket's, or with `trustedProxies` proxies in front (each appending the address
 * it received from to `X-Forwarded-For`), the entry the outermost trusted proxy wrote. Entries left of it
 * are the client's own say and cannot be trusted.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return hops[hops.length - trustedProxies] ?? hops[0] ?? socketAddress;
}
