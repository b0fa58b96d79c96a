import type { IncomingMessage, ServerResponse } from 'node:http';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** How long a refused body may keep arriving after the refusal was sent, before the connection is cut. */
const REFUSED_BODY_LINGER_MS = 2_000;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
  }
}

export class BodyAbortedError extends Error {
  constructor() {
    super('The client closed the connection before the request body was complete.');
  }
}

/** The body's length as declared by `content-length` (Node has already refused a malformed one), or null. */
export function declaredBodyLength(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  return header === undefined ? null : Number(header);
}

/** Reads the whole body, up to `limit` bytes; rejects past the limit, or when the client leaves half-way. */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', () => reject(new BodyAbortedError()));
    request.once('close', () => {
      if (!request.complete) reject(new BodyAbortedError());
    });
  });
}

/**
 * After refusing a body (413) without reading it all: the rest is read and dropped, so the client — which
 * may still be sending — reads the refusal instead of a connection reset; if it keeps sending for long, the
 * connection is cut.
 */
export function discardRefusedBody(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  response.once('finish', () => {
    if (request.complete) return;
    const cut = setTimeout(() => request.socket.destroy(), REFUSED_BODY_LINGER_MS);
    cut.unref();
    request.once('end', () => clearTimeout(cut));
    request.once('close', () => clearTimeout(cut));
  });
}
