import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_TOKEN_HEADER } from '../subgraphs/shared/auth/internal-token.js';
import { unavailableEntitiesResponse } from './entity-fallback.js';
import type { GatewayContext } from './gateway-context.js';

/**
 * Forwards every subgraph request with the gateway-signed internal token and the request id. With
 * `degradeWhenUnreachable` (brand subgraphs), an entity fetch that cannot reach the subgraph answers null
 * fields and an error instead of failing, so the rest of the member still resolves (partial results).
 */
export class InternalTokenDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly subgraphName: string,
    private readonly degradeWhenUnreachable: boolean,
  ) {
    super(config);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const fallback = this.degradeWhenUnreachable
        ? unavailableEntitiesResponse(options.request, this.subgraphName)
        : null;
      if (!fallback) throw error;
      return fallback;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const ctx = context as Partial<GatewayContext>;
    if (!ctx.internalToken || !request.http) return;
    request.http.headers.set(INTERNAL_TOKEN_HEADER, ctx.internalToken);
    request.http.headers.set('x-request-id', ctx.requestId ?? '');
  }
}
