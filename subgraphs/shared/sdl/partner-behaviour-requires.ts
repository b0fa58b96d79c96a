import type {
  DocumentNode,
  FieldDefinitionNode,
  FieldNode,
  ObjectTypeDefinitionNode,
  SelectionNode,
  TypeNode,
} from 'graphql';
import { Kind, visit } from 'graphql';
import { PARTNER_FIELD_DIRECTIVE } from './brand-document.js';
import { directiveNode, findDirective, stringArgument, withoutDirectives } from './directive-nodes.js';
import { completeSelectionSet, namedTypeOf, parseFieldSet, printFieldSet } from './field-set.js';
import { partnerFieldNames } from './partner-field-names.js';

/**
 * Marks a field of the profile or benefits template that needs every partner's behaviour summary: it gets
 * `@requires` on each `<partner>Behaviour` (whole), after what its own `@requires` already names, and its
 * type gets those fields as `@external`.
 */
export const REQUIRES_PARTNER_BEHAVIOURS_DIRECTIVE = 'requiresPartnerBehaviours';

/** The type of the behaviour field the brand template declares (`BrandBehaviour`): the one source of it. */
export function behaviourFieldType(brandTemplate: DocumentNode): TypeNode {
  for (const definition of brandTemplate.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const field = definition.fields?.find(
      (f) => f.name.value === 'behaviour' && findDirective(f, PARTNER_FIELD_DIRECTIVE),
    );
    if (field) return field.type;
  }
  throw new Error(`schema/brand/ declares no "behaviour" field marked @${PARTNER_FIELD_DIRECTIVE}`);
}

interface PartnerBehaviours {
  /** `"Required from the mindspark subgraph." mindsparkBehaviour: BrandBehaviour @external`, … */
  externals: FieldDefinitionNode[];
  /** `mindsparkBehaviour { partner windowDays … categories { … } }`, … */
  selections: FieldNode[];
}

function partnerBehaviours(
  partnerKeys: readonly string[],
  behaviourType: TypeNode,
  types: ReadonlyMap<string, ObjectTypeDefinitionNode>,
): PartnerBehaviours {
  const wholeBehaviour = completeSelectionSet(namedTypeOf(behaviourType), types);
  const name = (key: string) => ({ kind: Kind.NAME, value: partnerFieldNames(key).behaviour }) as const;
  return {
    externals: partnerKeys.map((key) => ({
      kind: Kind.FIELD_DEFINITION,
      description: { kind: Kind.STRING, value: `Required from the ${key} subgraph.` },
      name: name(key),
      type: behaviourType,
      directives: [directiveNode('external')],
    })),
    selections: partnerKeys.map((key) => ({
      kind: Kind.FIELD,
      name: name(key),
      selectionSet: wholeBehaviour,
    })),
  };
}

/**
 * The field with `added` appended to what its own `@requires` names, and the `marker` directive that asked
 * for them removed (shared by `@requiresPartnerBehaviours` and `@requiresPartnerFields`).
 */
export function requiringMore(
  field: FieldDefinitionNode,
  added: readonly SelectionNode[],
  marker: string,
): FieldDefinitionNode {
  const own = findDirective(field, 'requires');
  const ownFields = own ? stringArgument(own, 'fields') : undefined;
  const selections: SelectionNode[] = [...(ownFields ? parseFieldSet(ownFields) : []), ...added];
  return {
    ...field,
    directives: [
      ...withoutDirectives(field, 'requires', marker),
      directiveNode('requires', { fields: printFieldSet(selections) }),
    ],
  };
}

const requiringBehaviours = (field: FieldDefinitionNode, behaviours: readonly FieldNode[]) =>
  requiringMore(field, behaviours, REQUIRES_PARTNER_BEHAVIOURS_DIRECTIVE);

/**
 * The profile or benefits template with every field marked `@requiresPartnerBehaviours` requiring each
 * partner's behaviour summary, whole: the selection is derived from the shared value types, not written.
 */
export function withPartnerBehaviours(
  template: DocumentNode,
  partnerKeys: readonly string[],
  behaviourType: TypeNode,
  types: ReadonlyMap<string, ObjectTypeDefinitionNode>,
): DocumentNode {
  const behaviours = partnerBehaviours(partnerKeys, behaviourType, types);
  const marked = (field: FieldDefinitionNode) =>
    !!findDirective(field, REQUIRES_PARTNER_BEHAVIOURS_DIRECTIVE);
  return visit(template, {
    ObjectTypeDefinition(type) {
      const fields = type.fields ?? [];
      const first = fields.findIndex(marked);
      if (first < 0) return undefined;
      return {
        ...type,
        fields: [
          ...fields.slice(0, first),
          ...behaviours.externals,
          ...fields.slice(first).map((f) => (marked(f) ? requiringBehaviours(f, behaviours.selections) : f)),
        ],
      };
    },
  });
}
