import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { INTERNAL_TOKEN_HEADER } from '../subgraphs/shared/auth/internal-token.js';
import type { GatewayContext } from './gateway-context.js';

/** Forwards every subgraph request with the gateway-signed internal token and the request id. */
export class InternalTokenDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const ctx = context as Partial<GatewayContext>;
    if (!ctx.internalToken || !request.http) return;
    request.http.headers.set(INTERNAL_TOKEN_HEADER, ctx.internalToken);
    request.http.headers.set('x-request-id', ctx.requestId ?? '');
  }
}
