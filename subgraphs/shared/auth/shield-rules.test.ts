import { allow } from 'graphql-shield';
import type { ExecutionResult, GraphQLFieldResolver, GraphQLObjectType } from 'graphql';
import { buildSchema, execute, parse } from 'graphql';
import type { Principal } from './principal.js';
import { ANONYMOUS } from './principal.js';
import { applyPermissions, isAuthenticated } from './shield-rules.js';

const typeDefs = /* GraphQL */ `
  type Query {
    open: Summary
    guarded: String
    unruled: String
    mixed: Mixed
  }
  type Summary {
    count: Int
    categories: [Category]
    failing: String
  }
  type Category {
    name: String
    share: Float
  }
  type Mixed {
    visible: String
    hidden: String
    starred: String
  }
`;

/** The schema with these resolvers (by type and field); the other fields read their parent's property. */
function withResolvers(resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>>) {
  const built = buildSchema(typeDefs);
  for (const [type, fields] of Object.entries(resolvers)) {
    const fieldMap = (built.getType(type) as GraphQLObjectType).getFields();
    for (const [field, resolve] of Object.entries(fields)) fieldMap[field].resolve = resolve;
  }
  return built;
}

const schema = applyPermissions(
  withResolvers({
    Query: {
      open: () => ({
        count: 2,
        categories: [
          { name: 'a', share: 0.25 },
          { name: 'b', share: 0.75 },
        ],
      }),
      guarded: () => 'for the signed-in',
      unruled: () => 'nobody',
      mixed: () => ({ visible: 'v', hidden: 'h', starred: 's' }),
    },
    Summary: {
      failing: () => {
        throw new Error('the summary failed');
      },
    },
  }),
  {
    Query: { open: allow, guarded: isAuthenticated, mixed: allow },
    Summary: allow,
    Category: allow,
    Mixed: { '*': isAuthenticated, visible: allow },
  },
);

const run = (query: string, principal: Principal) =>
  execute({ schema, document: parse(query), contextValue: { principal } });

const codes = (result: ExecutionResult) => result.errors?.map((error) => error.extensions.code) ?? [];

describe('applyPermissions', () => {
  it('resolves fields whose rule is allow as they are: no promise per field', () => {
    const result = run('{ open { count categories { name share } } }', ANONYMOUS);
    // Every field on the way is allowed and resolves synchronously, so the whole answer is: were any field
    // wrapped by shield, execute would return a promise.
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({
      data: {
        open: {
          count: 2,
          categories: [
            { name: 'a', share: 0.25 },
            { name: 'b', share: 0.75 },
          ],
        },
      },
    });
  });

  it('still reports the error of an allowed field that fails', async () => {
    const result = await run('{ open { count failing } }', ANONYMOUS);
    expect(result.data).toEqual({ open: { count: 2, failing: null } });
    expect(result.errors?.map((error) => error.message)).toEqual(['the summary failed']);
  });

  it('denies fields without a rule, and checks every other rule', async () => {
    const anonymous = await run('{ unruled guarded }', ANONYMOUS);
    expect(anonymous.data).toEqual({ unruled: null, guarded: null });
    expect(codes(anonymous).sort()).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);

    const member: Principal = { role: 'member', memberId: 'M000001' };
    const signedIn = await run('{ unruled guarded }', member);
    expect(signedIn.data).toEqual({ unruled: null, guarded: 'for the signed-in' });
    expect(codes(signedIn)).toEqual(['FORBIDDEN']);
  });

  it("applies a type's `*` rule to the fields that have none of their own", async () => {
    const anonymous = await run('{ mixed { visible hidden starred } }', ANONYMOUS);
    expect(anonymous.data).toEqual({ mixed: { visible: 'v', hidden: null, starred: null } });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const member: Principal = { role: 'member', memberId: 'M000001' };
    expect(await run('{ mixed { visible hidden starred } }', member)).toEqual({
      data: { mixed: { visible: 'v', hidden: 'h', starred: 's' } },
    });
  });
});
