import { connect } from 'node:net';

export interface RawAnswer {
  /** The status of the response, or null when the server closed without answering. */
  status: number | null;
  /** The response head (status line and headers), lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** How the connection ended when there was no complete answer. */
  ending: 'answered' | 'closed' | 'reset';
}

export interface RawRequest {
  /** Bytes written in order, as is. */
  chunks: (string | Buffer)[];
  /**
   * After writing: `wait` for the answer (default); `half-close` to send FIN and then wait; `abort` to destroy
   * the socket at once (no answer is awaited).
   */
  then?: 'wait' | 'half-close' | 'abort';
  /** A HEAD request's answer has no body, whatever its content-length says. */
  head?: boolean;
}

/** A hang guard, not a measurement: a server that neither answers nor closes fails the test. */
const GIVE_UP_MS = 15_000;

function parseHead(text: string): { status: number | null; headers: Record<string, string> } {
  const [statusLine, ...lines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: match ? Number(match[1]) : null, headers };
}

/**
 * Sends bytes over a fresh TCP connection and reads one HTTP/1.1 answer, without any HTTP client library
 * in between (which would refuse to send most of what these tests send).
 */
export function sendRaw(port: number, request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (answer: RawAnswer | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      socket.destroy();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    const guard = setTimeout(
      () => finish(new Error(`no answer and no close within ${GIVE_UP_MS} ms`)),
      GIVE_UP_MS,
    );
    const complete = (): RawAnswer | null => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const { status, headers } = parseHead(received.subarray(0, end).toString('latin1'));
      const body = received.subarray(end + 4);
      if (!request.head && headers['transfer-encoding'] === 'chunked') {
        const last = body.indexOf('0\r\n\r\n');
        return last < 0 ? null : { status, headers, body: body.toString('utf8'), ending: 'answered' };
      }
      const length = request.head ? 0 : Number(headers['content-length'] ?? NaN);
      if (Number.isNaN(length) || body.length < length) return null;
      return { status, headers, body: body.subarray(0, length).toString('utf8'), ending: 'answered' };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = complete();
      if (answer) finish(answer);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after a complete answer still counts as that answer.
      const answer = complete();
      if (answer) return finish(answer);
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        return finish({ status: null, headers: {}, body: '', ending: 'reset' });
      finish(error);
    });
    socket.on('close', () => {
      const answer = complete();
      if (answer) return finish(answer);
      // An answer without content-length ends with the connection.
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        const { status, headers } = parseHead(received.subarray(0, end).toString('latin1'));
        return finish({
          status,
          headers,
          body: received.subarray(end + 4).toString('utf8'),
          ending: 'answered',
        });
      }
      finish({ status: null, headers: {}, body: '', ending: 'closed' });
    });
    socket.on('connect', () => {
      request.chunks.forEach((chunk, index) => {
        const last = index === request.chunks.length - 1;
        socket.write(chunk, () => {
          if (!last || request.then !== 'abort') return;
          finish({ status: null, headers: {}, body: '', ending: 'closed' });
        });
      });
      if (request.then === 'half-close') socket.end();
    });
  });
}
