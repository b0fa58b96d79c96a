import { GraphQLScalarType } from 'graphql';
import { mergeFeatureMaps } from './feature-maps.js';

describe('mergeFeatureMaps', () => {
  it('merges the fields of each type across features', () => {
    const a = { Query: { me: 1 }, Member: { wallet: 2 } };
    const b = { Member: { benefits: 3 }, Benefit: { id: 4 } };
    expect(mergeFeatureMaps<Record<string, unknown>>([a, b], 'resolvers')).toEqual({
      Query: { me: 1 },
      Member: { wallet: 2, benefits: 3 },
      Benefit: { id: 4 },
    });
    expect(a.Member).toEqual({ wallet: 2 });
  });

  it('refuses a field two features both define', () => {
    expect(() =>
      mergeFeatureMaps<Record<string, unknown>>(
        [{ Member: { wallet: 1 } }, { Member: { wallet: 2 } }],
        'resolvers',
      ),
    ).toThrow('resolvers: "Member.wallet" is defined by two features.');
  });

  it('keeps a type-wide value (a scalar, a shield rule for "*") from one feature, and refuses a second', () => {
    const scalar = new GraphQLScalarType({ name: 'Points' });
    expect(mergeFeatureMaps<Record<string, unknown>>([{ Points: scalar }], 'resolvers').Points).toBe(scalar);
    expect(() =>
      mergeFeatureMaps<Record<string, unknown>>([{ Points: scalar }, { Points: { x: 1 } }], 'resolvers'),
    ).toThrow('"Points" is defined by two features');
  });
});
