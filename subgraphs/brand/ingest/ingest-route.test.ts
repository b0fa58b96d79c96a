import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrandEventIngestor } from './brand-event-ingestor.js';
import type { IngestResult } from './ingest-result.js';
import { signEventBody } from './event-signature.js';
import { INGEST_PATH, MAX_EVENTS_PER_REQUEST, ingestRoute, parseEventBody } from './ingest-route.js';
import type { RequestScope } from '../../shared/http/request-scope.js';

const body = (text: string): Buffer => Buffer.from(text, 'utf8');
const A = { eventId: 'a' };
const B = { eventId: 'b' };

describe('parseEventBody: JSON', () => {
  it('reads a JSON array of events, with or without a charset', () => {
    expect(parseEventBody('application/json', body(JSON.stringify([A, B])))).toEqual({
      events: [A, B],
      malformed: new Map(),
    });
    expect(parseEventBody('application/json; charset=utf-8', body('[{"eventId":"a"}]'))).toEqual({
      events: [A],
      malformed: new Map(),
    });
  });

  it('keeps elements that are not objects for the validator to reject one by one', () => {
    expect(parseEventBody('application/json', body('[1, null, "x"]'))).toEqual({
      events: [1, null, 'x'],
      malformed: new Map(),
    });
  });

  it('answers 400 for a body that is not JSON', () => {
    expect(parseEventBody('application/json', body('[{"eventId":'))).toEqual({
      status: 400,
      error: 'the body is not valid JSON; send an array of event objects',
    });
    expect(parseEventBody('application/json', body(''))).toMatchObject({ status: 400 });
  });

  it('answers 400 for JSON that is not an array', () => {
    for (const text of ['{"eventId":"a"}', '"a"', '42', 'null']) {
      expect(parseEventBody('application/json', body(text))).toEqual({
        status: 400,
        error: 'the body must be a JSON array of event objects',
      });
    }
  });

  it('reads an empty array as no events (the route refuses it)', () => {
    expect(parseEventBody('application/json', body('[]'))).toEqual({ events: [], malformed: new Map() });
  });
});

describe('parseEventBody: NDJSON', () => {
  it('reads one event per line, from application/x-ndjson and application/jsonl', () => {
    for (const type of ['application/x-ndjson', 'application/jsonl', 'application/x-ndjson; charset=utf-8']) {
      expect(parseEventBody(type, body('{"eventId":"a"}\n{"eventId":"b"}\n'))).toEqual({
        events: [A, B],
        malformed: new Map(),
      });
    }
  });

  it('accepts CRLF line ends and a last line without a newline', () => {
    expect(parseEventBody('application/x-ndjson', body('{"eventId":"a"}\r\n{"eventId":"b"}'))).toEqual({
      events: [A, B],
      malformed: new Map(),
    });
  });

  it('rejects a malformed line on its own, keeping its place so the others keep their indexes', () => {
    const parsed = parseEventBody(
      'application/x-ndjson',
      body('{"eventId":"a"}\n{"eventId":\n{"eventId":"b"}\n'),
    );
    expect(parsed).toEqual({
      events: [A, undefined, B],
      malformed: new Map([[1, 'line 2 is not valid JSON']]),
    });
  });

  it('names a malformed line by its line number in the body, counting blank lines', () => {
    const parsed = parseEventBody('application/x-ndjson', body('{"eventId":"a"}\n\n{oops}\n'));
    expect(parsed).toEqual({ events: [A, undefined], malformed: new Map([[1, 'line 3 is not valid JSON']]) });
  });

  it('reads a body of blank lines as no events', () => {
    expect(parseEventBody('application/x-ndjson', body('\n \n'))).toEqual({
      events: [],
      malformed: new Map(),
    });
  });
});

describe('parseEventBody: content type', () => {
  it('answers 415 for anything but JSON or NDJSON, naming both', () => {
    for (const type of ['text/plain', '', 'application/xml', 'multipart/form-data']) {
      expect(parseEventBody(type, body('[]'))).toEqual({
        status: 415,
        error: 'send events as application/json (an array) or application/x-ndjson (one per line)',
      });
    }
  });
});

/** Drives the route handler with a stand-in ingestor, request and response. */
async function post(
  ingest: (raws: readonly unknown[]) => Promise<IngestResult[]>,
  text: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, string> }> {
  const route = ingestRoute({ ingest } as unknown as BrandEventIngestor, 'route-secret');
  let status = 0;
  let sent = '';
  let sentHeaders: Record<string, string> = {};
  const response = {
    writeHead: (code: number, headers: Record<string, string> = {}) => {
      status = code;
      sentHeaders = headers;
      return response;
    },
    end: (chunk: string) => {
      sent = chunk;
    },
  };
  await route.handle(
    { headers } as unknown as IncomingMessage,
    response as unknown as ServerResponse,
    body(text),
    {
      requestId: 'test-request-id',
      log: { warn: () => undefined, error: () => undefined },
    } as unknown as RequestScope,
  );
  return { status, json: JSON.parse(sent) as Record<string, unknown>, headers: sentHeaders };
}

describe('ingestRoute', () => {
  const signed = (text: string, contentType = 'application/json') => ({
    'content-type': contentType,
    'x-signature': signEventBody(text, 'route-secret'),
  });
  const echo = async (raws: readonly unknown[]): Promise<IngestResult[]> =>
    raws.map((raw, index) =>
      raw === null ? { index, status: 'rejected', reason: 'not an object' } : { index, status: 'accepted' },
    );

  it('serves POST /ingest/events and caps a request at 5000 events', () => {
    expect(INGEST_PATH).toBe('/ingest/events');
    expect(MAX_EVENTS_PER_REQUEST).toBe(5_000);
  });

  it('answers 401 without the partner signature, before looking at the events', async () => {
    const text = '[{"eventId":"a"}]';
    let called = false;
    const ingest = async () => {
      called = true;
      return [];
    };
    const unsigned: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'x-signature': signEventBody(text, 'other-secret') },
    ];
    for (const headers of unsigned) {
      const { status, json } = await post(ingest, text, headers);
      expect(status).toBe(401);
      expect(json).toEqual({
        error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('x-signature') },
      });
    }
    expect(called).toBe(false);
  });

  it('reports each event and a summary; a malformed NDJSON line is reported as rejected', async () => {
    const text = '{"eventId":"a"}\nnot json\n{"eventId":"b"}';
    const { status, json } = await post(echo, text, signed(text, 'application/x-ndjson'));
    expect(status).toBe(200);
    expect(json).toEqual({
      summary: { accepted: 2, duplicate: 0, conflict: 0, rejected: 1 },
      results: [
        { index: 0, status: 'accepted' },
        { index: 1, status: 'rejected', reason: 'line 2 is not valid JSON' },
        { index: 2, status: 'accepted' },
      ],
    });
  });

  it('counts every status in the summary, conflicts included', async () => {
    const text = '[{"eventId":"a"},{"eventId":"a"},{"eventId":"b"}]';
    const statuses: IngestResult['status'][] = ['accepted', 'conflict', 'duplicate'];
    const ingest = async (raws: readonly unknown[]): Promise<IngestResult[]> =>
      raws.map((_, index) => ({ index, status: statuses[index] }));
    const { json } = await post(ingest, text, signed(text));
    expect(json.summary).toEqual({ accepted: 1, duplicate: 1, conflict: 1, rejected: 0 });
  });

  it('answers 400 for no events and 413 for more than 5000, without calling the ingestor', async () => {
    const fail = async (): Promise<IngestResult[]> => {
      throw new Error('must not be called');
    };
    const empty = await post(fail, '[]', signed('[]'));
    expect(empty).toMatchObject({
      status: 400,
      json: { error: { code: 'BAD_USER_INPUT', message: 'the body holds no events' } },
    });
    const many = JSON.stringify(Array.from({ length: 5_001 }, () => ({})));
    const tooMany = await post(fail, many, signed(many));
    expect(tooMany).toMatchObject({
      status: 413,
      json: {
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'at most 5000 events per request; got 5001' },
      },
    });
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the store cannot be reached', async () => {
    const down = async (): Promise<IngestResult[]> => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoNetworkError' });
    };
    const { status, json, headers } = await post(down, '[{"eventId":"a"}]', signed('[{"eventId":"a"}]'));
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('5');
    expect(json).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/retry the same request/) },
    });
  });

  it('answers 500 with a retry hint for any other failure, logged with the request id', async () => {
    const broken = async (): Promise<IngestResult[]> => {
      throw new Error('something else');
    };
    const { status, json } = await post(broken, '[{"eventId":"a"}]', signed('[{"eventId":"a"}]'));
    expect(status).toBe(500);
    expect(json).toEqual({
      error: { code: 'INTERNAL_SERVER_ERROR', message: expect.stringMatching(/retry the same request/) },
    });
  });
});
