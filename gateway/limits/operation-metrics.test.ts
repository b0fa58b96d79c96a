import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { getOperationAST, parse } from 'graphql';
import { supergraphPath } from '../../subgraphs/shared/config/paths.js';
import { DEFAULT_COST_MODEL, measureOperation } from './operation-metrics.js';
import { readSubgraphOwnership } from './subgraph-ownership.js';

const ownership = readSubgraphOwnership(readFileSync(supergraphPath(), 'utf8'));
const { fetchWeight: F, assumedListSize: L } = DEFAULT_COST_MODEL;

function measure(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document: DocumentNode = parse(query);
  return measureOperation(document, getOperationAST(document, operationName)!, variables, ownership);
}

describe('readSubgraphOwnership', () => {
  it('reads owners, @requires sources and paging from the join directives', () => {
    const member = ownership.get('Member')!;
    expect(member.get('mindspark')?.owners).toEqual(['MINDSPARK']);
    expect(member.get('profile')?.owners).toEqual(['PROFILE']);
    expect([...member.get('profile')!.requiresFrom].sort()).toEqual([
      'INKWELL',
      'MINDSPARK',
      'PULSEFIT',
      'STARLIGHT',
    ]);
    // `consentedPartners` is external in benefits: only profile resolves it.
    expect(member.get('consentedPartners')?.owners).toEqual(['PROFILE']);
    expect(ownership.get('Query')!.get('members')?.paging).toEqual({ defaultSize: 20 });
    expect(ownership.get('BrandMembership')!.get('recentOrders')).toMatchObject({
      returnsList: true,
      paging: { defaultSize: 5 },
    });
  });
});

describe('measureOperation', () => {
  it('counts one root fetch and one field per selection on a single subgraph', () => {
    // me (1) + displayName (1) + id (1), one fetch from profile.
    expect(measure('{ me { id displayName } }')).toEqual({
      depth: 2,
      aliases: 0,
      rootFields: 1,
      directives: 0,
      cost: 3 + F,
    });
  });

  it('adds a fetch for each other subgraph a selection set reaches', () => {
    // me: 1 + (mindspark 1 + brandMemberId 1 + inkwell 1 + brandMemberId 1 + two entity fetches).
    expect(measure('{ me { mindspark { brandMemberId } inkwell { brandMemberId } } }').cost).toBe(
      1 + (4 + 2 * F) + F,
    );
  });

  it('counts the fetches a @requires field needs: each brand for its inputs, then its own', () => {
    // profile needs the four brands' behaviour, then a second profile fetch: 5 fetches under me.
    expect(measure('{ me { profile { compositeScore } } }').cost).toBe(1 + (2 + 5 * F) + F);
  });

  it('multiplies what a list selects by its page size, from a literal, a variable or the SDL default', () => {
    const history = (first: string) =>
      `query($n: Int) { me { wallet { history(${first}) { edges { node { points } } } } } }`;
    // history is a connection: its page size applies to the edges list under it.
    const cost = (n: number) => 1 + (1 + (1 + (1 + n * (1 + 1))) + F) + F;
    expect(measure(history('first: 7')).cost).toBe(cost(7));
    expect(measure(history('first: $n'), { n: 30 }).cost).toBe(cost(30));
    expect(measure(history('first: $n'), {}).cost).toBe(cost(20));
    // Beyond the largest page the subgraph refuses the argument; the estimate stops at 100.
    expect(measure(history('first: 100000')).cost).toBe(cost(100));
  });

  it('assumes a size for lists that do not page', () => {
    const affinities = measure('{ me { profile { affinities { share } } } }').cost;
    expect(affinities).toBe(1 + (1 + (1 + L * 1) + 5 * F) + F);
  });

  it('counts aliases, root fields and directives through fragments, where they are spread', () => {
    const metrics = measure(
      `
      query Q($skip: Boolean!) { ...Roots ...Roots a: me @skip(if: $skip) { id } }
      fragment Roots on Query { x: me { id } y: me { ...Id } }
      fragment Id on Member { id @include(if: true) }`,
      { skip: false },
    );
    expect(metrics).toMatchObject({ aliases: 5, rootFields: 5, directives: 3, depth: 2 });
  });

  it('stays linear on fragments that double at every level, and reports the expanded size', () => {
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, i) =>
        `fragment F${i} on Member { ${i + 1 < levels ? `a${i}: id ...F${i + 1} b${i}: id ...F${i + 1}` : 'id'} }`,
    ).join('\n');
    const metrics = measure(`{ me { ...F0 } } ${fragments}`);
    expect(metrics.aliases).toBeGreaterThan(2 ** 39);
    expect(metrics.cost).toBeGreaterThan(2 ** 39);
  });

  it('counts nesting depth and leaves introspection out of depth and cost', () => {
    expect(measure('{ members { edges { node { partners { consent { granted } } } } } }').depth).toBe(6);
    const introspection = measure(
      '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }',
    );
    expect(introspection).toMatchObject({ depth: 1, cost: 1 });
  });

  it('measures the operation named by operationName', () => {
    const document = 'query A { me { id } } query B { me { id displayName joinedAt } }';
    expect(measure(document, {}, 'B').cost).toBe(4 + F);
  });
});
