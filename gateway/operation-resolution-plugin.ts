import type { ApolloServerPlugin } from '@apollo/server';
import { AppError } from '../subgraphs/shared/errors.js';
import type { GatewayContext } from './gateway-context.js';

/**
 * Refuses, as the client's mistake (HTTP 400), a request whose operation cannot run: `operationName` names
 * none of the document's operations, the document holds several and names none, or the operation is a
 * subscription, which the supergraph does not have. Left to the gateway's executor, each of these becomes
 * an unexplained HTTP 500.
 */
export function operationResolutionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          if (!operation) {
            const message = request.operationName
              ? `The document has no operation named "${request.operationName.slice(0, 100)}".`
              : 'The document holds several operations; name the one to run in `operationName`.';
            throw new AppError('OPERATION_RESOLUTION_FAILURE', message, { http: { status: 400 } });
          }
          if (!schema.getRootType(operation.operation)) {
            throw new AppError(
              'GRAPHQL_VALIDATION_FAILED',
              `The graph has no ${operation.operation} operations.`,
              {
                http: { status: 400 },
              },
            );
          }
        },
      };
    },
  };
}
