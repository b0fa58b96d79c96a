import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../errors.js';
import { ErrorCodes, httpStatusOf } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { recordUnparsableRequest } from '../observability/http-metrics.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';

/** Node's parser errors that have a more precise status than 400. */
const PARSER_ERROR_CODES: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'PAYLOAD_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  ERR_HTTP_REQUEST_HEADERS_TIMEOUT: 'REQUEST_TIMEOUT',
};

/** A complete HTTP/1.1 error response written straight to a socket, which is then closed. */
function rawErrorResponse(code: ErrorCode, message: string, requestId: string): string {
  const status = httpStatusOf(code);
  const body = JSON.stringify({ error: { code, message } });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    `${REQUEST_ID_HEADER}: ${requestId}`,
    '',
    body,
  ].join('\r\n');
}

export interface UnparsableRequestHandlers {
  /** For the server's `clientError`: bytes Node's HTTP parser cannot read as a request. */
  onClientError(error: NodeJS.ErrnoException, socket: Duplex): void;
  /** For the server's `connect`: a CONNECT request, meant for a proxy. */
  onConnect(request: IncomingMessage, socket: Duplex): void;
}

/**
 * Answers what never becomes a request for the router. Node leaves these to the server; without handlers
 * it would answer a bare 400 with no request id, or close a CONNECT's socket without a word.
 */
export function unparsableRequestHandlers(service: string, log: Logger): UnparsableRequestHandlers {
  const refuse = (socket: Duplex, code: ErrorCode, message: string, reason: string, requestId: string) => {
    log.info({ requestId, reason, status: httpStatusOf(code) }, 'refused an unparsable request');
    recordUnparsableRequest(service, reason);
    socket.end(rawErrorResponse(code, message, requestId));
  };
  return {
    onClientError: (error, socket) => {
      // A request already being answered on this socket (a body that turned out malformed half-way) keeps its id.
      const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
      if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
        socket.destroy();
        return;
      }
      const given = inFlight?.getHeader(REQUEST_ID_HEADER);
      const requestId = typeof given === 'string' ? given : resolveRequestId(undefined);
      const code = PARSER_ERROR_CODES[error.code ?? ''] ?? 'BAD_REQUEST';
      const message =
        code === 'BAD_REQUEST'
          ? 'The request is not well-formed HTTP/1.1 (request line, headers or body framing).'
          : ErrorCodes[code].meaning;
      refuse(socket, code, message, error.code ?? 'unknown', requestId);
    },
    onConnect: (request, socket) => {
      const requestId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
      refuse(
        socket,
        'METHOD_NOT_ALLOWED',
        'This server is not a proxy: CONNECT is not served.',
        'CONNECT',
        requestId,
      );
    },
  };
}
