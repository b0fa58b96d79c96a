import { entityResponseKeys, unavailableEntitiesResponse } from './entity-fallback.js';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Member { __typename mindsparkBehaviour { partner } card: mindspark { brandMemberId } } } }`;

describe('entityResponseKeys', () => {
  it('lists the response keys (aliases included) selected on the entities', () => {
    expect(entityResponseKeys(ENTITIES)).toEqual(['mindsparkBehaviour', 'card']);
  });

  it('is null for anything but an entity fetch, or for a query that does not parse', () => {
    expect(entityResponseKeys('{ me { id } }')).toBeNull();
    expect(entityResponseKeys('{ _entities(')).toBeNull();
  });
});

describe('unavailableEntitiesResponse', () => {
  it('answers every representation with null fields and names the missing subgraph once', () => {
    const response = unavailableEntitiesResponse(
      {
        query: ENTITIES,
        variables: {
          representations: [
            { __typename: 'Member', id: 'M1' },
            { __typename: 'Member', id: 'M2' },
          ],
        },
      },
      'mindspark',
    );
    expect(response?.data).toEqual({
      _entities: [
        { __typename: 'Member', mindsparkBehaviour: null, card: null },
        { __typename: 'Member', mindsparkBehaviour: null, card: null },
      ],
    });
    expect(response?.errors).toEqual([
      {
        message: 'mindspark is not answering right now; its data is left out of this answer.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'mindspark' },
      },
    ]);
  });

  it('does not stand in for a root query, which has no entities to leave empty', () => {
    expect(unavailableEntitiesResponse({ query: '{ me { id } }', variables: {} }, 'profile')).toBeNull();
  });
});
