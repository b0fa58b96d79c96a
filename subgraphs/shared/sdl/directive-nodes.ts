import type { ArgumentNode, ConstDirectiveNode } from 'graphql';
import { Kind } from 'graphql';

interface Directed {
  readonly directives?: readonly ConstDirectiveNode[];
}

export const findDirective = (node: Directed, name: string): ConstDirectiveNode | undefined =>
  node.directives?.find((d) => d.name.value === name);

export const withoutDirectives = (node: Directed, ...names: string[]): ConstDirectiveNode[] =>
  (node.directives ?? []).filter((d) => !names.includes(d.name.value));

/** The value of a directive's string argument, e.g. `fields` of `@requires(fields: "…")`. */
export function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

export function directiveNode(
  name: string,
  stringArguments: Record<string, string> = {},
): ConstDirectiveNode {
  const args = Object.entries(stringArguments).map(
    ([argument, value]): ArgumentNode & { value: { kind: Kind.STRING } } => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: argument },
      value: { kind: Kind.STRING, value },
    }),
  );
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: name }, arguments: args };
}
