import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Kind } from 'graphql';

/**
 * The member fields a resolver's selection names (through fragments), without `__typename`; with `path`
 * (e.g. `['edges', 'node']` for a connection), the fields selected under that path.
 */
export function selectedFields(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  path: readonly string[] = [],
): string[] {
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, depth: number) => {
    if (!set || depth > path.length + 4) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (depth < path.length) {
          if (selection.name.value === path[depth]) walk(selection.selectionSet, depth + 1);
        } else if (selection.name.value !== '__typename') names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth);
      } else {
        walk(info.fragments[selection.name.value]?.selectionSet, depth);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, 0);
  return [...names].sort();
}
