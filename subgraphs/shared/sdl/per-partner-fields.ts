import type { DocumentNode, FieldDefinitionNode } from 'graphql';
import { visit } from 'graphql';
import { findDirective, withoutDirectives } from './directive-nodes.js';
import type { PartnerFieldRole } from './partner-field-names.js';
import { isPartnerFieldRole, partnerFieldNames } from './partner-field-names.js';

/**
 * Marks a field of the profile template that stands for one field per partner, named by its role (its name
 * here): `consent` becomes `mindsparkConsent`, `inkwellConsent`, … and `account` `mindsparkAccount`, … (the
 * fields each brand subgraph's key names), each keeping the field's type, description and other directives.
 */
export const PER_PARTNER_DIRECTIVE = 'perPartner';

function roleOf(field: FieldDefinitionNode): PartnerFieldRole {
  const role = field.name.value;
  if (!isPartnerFieldRole(role))
    throw new Error(`@${PER_PARTNER_DIRECTIVE} on "${role}", which is not a role`);
  return role;
}

function expand(fields: readonly FieldDefinitionNode[] | undefined, partnerKeys: readonly string[]) {
  if (!fields?.some((f) => findDirective(f, PER_PARTNER_DIRECTIVE))) return undefined;
  return fields.flatMap((field) =>
    findDirective(field, PER_PARTNER_DIRECTIVE)
      ? partnerKeys.map((key): FieldDefinitionNode => ({
          ...field,
          name: { ...field.name, value: partnerFieldNames(key)[roleOf(field)] },
          directives: withoutDirectives(field, PER_PARTNER_DIRECTIVE),
        }))
      : [field],
  );
}

/** The template with every field marked `@perPartner` replaced by one field per partner. */
export function withPerPartnerFields(template: DocumentNode, partnerKeys: readonly string[]): DocumentNode {
  const visitType = <T extends { fields?: readonly FieldDefinitionNode[] }>(type: T): T | undefined => {
    const fields = expand(type.fields, partnerKeys);
    return fields ? { ...type, fields } : undefined;
  };
  return visit(template, { ObjectTypeDefinition: visitType, ObjectTypeExtension: visitType });
}
