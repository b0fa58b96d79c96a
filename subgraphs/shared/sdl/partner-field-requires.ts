import type { DocumentNode, FieldDefinitionNode, SelectionNode } from 'graphql';
import { Kind, visit } from 'graphql';
import { findDirective, stringArgument } from './directive-nodes.js';
import { requiringMore } from './partner-behaviour-requires.js';
import type { PartnerFieldRole } from './partner-field-names.js';
import { isPartnerFieldRole, partnerFieldNames } from './partner-field-names.js';

/**
 * Marks a field of the profile or benefits template that requires one scalar field of every partner, named
 * by its role: `@requiresPartnerFields(role: "export")` adds `mindsparkExport inkwellExport …` to the
 * field's own `@requires` (the fields themselves are declared `@external @perPartner`). Adding a partner
 * then needs no SDL edit, as with `@requiresPartnerBehaviours`.
 */
export const REQUIRES_PARTNER_FIELDS_DIRECTIVE = 'requiresPartnerFields';

function requiringPartnerFields(
  field: FieldDefinitionNode,
  partnerKeys: readonly string[],
): FieldDefinitionNode {
  const marker = findDirective(field, REQUIRES_PARTNER_FIELDS_DIRECTIVE)!;
  const role = stringArgument(marker, 'role');
  if (!role || !isPartnerFieldRole(role)) {
    throw new Error(
      `@${REQUIRES_PARTNER_FIELDS_DIRECTIVE} on "${field.name.value}" names no role ("${role}")`,
    );
  }
  const added = partnerKeys.map((key): SelectionNode => ({
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: partnerFieldNames(key)[role as PartnerFieldRole] },
  }));
  return requiringMore(field, added, REQUIRES_PARTNER_FIELDS_DIRECTIVE);
}

/** The template with every field marked `@requiresPartnerFields` requiring that role's field of each partner. */
export function withPartnerFieldRequires(
  template: DocumentNode,
  partnerKeys: readonly string[],
): DocumentNode {
  return visit(template, {
    FieldDefinition(field) {
      return findDirective(field, REQUIRES_PARTNER_FIELDS_DIRECTIVE)
        ? requiringPartnerFields(field, partnerKeys)
        : undefined;
    },
  });
}
