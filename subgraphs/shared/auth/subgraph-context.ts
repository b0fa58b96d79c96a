import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '../errors.js';
import type { ClientRequestMemos, FetchMemo } from '../http/client-request-memo.js';
import { INTERNAL_TOKEN_HEADER, verifyInternalToken } from './internal-token.js';
import type { Principal } from './principal.js';

export interface RequestIdentity {
  principal: Principal;
  requestId: string;
  /**
   * What this fetch shares with the other fetches of the same client request (its loaders): the member read
   * by the root field is the one `_entities` resolves. A mutation shares nothing (see `FetchMemo`).
   */
  memo: FetchMemo;
}

/**
 * Establishes who is asking from the gateway's internal token. Anything else (no token, a client's own
 * token, an expired one) is refused before any resolver runs: subgraphs are never exposed directly. The
 * refusal is UNAUTHENTICATED, whose 401 comes with it from the error registry. The gateway signs one token
 * per client request, unique to it (a `jti` of its own), so the verified token's text names the client
 * request whose fetches share `memo`.
 */
export async function identifyRequest(
  request: IncomingMessage,
  requestId: string,
  internalTokenSecret: string,
  memos: ClientRequestMemos,
): Promise<RequestIdentity> {
  const header = request.headers[INTERNAL_TOKEN_HEADER];
  const token = Array.isArray(header) ? header[0] : header;
  const verified = token ? await verifyInternalToken(token, internalTokenSecret) : null;
  if (!verified) throw unauthenticated('This subgraph only answers requests signed by the gateway.');
  // The HTTP layer's id: the gateway's `x-request-id`, the same the token names, or one of its own.
  return { principal: verified.principal, requestId, memo: memos.open(token!) };
}
