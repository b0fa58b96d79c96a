import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';
import type { RequestScope } from './request-scope.js';

/** Why a request is turned away before its body is read: answered in the route's error shape. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Decides, from the request line and headers alone, whether a request may go on: run after the route is
 * found and before its body is read, so a refused request costs no body, parse or plan (rate limits).
 */
export type RequestAdmission = (request: IncomingMessage, scope: RequestScope) => Promise<Refusal | null>;

/** A plain HTTP endpoint served beside /graphql (health, metrics, a brand's event ingest). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Checked before the body is read; a refusal is answered instead of calling `handle`. */
  admit?: RequestAdmission;
  /** `body` is the whole request body, read within the size limit (empty for GET). */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
    scope: RequestScope,
  ): Promise<void> | void;
}
