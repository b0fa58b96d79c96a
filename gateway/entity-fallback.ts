import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FieldNode, GraphQLFormattedError, SelectionSetNode } from 'graphql';
import { Kind, parse } from 'graphql';

/** The response keys (alias or name) selected on the entities of an `_entities` query, or null for any other query. */
export function entityResponseKeys(query: string): string[] | null {
  let document;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const entities = operation?.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
  if (!entities?.selectionSet) return null;
  const keys = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD && selection.name.value !== '__typename')
        keys.add((selection.alias ?? selection.name).value);
      if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
    }
  };
  collect(entities.selectionSet);
  return [...keys];
}

/**
 * How a subgraph fetch that failed is answered, so the query plan goes on. An entity fetch answers every
 * entity with each requested field null, plus the errors (the subgraph's own, or one saying it is not
 * answering): the brand's own fields are null, and the profile and benefits subgraphs see the brand's
 * behaviour as missing and say so (`unavailablePartners`) instead of the whole member turning null. Any
 * other fetch answers the errors alone, and its fields are null.
 */
export function failedFetchResponse(
  request: GatewayGraphQLRequest,
  errors: readonly GraphQLFormattedError[],
): GatewayGraphQLResponse {
  const keys = request.query ? entityResponseKeys(request.query) : null;
  const representations = request.variables?.representations;
  if (!keys || !Array.isArray(representations)) return { errors: errors as never };
  return {
    data: {
      _entities: representations.map((r: { __typename?: string }) => ({
        __typename: r.__typename,
        ...Object.fromEntries(keys.map((k) => [k, null])),
      })),
    },
    errors: errors as never,
  };
}
