import { classifyFetchError, errorsFromFailedAnswer } from './subgraph-failure.js';

describe('classifyFetchError', () => {
  it('reads our timeout signal as a timeout', () => {
    expect(classifyFetchError(new DOMException('timed out', 'TimeoutError'))).toEqual({
      kind: 'timeout',
      cause: 'TimeoutError',
    });
  });

  it("finds the system error undici wraps in 'fetch failed'", () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyFetchError(refused)).toEqual({ kind: 'unreachable', cause: 'ECONNREFUSED' });
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(classifyFetchError(reset)).toEqual({ kind: 'unreachable', cause: 'UND_ERR_SOCKET' });
  });

  it('recognises errors by shape, whatever realm made them', () => {
    expect(
      classifyFetchError({ name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNRESET' } }),
    ).toEqual({
      kind: 'unreachable',
      cause: 'ECONNRESET',
    });
  });

  it('leaves anything else to the caller', () => {
    expect(classifyFetchError(new SyntaxError('Unexpected token < in JSON'))).toBeNull();
    expect(classifyFetchError('boom')).toBeNull();
  });
});

describe('errorsFromFailedAnswer', () => {
  it("passes on the subgraph's own errors with their code, message and path, and nothing else", () => {
    const body = {
      errors: [
        {
          message: 'This subgraph only answers requests signed by the gateway.',
          path: ['_entities', 0, 'mindspark'],
          extensions: { code: 'UNAUTHENTICATED', stacktrace: ['at x'], http: { status: 401 } },
        },
      ],
    };
    expect(errorsFromFailedAnswer('mindspark', 401, body)).toEqual([
      {
        message: 'This subgraph only answers requests signed by the gateway.',
        path: ['_entities', 0, 'mindspark'],
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ]);
  });

  it('gives a body without errors one error whose code follows the status', () => {
    expect(errorsFromFailedAnswer('inkwell', 403, '<html>')).toEqual([
      { message: 'inkwell answered HTTP 403.', extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(errorsFromFailedAnswer('inkwell', 500, null)[0].extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
