import { entityResponseKeys, failedFetchResponse } from './entity-fallback.js';
import { unavailableError } from './subgraph-failure.js';

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

describe('failedFetchResponse', () => {
  it('answers every representation with null fields and names the missing subgraph once', () => {
    const response = failedFetchResponse(
      {
        query: ENTITIES,
        variables: {
          representations: [
            { __typename: 'Member', id: 'M1' },
            { __typename: 'Member', id: 'M2' },
          ],
        },
      },
      [unavailableError('mindspark')],
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

  it('answers a root fetch with the errors alone, since it has no entities to leave empty', () => {
    const errors = [{ message: 'profile answered HTTP 500.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    expect(failedFetchResponse({ query: '{ me { id } }', variables: {} }, errors)).toEqual({ errors });
  });
});
