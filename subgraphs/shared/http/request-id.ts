import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The id of one request: the caller's own `x-request-id` when well-formed (for a subgraph, the gateway's
 * id, so one id follows a request through the federation), else a new one. A malformed id is replaced, not
 * refused: it would otherwise end up in logs and response headers as the client wrote it.
 */
export function resolveRequestId(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}
