import type { GraphQLFormattedError } from 'graphql';
import { serviceUnavailableStatusPlugin } from './service-unavailable-status-plugin.js';

type Data = Record<string, unknown> | null | undefined;

/** Runs the plugin's willSendResponse on a single result; returns the status and Retry-After it leaves. */
async function answer(data: Data, errors: GraphQLFormattedError[] | undefined) {
  const headers = new Map<string, string>();
  const response = {
    http: { status: 200 as number | undefined, headers },
    body: { kind: 'single' as const, singleResult: { data, errors } },
  };
  const hooks = await serviceUnavailableStatusPlugin().requestDidStart!({} as never);
  await hooks!.willSendResponse!({ response } as never);
  return { status: response.http.status, retryAfter: headers.get('retry-after') };
}

const unavailable: GraphQLFormattedError = {
  message: 'The data store cannot be reached right now',
  path: ['me'],
  extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
};

describe('serviceUnavailableStatusPlugin', () => {
  it('answers 503 with Retry-After when a store outage leaves every root field null', async () => {
    expect(await answer({ me: null }, [unavailable])).toEqual({ status: 503, retryAfter: '5' });
    expect(await answer(null, [unavailable])).toEqual({ status: 503, retryAfter: '5' });
  });

  it('keeps 200 when some data came through, or when the errors are of another kind', async () => {
    expect(await answer({ me: null, partners: [] }, [unavailable])).toEqual({
      status: 200,
      retryAfter: undefined,
    });
    const other = { message: 'no', extensions: { code: 'FORBIDDEN' } };
    expect(await answer({ me: null }, [other])).toEqual({ status: 200, retryAfter: undefined });
    expect(await answer({ me: { id: 'm' } }, undefined)).toEqual({ status: 200, retryAfter: undefined });
  });
});
