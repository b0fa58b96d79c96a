import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FieldNode, SelectionSetNode } from 'graphql';
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
 * What a brand subgraph that cannot be reached "answers" for an entity fetch: every entity with each
 * requested field null, and one error saying which brand is missing. The query plan then goes on: the
 * brand's own fields are null, and the profile and benefits subgraphs see the brand's behaviour as missing
 * and say so (`unavailablePartners`) instead of the whole member turning null.
 */
export function unavailableEntitiesResponse(
  request: GatewayGraphQLRequest,
  subgraph: string,
): GatewayGraphQLResponse | null {
  const keys = request.query ? entityResponseKeys(request.query) : null;
  const representations = request.variables?.representations;
  if (!keys || !Array.isArray(representations)) return null;
  return {
    data: {
      _entities: representations.map((r: { __typename?: string }) => ({
        __typename: r.__typename,
        ...Object.fromEntries(keys.map((k) => [k, null])),
      })),
    },
    errors: [
      {
        message: `${subgraph} is not answering right now; its data is left out of this answer.`,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph },
      } as never,
    ],
  };
}
