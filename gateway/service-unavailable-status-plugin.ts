import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { STORE_RETRY_AFTER_SECONDS } from '../subgraphs/shared/db/store-unavailable.js';

/**
 * A response with nothing in it because a store is unreachable answers 503 with `Retry-After`: every root
 * field is null (or there is no data) and a subgraph said SERVICE_UNAVAILABLE. Clients, load balancers and
 * monitors then see an outage, not a success, and know when to retry. A response that still carries some
 * data keeps its 200 (`partialResultStatusPlugin`), the error telling which part is missing; so this plugin
 * runs after that one.
 */
export function serviceUnavailableStatusPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const unavailable = errors?.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
          if (!unavailable) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          const retryAfter = unavailable.extensions?.retryAfterSeconds;
          response.http.status = 503;
          response.http.headers.set(
            'retry-after',
            String(typeof retryAfter === 'number' ? retryAfter : STORE_RETRY_AFTER_SECONDS),
          );
        },
      };
    },
  };
}
