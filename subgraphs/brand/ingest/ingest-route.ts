import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../../shared/http/apollo-http-server.js';
import { sendJson } from '../../shared/http/apollo-http-server.js';
import { countRateLimitDecision } from '../../shared/observability/rate-limit-metrics.js';
import type { RateLimiter } from '../../shared/rate-limit/rate-limiter.js';
import type { TokenBucketLimit } from '../../shared/rate-limit/token-bucket.js';
import { retryAfterSeconds } from '../../shared/rate-limit/token-bucket.js';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '../../shared/db/store-unavailable.js';
import { sendError } from '../../shared/http/http-responses.js';
import type { RequestScope } from '../../shared/http/request-scope.js';
import type { BrandEventIngestor } from './brand-event-ingestor.js';
import type { IngestResult } from './ingest-result.js';
import { summariseResults } from './ingest-result.js';
import { SIGNATURE_HEADER, verifyEventSignature } from './event-signature.js';

export const INGEST_PATH = '/ingest/events';
export const MAX_EVENTS_PER_REQUEST = 5_000;

type ParsedBody = { events: unknown[]; malformed: Map<number, string> } | { error: string; status: number };

/** How many signed requests the partner may send: one bucket per partner, in `limiter`. */
export interface IngestRateLimit {
  limiter: RateLimiter;
  limit: TokenBucketLimit;
}

function fail(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { error: { code, message } }, headers);
}

/** A JSON array of events, or NDJSON (one event per line; a malformed line is rejected on its own). */
export function parseEventBody(contentType: string, body: Buffer): ParsedBody {
  const text = body.toString('utf8');
  if (contentType.includes('application/x-ndjson') || contentType.includes('application/jsonl')) {
    const events: unknown[] = [];
    const malformed = new Map<number, string>();
    // Line numbers count blank lines too, so a partner finds the line in the file they sent.
    text.split('\n').forEach((raw, lineIndex) => {
      const line = raw.trim();
      if (line.length === 0) return;
      try {
        events.push(JSON.parse(line));
      } catch {
        malformed.set(events.length, `line ${lineIndex + 1} is not valid JSON`);
        events.push(undefined);
      }
    });
    return { events, malformed };
  }
  if (!contentType.includes('application/json')) {
    return {
      status: 415,
      error: 'send events as application/json (an array) or application/x-ndjson (one per line)',
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 400, error: 'the body is not valid JSON; send an array of event objects' };
  }
  if (!Array.isArray(parsed)) return { status: 400, error: 'the body must be a JSON array of event objects' };
  return { events: parsed, malformed: new Map() };
}

/**
 * `POST /ingest/events` of a brand subgraph: verifies the partner's signature over the raw body, takes a
 * token from the partner's rate-limit bucket, then reports each event as accepted, duplicate, conflict or
 * rejected (with a reason; see IngestStatus). Rejected and conflicting events write nothing.
 *
 * The rate limit comes after the signature: the bucket is the partner's, so requests anyone could send
 * without the secret must not drain it. Those cost a body read (≤ 1 MiB) and one HMAC, and are refused.
 */
export function ingestRoute(
  ingestor: BrandEventIngestor,
  partnerSecret: string,
  rateLimit?: IngestRateLimit & { partner: string },
): HttpRoute {
  return {
    method: 'POST',
    path: INGEST_PATH,
    handle: async (request: IncomingMessage, response: ServerResponse, body: Buffer, scope: RequestScope) => {
      const signature = request.headers[SIGNATURE_HEADER];
      if (!verifyEventSignature(body, Array.isArray(signature) ? signature[0] : signature, partnerSecret)) {
        return fail(
          response,
          401,
          'UNAUTHENTICATED',
          `missing or wrong ${SIGNATURE_HEADER}: expected sha256=<hex HMAC-SHA256 of the raw body with your partner secret>`,
        );
      }
      if (rateLimit) {
        const decision = await rateLimit.limiter.take(rateLimit.partner, rateLimit.limit);
        countRateLimitDecision('ingest', rateLimit.partner, decision.allowed);
        if (!decision.allowed) {
          const seconds = retryAfterSeconds(decision);
          return fail(
            response,
            429,
            'RATE_LIMITED',
            `too many ingest requests from ${rateLimit.partner}; retry after ${seconds} s (nothing in this request was stored)`,
            { 'retry-after': String(seconds) },
          );
        }
      }
      const parsed = parseEventBody(request.headers['content-type'] ?? '', body);
      if ('error' in parsed)
        return fail(
          response,
          parsed.status,
          parsed.status === 415 ? 'BAD_REQUEST' : 'BAD_USER_INPUT',
          parsed.error,
        );
      if (parsed.events.length === 0)
        return fail(response, 400, 'BAD_USER_INPUT', 'the body holds no events');
      if (parsed.events.length > MAX_EVENTS_PER_REQUEST) {
        return fail(
          response,
          413,
          'PAYLOAD_TOO_LARGE',
          `at most ${MAX_EVENTS_PER_REQUEST} events per request; got ${parsed.events.length}`,
        );
      }
      let results: IngestResult[];
      try {
        const wellFormed = parsed.events.map((event, index) => (parsed.malformed.has(index) ? null : event));
        results = await ingestor.ingest(wellFormed);
        for (const [index, reason] of parsed.malformed)
          results[index] = { index, status: 'rejected', reason };
      } catch (error) {
        // Nothing is lost either way: each event's claim is its first write, and a retried event already
        // claimed comes back as a duplicate once its remaining steps are finished (docs/architecture.md §6).
        const retry = 'retry the same request (events already accepted come back as duplicates)';
        if (isStoreUnavailable(error)) {
          scope.log.warn({ err: error }, 'ingest: the store is unreachable');
          return sendError(
            response,
            'route',
            'SERVICE_UNAVAILABLE',
            `the brand's store cannot be reached right now; ${retry} after ${STORE_RETRY_AFTER_SECONDS} s`,
            { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
          );
        }
        scope.log.error({ err: error }, 'ingest failed');
        return sendError(response, 'route', 'INTERNAL_SERVER_ERROR', `events could not be stored; ${retry}`);
      }
      sendJson(response, 200, { summary: summariseResults(results), results });
    },
  };
}
