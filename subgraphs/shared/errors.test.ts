import { AppError, ErrorCodes, badInput, formatClientError, unauthenticated } from './errors.js';

describe('AppError', () => {
  it('carries its code and the HTTP status of that code from the registry', () => {
    for (const code of Object.keys(ErrorCodes) as (keyof typeof ErrorCodes)[]) {
      const error = new AppError(code, 'message');
      expect(error.extensions).toMatchObject({ code, http: { status: ErrorCodes[code].status } });
    }
    expect(unauthenticated().extensions.http).toEqual({ status: 401 });
    expect(badInput('no', 'first').extensions).toEqual({
      argumentName: 'first',
      code: 'BAD_USER_INPUT',
      http: { status: 400 },
    });
  });

  it('keeps the code and status from the registry over extensions given by the caller', () => {
    const error = new AppError('FORBIDDEN', 'no', {
      code: 'OTHER',
      http: { status: 200 },
      partner: 'inkwell',
    });
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 }, partner: 'inkwell' });
  });
});

describe('formatClientError', () => {
  it("keeps a registry error's message and drops any stack trace", () => {
    expect(
      formatClientError({ message: 'Not yours.', extensions: { code: 'FORBIDDEN', stacktrace: ['at x'] } }),
    ).toEqual({ message: 'Not yours.', extensions: { code: 'FORBIDDEN' } });
  });

  it('hides anything else behind a generic message', () => {
    expect(formatClientError({ message: 'ECONNREFUSED 10.0.0.7:27017', path: ['me'] })).toEqual({
      message: 'Unexpected server error; quote the request id to an operator.',
      locations: undefined,
      path: ['me'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
