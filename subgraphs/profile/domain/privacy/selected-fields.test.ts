import type { FieldNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { Kind, parse } from 'graphql';
import { selectedFields } from './selected-fields.js';

/** The first root field of a document, and its fragments, as a resolver's `info` has them. */
function infoOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectedFields', () => {
  it('names the fields selected on the member, sorted, without __typename or nested fields', () => {
    expect(
      selectedFields(infoOf('{ member(id: "M1") { __typename id profile { tier { code } } id } }')),
    ).toEqual(['id', 'profile']);
  });

  it('reads through inline fragments (entity fetches) and named fragments', () => {
    const info = infoOf(`
      query { _entities(representations: []) { ... on Member { mindsparkAccount ...Details } } }
      fragment Details on Member { displayName partners { partner } }`);
    expect(selectedFields(info)).toEqual(['displayName', 'mindsparkAccount', 'partners']);
  });

  it('reads the fields under a path (the nodes of a connection)', () => {
    const info = infoOf(
      '{ members(first: 2) { totalCount edges { cursor node { id ... on Member { displayName } } } } }',
    );
    expect(selectedFields(info, ['edges', 'node'])).toEqual(['displayName', 'id']);
  });
});
