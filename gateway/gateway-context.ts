import type { IncomingMessage } from 'node:http';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { signInternalToken } from '../subgraphs/shared/auth/internal-token.js';
import type { RequestScope } from '../subgraphs/shared/http/request-scope.js';
import type { RequestPrincipal } from './request-principal.js';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** Signed once per client request and sent with each of its subgraph fetches. */
  internalToken: string;
  /** When the request's time budget ends (ms since the epoch): no subgraph fetch runs past it. */
  deadline: number;
}

/** The gateway's context: the client's verified identity, the request id the HTTP layer assigned, the internal token. */
export function createGatewayContextFactory(
  principalOf: RequestPrincipal,
  internalTokenSecret: string,
  requestBudgetMs: number,
) {
  return async (request: IncomingMessage, scope: RequestScope): Promise<GatewayContext> => {
    const deadline = Date.now() + requestBudgetMs;
    const principal = await principalOf(request);
    return {
      principal,
      requestId: scope.requestId,
      internalToken: await signInternalToken(principal, internalTokenSecret, scope.requestId),
      deadline,
    };
  };
}
