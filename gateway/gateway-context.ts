import type { IncomingMessage } from 'node:http';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { signInternalToken } from '../subgraphs/shared/auth/internal-token.js';
import type { RequestScope } from '../subgraphs/shared/http/request-scope.js';
import type { RequestPrincipal } from './request-principal.js';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /**
   * Signed at the first subgraph fetch of the client request and sent with each of them (an answer from the
   * response cache needs none).
   */
  internalToken(): Promise<string>;
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
    let internalToken: Promise<string> | undefined;
    return {
      principal,
      requestId: scope.requestId,
      internalToken: () =>
        (internalToken ??= signInternalToken(principal, internalTokenSecret, scope.requestId)),
      deadline,
    };
  };
}
