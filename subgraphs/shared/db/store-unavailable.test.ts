import { GraphQLError } from 'graphql';
import { isStoreUnavailable, storeUnavailableAsServiceUnavailable } from './store-unavailable.js';

const named = (name: string, message = 'x'): Error => Object.assign(new Error(message), { name });

describe('isStoreUnavailable', () => {
  it('recognises the driver errors of an unreachable store', () => {
    for (const name of [
      'MongoServerSelectionError',
      'MongooseServerSelectionError',
      'MongoNetworkError',
      'MongoNetworkTimeoutError',
      'MongoNotConnectedError',
      'MongoTopologyClosedError',
      'MongoPoolClearedError',
    ])
      expect(isStoreUnavailable(named(name))).toBe(true);
    expect(
      isStoreUnavailable(
        named('MongooseError', 'Operation `events.find()` buffering timed out after 2000ms'),
      ),
    ).toBe(true);
  });

  it('finds it wrapped by GraphQL (originalError) or as a cause', () => {
    const wrapped = new GraphQLError('boom', { originalError: named('MongoNetworkError') });
    expect(isStoreUnavailable(wrapped)).toBe(true);
    expect(isStoreUnavailable(new Error('outer', { cause: named('MongoServerSelectionError') }))).toBe(true);
  });

  it('leaves other failures alone: a duplicate key, a bug, a value that is not an error', () => {
    expect(isStoreUnavailable(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    expect(isStoreUnavailable(named('MongooseError', 'Cast to ObjectId failed'))).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnavailable('MongoNetworkError')).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});

describe('storeUnavailableAsServiceUnavailable', () => {
  const formatted = {
    message: 'connect ECONNREFUSED',
    path: ['me'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };

  it('turns an unreachable store into SERVICE_UNAVAILABLE with the retry delay, keeping the path', () => {
    const error = new GraphQLError('x', { originalError: named('MongoNetworkError') });
    expect(storeUnavailableAsServiceUnavailable(formatted, error)).toEqual({
      message: expect.stringContaining('cannot be reached'),
      path: ['me'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
    });
  });

  it('passes anything else through unchanged', () => {
    expect(storeUnavailableAsServiceUnavailable(formatted, new Error('bug'))).toBe(formatted);
  });
});
