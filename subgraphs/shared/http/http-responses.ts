import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';
import { httpStatusOf } from '../errors.js';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // A response already under way (or to a client gone) cannot take another status; end what was started.
  if (response.headersSent || response.destroyed) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/**
 * GraphQL clients read `{ errors: [{ message, extensions: { code } }] }`; the other routes (event ingest,
 * health) answer `{ error: { code, message } }`. Either way the status comes from the error registry.
 */
export type ErrorShape = 'graphql' | 'route';

export function sendError(
  response: ServerResponse,
  shape: ErrorShape,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body =
    shape === 'graphql' ? { errors: [{ message, extensions: { code } }] } : { error: { code, message } };
  sendJson(response, httpStatusOf(code), body, headers);
}
