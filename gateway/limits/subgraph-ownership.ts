import type {
  ConstValueNode,
  DirectiveNode,
  FieldDefinitionNode,
  InterfaceTypeDefinitionNode,
  ObjectTypeDefinitionNode,
  ObjectTypeExtensionNode,
  TypeNode,
} from 'graphql';
import { Kind, parse } from 'graphql';

/** What the cost estimate needs to know of one field of the supergraph. */
export interface FieldOwnership {
  /** Name of the type the field returns (lists and non-null unwrapped). */
  returnType: string;
  returnsList: boolean;
  /** Subgraphs that resolve the field themselves (not as `external`). */
  owners: readonly string[];
  /** Subgraphs the field's `@requires` inputs come from (a fetch each before the field's own). */
  requiresFrom: readonly string[];
  /** The field takes a page size (`first`), with this default when the SDL gives one. */
  paging?: { defaultSize?: number };
}

/** Type name → field name → ownership, read from the `@join__*` directives of a supergraph. */
export type SubgraphOwnership = ReadonlyMap<string, ReadonlyMap<string, FieldOwnership>>;

type TypeDefinition = ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode;

function unwrap(type: TypeNode): { name: string; list: boolean } {
  if (type.kind === Kind.NAMED_TYPE) return { name: type.name.value, list: false };
  const inner = unwrap(type.type);
  return { name: inner.name, list: inner.list || type.kind === Kind.LIST_TYPE };
}

function argument(directive: DirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value as ConstValueNode | undefined;
}

const enumValue = (value: ConstValueNode | undefined): string | undefined =>
  value?.kind === Kind.ENUM ? value.value : undefined;

const isTrue = (value: ConstValueNode | undefined): boolean => value?.kind === Kind.BOOLEAN && value.value;

/** The top-level field names of a `@requires` field set such as `"a b { c }"`. */
function requiredFieldNames(fieldSet: string): string[] {
  const document = parse(`{ ${fieldSet} }`);
  const operation = document.definitions[0];
  if (operation.kind !== Kind.OPERATION_DEFINITION) return [];
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

function paging(field: FieldDefinitionNode): FieldOwnership['paging'] {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return undefined;
  return first.defaultValue?.kind === Kind.INT ? { defaultSize: Number(first.defaultValue.value) } : {};
}

/**
 * Reads which subgraph owns each field from a composed supergraph SDL. Only the `@join__type` /
 * `@join__field` directives and the shape of each field (list or not, named type) are read, never the
 * scalar types themselves, so retyping a leaf field changes nothing here.
 */
export function readSubgraphOwnership(supergraphSdl: string): SubgraphOwnership {
  const document = parse(supergraphSdl);
  const definitions = document.definitions.filter(
    (d): d is TypeDefinition =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION ||
      d.kind === Kind.OBJECT_TYPE_EXTENSION ||
      d.kind === Kind.INTERFACE_TYPE_DEFINITION,
  );
  const typeGraphs = new Map<string, string[]>();
  for (const type of definitions) {
    const graphs = (type.directives ?? [])
      .filter((d) => d.name.value === 'join__type')
      .flatMap((d) => enumValue(argument(d, 'graph')) ?? []);
    typeGraphs.set(type.name.value, [...(typeGraphs.get(type.name.value) ?? []), ...graphs]);
  }

  const ownership = new Map<string, Map<string, FieldOwnership>>();
  const pendingRequires: {
    type: string;
    field: FieldOwnership & { requiresFrom: string[] };
    names: string[];
  }[] = [];
  for (const type of definitions) {
    const fields = ownership.get(type.name.value) ?? new Map<string, FieldOwnership>();
    ownership.set(type.name.value, fields);
    for (const field of type.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const resolving = joins.filter((d) => !isTrue(argument(d, 'external')));
      const owners = joins.length
        ? resolving.flatMap((d) => enumValue(argument(d, 'graph')) ?? [])
        : (typeGraphs.get(type.name.value) ?? []);
      const { name, list } = unwrap(field.type);
      const entry = {
        returnType: name,
        returnsList: list,
        owners: [...new Set(owners)],
        requiresFrom: [] as string[],
        paging: paging(field),
      };
      fields.set(field.name.value, entry);
      const requires = resolving.map((d) => argument(d, 'requires')).find((v) => v?.kind === Kind.STRING);
      if (requires?.kind === Kind.STRING) {
        pendingRequires.push({
          type: type.name.value,
          field: entry,
          names: requiredFieldNames(requires.value),
        });
      }
    }
  }
  // Resolved once every field is known: a required field's owners are the subgraphs fetched first.
  for (const { type, field, names } of pendingRequires) {
    const from = new Set<string>();
    for (const name of names) {
      for (const owner of ownership.get(type)?.get(name)?.owners ?? []) {
        if (!field.owners.includes(owner)) from.add(owner);
      }
    }
    field.requiresFrom.push(...from);
  }
  return ownership;
}
