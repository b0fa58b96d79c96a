import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { CommandError, ErrorCode } from '../command-error.js';
import { compileFilter } from '../query/find-documents.js';
import { POSITIONAL_NOT_FOUND } from './update-errors.js';
import { valueAtPath } from '../storage/value-keys.js';

const MISSING_ARRAY_CONDITION = "You must include the array field for '.$' as part of the query document.";

/**
 * Resolves the positional `$` of update paths against one document: the `$` after an array field
 * stands for the first element that satisfies the filter's condition on that field. The filter must
 * have exactly one top-level condition on the array field (or below it), the rule the query engine's
 * own updates follow. The position is taken from the document before the update, as the server does,
 * so the paths of one update all name the same element.
 */
export class PositionalResolver {
  private readonly queries = new Map<string, Query>();
  private readonly positions = new Map<string, number>();

  constructor(
    private readonly doc: Document,
    private readonly filter: Document,
    private readonly inserting: boolean,
  ) {}

  /** `parts` with its `$` segment replaced by the matched index. */
  resolve(parts: readonly string[]): string[] {
    const at = parts.indexOf('$');
    if (at < 0) return [...parts];
    const field = parts.slice(0, at).join('.');
    let position = this.positions.get(field);
    if (position === undefined) {
      position = this.position(parts.slice(0, at), field);
      this.positions.set(field, position);
    }
    const resolved = [...parts];
    resolved[at] = String(position);
    return resolved;
  }

  private position(prefix: string[], field: string): number {
    // An upsert inserts a document the filter never matched, so there is no element to point at.
    if (this.inserting) throw new CommandError(ErrorCode.BadValue, POSITIONAL_NOT_FOUND);
    const keys = Object.keys(this.filter).filter((key) => key === field || key.startsWith(`${field}.`));
    if (keys.length !== 1) throw new CommandError(ErrorCode.BadValue, MISSING_ARRAY_CONDITION);
    const array = valueAtPath(this.doc, field);
    if (!Array.isArray(array)) throw new CommandError(ErrorCode.BadValue, POSITIONAL_NOT_FOUND);
    const key = keys[0];
    let query = this.queries.get(key);
    if (!query) {
      query = compileFilter({ [key]: this.filter[key] });
      this.queries.set(key, query);
    }
    const test = query;
    const index = array.findIndex((element) => test.test(nest(prefix, [element])));
    if (index < 0) throw new CommandError(ErrorCode.BadValue, POSITIONAL_NOT_FOUND);
    return index;
  }
}

/** `{a: {b: value}}` for the prefix `a.b`: the array alone, where the filter's condition can test it. */
function nest(prefix: readonly string[], value: unknown): Document {
  let out: unknown = value;
  for (let i = prefix.length - 1; i >= 0; i -= 1) out = { [prefix[i]]: out };
  return out as Document;
}
