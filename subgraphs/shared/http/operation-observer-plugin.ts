import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCodes } from '../errors.js';
import { scopeOfContext } from './request-scope.js';

/**
 * Tells the request's scope which operation ran and which error codes it met (for the access log and the
 * metrics), and logs every unexpected error with its cause and the request id: the client sees only
 * INTERNAL_SERVER_ERROR and the id (`formatClientError`), the operator finds the rest by that id.
 */
export function operationObserverPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ contextValue }) {
      const scope = scopeOfContext(contextValue);
      if (!scope) return;
      return {
        async didResolveOperation({ operationName }) {
          scope.operation = operationName ?? 'anonymous';
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            const known = typeof code === 'string' && code in ErrorCodes;
            scope.errorCodes.add(known ? code : 'INTERNAL_SERVER_ERROR');
            if (known && code !== 'INTERNAL_SERVER_ERROR') continue;
            scope.log.error(
              { err: error.originalError ?? error, path: error.path?.join('.') },
              'unexpected error while answering a GraphQL request',
            );
          }
        },
      };
    },
  };
}
