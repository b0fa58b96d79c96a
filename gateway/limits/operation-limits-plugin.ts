import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationLimitSettings } from '../../subgraphs/shared/config/environment.js';
import type { GatewayContext } from '../gateway-context.js';
import type { CostModel } from './operation-metrics.js';
import { measureOperation } from './operation-metrics.js';
import { costRoleOf, findLimitViolation } from './operation-limits.js';
import type { SubgraphOwnership } from './subgraph-ownership.js';

/**
 * Enforces the operation limits in `didResolveOperation`: after parsing (already bounded by `maxTokens`)
 * and validation, and before the gateway plans the query, whose cost grows faster than the document.
 * Runs on every request, cached documents included, since the cost depends on variables and role.
 */
export function operationLimitsPlugin(
  limits: OperationLimitSettings,
  ownership: SubgraphOwnership,
  model?: CostModel,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, source, contextValue }) {
          if (!operation) return;
          const metrics = measureOperation(document, operation, request.variables ?? {}, ownership, model);
          const violation = findLimitViolation(
            metrics,
            Buffer.byteLength(source ?? '', 'utf8'),
            limits,
            costRoleOf(contextValue.principal),
          );
          if (violation) throw violation;
        },
      };
    },
  };
}
