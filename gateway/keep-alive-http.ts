import type { IncomingMessage } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Idle connections are closed after this long (see `createKeepAliveHttp`). */
const IDLE_CONNECTION_MS = 4_000;

/** What the subgraph fetcher reads of an answer: the shape `fetch` answers with, and no more. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Header names in lower case, as `fetch`'s `Headers` iterates them. */
  headers: Iterable<[string, string]>;
  text(): Promise<string>;
}

export interface HttpPost {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Sends one request; the shape of `fetch` for what the subgraph fetcher uses. */
export type HttpSend = (url: string, init: HttpPost) => Promise<HttpAnswer>;

/**
 * The gateway's HTTP client for subgraph calls: Node's `http.request` over keep-alive agents. Node 20's
 * `fetch` builds WHATWG Request, Response and Headers objects for every call; `npm run bench:http-client`
 * measured this client at under a third of its CPU per call (the gateway makes about ten per dashboard).
 * The answer is read whole before it resolves, within the caller's signal, so a server that sends headers
 * and then stalls is cut off by it too.
 *
 * An idle connection is closed after 4 s, before a Node server's own 5 s keep-alive timeout closes it under
 * a request being written (the same margin `fetch` keeps); a request that fails is not sent again, since a
 * subgraph may have run it. Errors keep Node's shapes: an aborted request rejects with the signal's reason
 * (`TimeoutError` for `AbortSignal.timeout`) or an `AbortError`, a refused connection with its `code`, both
 * of which `classifyFetchError` knows.
 */
export function createKeepAliveHttp(): { send: HttpSend; close(): void } {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  };
  const send = (target: URL, init: HttpPost): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new TypeError(`unsupported protocol ${target.protocol}`));
        return;
      }
      const signal = init.signal;
      // The signal's reason (a DOMException, not an Error in every realm) names why: TimeoutError, AbortError.
      const abortError = (): Error => {
        const reason = signal?.reason as { name?: unknown } | undefined;
        return typeof reason === 'object' && reason !== null && typeof reason.name === 'string'
          ? (reason as Error)
          : Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      };
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const body = init.body ?? '';
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: init.method ?? 'GET',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = () => {
        const error = abortError();
        request.destroy(error);
        fail(error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('aborted', () =>
          fail(Object.assign(new Error('answer cut short'), { code: 'ECONNRESET' })),
        );
        response.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: [string, string][] = [];
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.push([name, Array.isArray(value) ? value.join(', ') : value]);
          }
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            headers,
            text: () => Promise.resolve(text),
          });
        });
      });
      request.end(body);
    });
  return {
    send: (url, init) => send(new URL(url), init),
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
