import type { ASTNode, DocumentNode, StringValueNode } from 'graphql';
import { Kind, visit } from 'graphql';
import type { PartnerConfig } from '../config/partner-registry.js';
import { findDirective, withoutDirectives } from './directive-nodes.js';
import { isPartnerFieldRole, partnerFieldNames } from './partner-field-names.js';

/** Marks a field of the brand template that is named for the partner: its template name is its role. */
export const PARTNER_FIELD_DIRECTIVE = 'partnerField';

/** Fills `{{partner}}`, `{{displayName}}` and `{{industry}}` in the descriptions of a brand template. */
function describedFor(document: DocumentNode, partner: PartnerConfig): DocumentNode {
  const values: Record<string, string> = {
    partner: partner.key,
    displayName: partner.displayName,
    industry: partner.industry,
  };
  const fill = (description: StringValueNode): StringValueNode => ({
    ...description,
    value: description.value.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`schema/brand/: no value for {{${key}}} in a description`);
      return values[key];
    }),
  });
  return visit(document, {
    enter(node: ASTNode) {
      if ('description' in node && node.description) return { ...node, description: fill(node.description) };
      return undefined;
    },
  });
}

/**
 * One partner's brand subgraph from the brand template: each field marked `@partnerField` takes the name
 * `partnerFieldNames` gives its role (`membership` → `Member.mindspark`, `behaviour` → `Member.mindsparkBehaviour`).
 */
export function brandDocument(template: DocumentNode, partner: PartnerConfig): DocumentNode {
  const names = partnerFieldNames(partner.key);
  // A role named in `@key(fields:)` (the consent field) takes the partner's name there too.
  const renameInKey = (fields: string): string =>
    fields.replace(/\b\w+\b/g, (word) => (isPartnerFieldRole(word) ? names[word] : word));
  return visit(describedFor(template, partner), {
    Directive(directive) {
      if (directive.name.value !== 'key') return undefined;
      return {
        ...directive,
        arguments: directive.arguments?.map((argument) =>
          argument.name.value === 'fields' && argument.value.kind === Kind.STRING
            ? { ...argument, value: { ...argument.value, value: renameInKey(argument.value.value) } }
            : argument,
        ),
      };
    },
    FieldDefinition(field) {
      if (!findDirective(field, PARTNER_FIELD_DIRECTIVE)) return undefined;
      const role = field.name.value;
      if (!isPartnerFieldRole(role)) {
        throw new Error(
          `schema/brand/: @${PARTNER_FIELD_DIRECTIVE} on "${role}", which is not a role (${Object.keys(names).join(', ')})`,
        );
      }
      return {
        ...field,
        name: { ...field.name, value: names[role] },
        directives: withoutDirectives(field, PARTNER_FIELD_DIRECTIVE),
      };
    },
  });
}
