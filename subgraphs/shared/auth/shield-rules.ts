import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import type { IMiddlewareFieldMap } from 'graphql-middleware';
import { applyMiddleware } from 'graphql-middleware';
import type { IRules } from 'graphql-shield';
import { allow, rule, shield } from 'graphql-shield';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import type { Principal } from './principal.js';

export interface AuthorizedContext {
  principal: Principal;
}

/** A denial: UNAUTHENTICATED for an anonymous caller (they should sign in), FORBIDDEN for everyone else. */
export function deny(principal: Principal, message: string): Error {
  return principal.role === 'anonymous' ? unauthenticated() : forbidden(message);
}

type Check = (
  parent: unknown,
  args: Record<string, unknown>,
  ctx: AuthorizedContext,
) => boolean | Promise<boolean>;

/** A shield rule from a predicate and the message a denied caller reads. Not cached: decisions depend on parent. */
export function allowWhen(message: string, check: Check) {
  return rule({ cache: 'no_cache' })(async (parent, args, ctx: AuthorizedContext) => {
    try {
      return (await check(parent, args, ctx)) ? true : deny(ctx.principal, message);
    } catch (error) {
      // graphql-shield turns anything thrown in a rule into its fallback error (a denial). A check that
      // finds bad input answers with that error; a failure (e.g. the database) is reported as one.
      if (error instanceof GraphQLError) return error;
      return new AppError('INTERNAL_SERVER_ERROR', 'Access could not be checked; retry shortly.');
    }
  });
}

export const isAdmin = (p: Principal): boolean => p.role === 'admin';

/** A rule for fields only a signed-in member may use; `message` says, in the field's words, why. */
export const signedInMemberOnly = (message: string) =>
  allowWhen(message, (_p, _a, ctx) => ctx.principal.role === 'member');
export const isAuthenticated = allowWhen(
  'Sign in to read this.',
  (_p, _a, ctx) => ctx.principal.role !== 'anonymous',
);
export const adminOnly = allowWhen('Only programme operators may do this.', (_p, _a, ctx) =>
  isAdmin(ctx.principal),
);

/** A field of an entity `{ id }` that only the member themself or an operator may read (their export). */
export const memberThemselfOrOperator = allowWhen(
  'Only the member themself or an operator may export their data.',
  (member, _a, ctx) =>
    ctx.principal.role === 'admin' ||
    (ctx.principal.role === 'member' && ctx.principal.memberId === (member as { id: string }).id),
);

/**
 * Applies graphql-shield to a subgraph schema, deny by default. Federation's own `_service` and `_entities`
 * are allowed (the gateway needs them; the fields an entity resolves are still checked one by one).
 *
 * Fields whose rule is `allow` keep their own resolver: shield's wrapper would only await a check that always
 * passes, and make every such field, scalars included, a promise for the executor to wait on (a member's
 * behaviour summary has hundreds). Every other field, those with no rule among them, goes through its rule.
 */
export function applyPermissions(schema: GraphQLSchema, rules: IRules): GraphQLSchema {
  const query = (rules as Record<string, Record<string, unknown>>).Query ?? {};
  const federation = Object.fromEntries(
    ['_service', '_entities']
      .filter((field) => schema.getQueryType()?.getFields()[field])
      .map((field) => [field, allow]),
  );
  const tree = { ...rules, Query: { ...query, ...federation } } as IRules;
  const fallbackRule = rule({ cache: 'contextual' })((_p, _a, ctx: AuthorizedContext) =>
    deny(ctx.principal, 'This field is not open to you.'),
  );
  const permissions = shield(tree, {
    fallbackRule,
    allowExternalErrors: true,
    fallbackError: (thrown) => (thrown instanceof Error ? thrown : forbidden('Not allowed.')),
  });
  const byType = permissions.generate(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, fields] of Object.entries(byType)) {
    for (const field of Object.keys(fields)) {
      if (effectiveRule(tree, typeName, field, fallbackRule) === allow) delete fields[field];
    }
  }
  return applyMiddleware(schema, byType as IMiddlewareFieldMap);
}

/** The rule shield applies to `type.field`: the field's own, else the type's (`*` or a rule for all), else the fallback. */
function effectiveRule(tree: IRules, type: string, field: string, fallback: unknown): unknown {
  const ofType = (tree as Record<string, unknown>)[type];
  if (ofType === undefined) return fallback;
  // A rule (an object with its own `resolve`) covers every field of the type; otherwise a map of fields.
  if (typeof (ofType as { resolve?: unknown }).resolve === 'function') return ofType;
  const map = ofType as Record<string, unknown>;
  return map[field] ?? map['*'] ?? fallback;
}
