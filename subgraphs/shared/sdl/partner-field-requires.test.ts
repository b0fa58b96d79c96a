import { Kind, parse, print } from 'graphql';
import type { FieldDefinitionNode, ObjectTypeDefinitionNode } from 'graphql';
import { withPartnerFieldRequires } from './partner-field-requires.js';

const fieldOf = (sdl: string, name: string): FieldDefinitionNode =>
  (parse(sdl).definitions[0] as ObjectTypeDefinitionNode).fields!.find((f) => f.name.value === name)!;

describe('withPartnerFieldRequires', () => {
  it("adds each partner's field of the role after the field's own @requires, and drops the marker", () => {
    const template = parse(
      'type Member { id: ID! dataExport: String! @requires(fields: "benefitsExport") @requiresPartnerFields(role: "export") }',
    );
    const sdl = print(withPartnerFieldRequires(template, ['mindspark', 'inkwell']));
    const field = fieldOf(sdl, 'dataExport');
    expect(field.directives?.map((d) => d.name.value)).toEqual(['requires']);
    const fields = field.directives![0].arguments![0].value;
    expect(fields.kind === Kind.STRING && fields.value).toBe('benefitsExport mindsparkExport inkwellExport');
  });

  it('refuses a role that is not one', () => {
    const template = parse('type Member { a: String @requiresPartnerFields(role: "wallet") }');
    expect(() => withPartnerFieldRequires(template, ['mindspark'])).toThrow(/names no role \("wallet"\)/);
  });
});
