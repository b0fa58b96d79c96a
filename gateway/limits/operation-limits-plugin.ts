import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationLimitSettings } from '../../subgraphs/shared/config/environment.js';
import type { GatewayContext } from '../gateway-context.js';
import type { OperationDefinitionNode } from 'graphql';
import type { CostModel, OperationMetrics } from './operation-metrics.js';
import { measureOperation } from './operation-metrics.js';
import { costRoleOf, findLimitViolation } from './operation-limits.js';
import type { SubgraphOwnership } from './subgraph-ownership.js';

const MAX_REMEMBERED_VARIABLES_LENGTH = 512;
const MAX_REMEMBERED_VARIABLE_SETS = 64;

/**
 * Enforces the operation limits in `didResolveOperation`: after parsing (already bounded by `maxTokens`)
 * and validation, and before the gateway plans the query, whose cost grows faster than the document.
 * Runs on every request, cached documents included, since the cost depends on variables and role. The
 * measures of an operation (a parsed document the server keeps, so the same object while it is cached) are
 * remembered per value of its variables, when those are short: a mobile app repeats the same few.
 */
export function operationLimitsPlugin(
  limits: OperationLimitSettings,
  ownership: SubgraphOwnership,
  model?: CostModel,
): ApolloServerPlugin<GatewayContext> {
  const measured = new WeakMap<OperationDefinitionNode, Map<string, OperationMetrics>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, source, contextValue }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          const variablesKey = operation.variableDefinitions?.length ? JSON.stringify(variables) : '';
          let byVariables = measured.get(operation);
          let metrics = byVariables?.get(variablesKey);
          if (!metrics) {
            metrics = measureOperation(document, operation, variables, ownership, model);
            if (variablesKey.length <= MAX_REMEMBERED_VARIABLES_LENGTH) {
              if (!byVariables) measured.set(operation, (byVariables = new Map()));
              if (byVariables.size >= MAX_REMEMBERED_VARIABLE_SETS) byVariables.clear();
              byVariables.set(variablesKey, metrics);
            }
          }
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
