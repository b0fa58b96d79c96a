import { Query as FullQuery } from 'mingo';
import { Context } from 'mingo/core';
import * as queryOperators from 'mingo/operators/query';
import { Query } from 'mingo/query';
import type { Document } from 'bson';

/**
 * A filter needs only the query operators unless it evaluates aggregation expressions (`$expr`).
 * Every query copies the operator tables of the context it is given, and the full context holds all
 * ~230 operators, so a plain filter compiled with the query operators alone costs a fraction.
 */
const QUERY_OPERATORS_ONLY = Context.init({ query: queryOperators });

function usesExpressions(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(usesExpressions);
  for (const key of Object.keys(value)) {
    if (key === '$expr') return true;
    if (usesExpressions((value as Document)[key])) return true;
  }
  return false;
}

/** Compiles a filter with the query engine; `variables` are the `$$name` values for `$expr`. */
export function newFilterQuery(filter: Document, variables?: Document): Query {
  if (variables || usesExpressions(filter)) return new FullQuery(filter, variables ? { variables } : {});
  return new Query(filter, { context: QUERY_OPERATORS_ONLY });
}
