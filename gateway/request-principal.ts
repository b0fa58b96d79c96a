import type { IncomingMessage } from 'node:http';
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import type { ClientTokenVerifier } from './client-auth.js';

/** The principal of a request, its token verified once: by the rate limit first, then the context factory. */
export type RequestPrincipal = (request: IncomingMessage) => Promise<Principal>;

export function memoisedRequestPrincipal(verify: ClientTokenVerifier): RequestPrincipal {
  const verified = new WeakMap<IncomingMessage, Promise<Principal>>();
  return (request) => {
    let principal = verified.get(request);
    if (!principal) {
      principal = verify(request.headers.authorization);
      // A refused token is the context factory's to report (401); the rate limit only needs to know it failed.
      principal.catch(() => undefined);
      verified.set(request, principal);
    }
    return principal;
  };
}
