import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * A response that carries data (even `null`) answers 200, whatever errors came with it (GraphQL over HTTP,
 * application/json). Errors from the registry carry their HTTP status (`AppError`), and Apollo would give a
 * status to the whole response from an error raised by one field; but the gateway reads any non-2xx
 * answer from a subgraph as a failed fetch and would drop the data and the error's own code. Statuses
 * other than 200 stay for requests refused as a whole: a bad token, a query that does not parse or
 * validate, a rate limit.
 */
export function partialResultStatusPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const status = response.http.status ?? 200;
          if (
            response.body.kind === 'single' &&
            response.body.singleResult.data !== undefined &&
            status >= 400
          ) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
