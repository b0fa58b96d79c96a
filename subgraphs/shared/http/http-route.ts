import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestScope } from './request-scope.js';

/** A plain HTTP endpoint served beside /graphql (health, metrics, a brand's event ingest). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  /** `body` is the whole request body, read within the size limit (empty for GET). */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
    scope: RequestScope,
  ): Promise<void> | void;
}
