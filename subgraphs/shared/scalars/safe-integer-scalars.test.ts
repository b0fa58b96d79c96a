import type { ExecutionResult } from 'graphql';
import { GraphQLObjectType, GraphQLSchema, graphql } from 'graphql';
import { MinorUnitsScalar, PointsScalar, SAFE_INTEGER_LIMIT } from './safe-integer-scalars.js';

/** A schema that echoes its argument and serialises whatever value the test puts behind `stored`. */
function echoSchema(stored: () => unknown): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: {
          type: MinorUnitsScalar,
          args: { x: { type: MinorUnitsScalar } },
          resolve: (_, args) => args.x,
        },
        stored: { type: PointsScalar, resolve: stored },
      },
    }),
  });
}

const run = (source: string, variableValues?: Record<string, unknown>, stored: () => unknown = () => 0) =>
  graphql({ schema: echoSchema(stored), source, variableValues }) as Promise<ExecutionResult>;

const codes = (result: ExecutionResult) => (result.errors ?? []).map((e) => e.extensions.code);

describe('MinorUnits and Points on output', () => {
  it.each([0, -5, 2_147_483_648, 300_000_000_000, SAFE_INTEGER_LIMIT, -SAFE_INTEGER_LIMIT])(
    'send %d as the same JSON integer',
    async (value) => {
      const result = await run('{ stored }', undefined, () => value);
      expect(result).toEqual({ data: { stored: value } });
      expect(JSON.parse(JSON.stringify(result))).toEqual({ data: { stored: value } });
    },
  );

  it('send a 64-bit count within the range as a number', async () => {
    expect(await run('{ stored }', undefined, () => 3_000_000_000n)).toEqual({
      data: { stored: 3_000_000_000 },
    });
  });

  it.each([
    [SAFE_INTEGER_LIMIT + 1, '9007199254740992'],
    [2n ** 60n, '1152921504606846976'],
    [12.5, '12.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['100', '"100"'],
    [true, 'true'],
  ])(
    'refuse %p with an AMOUNT_OUT_OF_RANGE error naming it, never a rounded number',
    async (value, shown) => {
      const result = await run('{ stored }', undefined, () => value);
      expect(result.data).toEqual({ stored: null });
      expect(codes(result)).toEqual(['AMOUNT_OUT_OF_RANGE']);
      expect(result.errors?.[0].message).toBe(
        `Points is a whole number of points between -9007199254740991 and 9007199254740991; this one (${shown}) cannot be sent exactly.`,
      );
      expect(result.errors?.[0].path).toEqual(['stored']);
    },
  );
});

describe('MinorUnits and Points on input', () => {
  it('accept a JSON integer past 2^31 in a variable and a literal', async () => {
    expect(await run('query ($x: MinorUnits) { echo(x: $x) }', { x: 4_294_967_296 })).toEqual({
      data: { echo: 4_294_967_296 },
    });
    expect(await run('{ echo(x: 9007199254740991) }')).toEqual({ data: { echo: SAFE_INTEGER_LIMIT } });
  });

  it.each([[12.5], ['100'], [SAFE_INTEGER_LIMIT + 1], [{ amount: 1 }]])(
    'refuse the variable %p as BAD_USER_INPUT',
    async (x) => {
      const result = await run('query ($x: MinorUnits) { echo(x: $x) }', { x });
      expect(result.data).toBeUndefined();
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0].message).toContain(
        'MinorUnits is a whole number of minor units between -9007199254740991 and 9007199254740991; got',
      );
    },
  );

  it.each(['9007199254740993', '-9007199254740992', '12.0', '"12"'])(
    'refuse the literal %s as BAD_USER_INPUT naming it',
    async (literal) => {
      const result = await run(`{ echo(x: ${literal}) }`);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0].message).toContain(`got ${literal}.`);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    },
  );
});
