import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { signInternalToken } from '../subgraphs/shared/auth/internal-token.js';
import type { ClientTokenVerifier } from './client-auth.js';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** Signed once per client request and sent with each of its subgraph fetches. */
  internalToken: string;
  /** When the request's time budget ends (ms since the epoch): no subgraph fetch runs past it. */
  deadline: number;
}

/** The request id the HTTP layer assigned (see `assignRequestId`). */
function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return (Array.isArray(header) ? header[0] : header) ?? randomUUID();
}

export function createGatewayContextFactory(
  verifyClientToken: ClientTokenVerifier,
  internalTokenSecret: string,
  requestBudgetMs: number,
) {
  return async (request: IncomingMessage): Promise<GatewayContext> => {
    const deadline = Date.now() + requestBudgetMs;
    const requestId = requestIdOf(request);
    const principal = await verifyClientToken(request.headers.authorization);
    return {
      principal,
      requestId,
      internalToken: await signInternalToken(principal, internalTokenSecret, requestId),
      deadline,
    };
  };
}
