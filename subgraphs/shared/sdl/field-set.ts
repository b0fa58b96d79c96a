import type {
  DocumentNode,
  FieldNode,
  ObjectTypeDefinitionNode,
  SelectionNode,
  SelectionSetNode,
  TypeNode,
} from 'graphql';
import { Kind, parse, print } from 'graphql';

/** The name of the type a field returns, through its list and non-null wrappers. */
export function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** The object type definitions of an SDL document, by name. */
export function objectTypesOf(document: DocumentNode): Map<string, ObjectTypeDefinitionNode> {
  const types = new Map<string, ObjectTypeDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) types.set(definition.name.value, definition);
  }
  return types;
}

/**
 * Every field of an object type, and of the object types below it, as a selection set: what a `@requires`
 * needs to receive a value whole. Read from the SDL's AST (as `buildASTSchema` reads it), so a field added
 * to the type is required everywhere without anyone editing a selection.
 */
export function completeSelectionSet(
  typeName: string,
  types: ReadonlyMap<string, ObjectTypeDefinitionNode>,
  path: readonly string[] = [],
): SelectionSetNode {
  const type = types.get(typeName);
  if (!type)
    throw new Error(`No object type ${typeName} to select from (${[...path, typeName].join(' > ')})`);
  if (path.includes(typeName)) {
    throw new Error(`${[...path, typeName].join(' > ')} is a cycle: it has no complete selection`);
  }
  const selections = (type.fields ?? []).map((field): FieldNode => {
    const coordinate = `${typeName}.${field.name.value}`;
    if (field.arguments?.length) {
      throw new Error(`${coordinate} takes arguments, so a @requires selection cannot include it`);
    }
    const fieldType = namedTypeOf(field.type);
    return {
      kind: Kind.FIELD,
      name: field.name,
      selectionSet: types.has(fieldType)
        ? completeSelectionSet(fieldType, types, [...path, typeName])
        : undefined,
    };
  });
  return { kind: Kind.SELECTION_SET, selections };
}

/**
 * A federation field set (`@requires(fields:)`): the selections on one line, without the outer braces. A
 * field set has no string values, so folding the printer's line breaks and indentation is safe.
 */
export function printFieldSet(selections: readonly SelectionNode[]): string {
  return selections.map((selection) => print(selection).replace(/\s+/g, ' ')).join(' ');
}

/** The selections of a federation field set. */
export function parseFieldSet(fields: string): readonly SelectionNode[] {
  const [operation] = parse(`{${fields}}`, { noLocation: true }).definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error(`Not a field set: "${fields}"`);
  return operation.selectionSet.selections;
}
