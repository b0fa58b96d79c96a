import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { Kind, TypeInfo, parse, validate, visit, visitWithTypeInfo } from 'graphql';
import { projectRoot, schemaPath, supergraphPath } from '../../subgraphs/shared/config/paths.js';

/** GraphiQL's tabs are the published operations (gateway/explorer/app/example-operations.ts bundles them). */
const operationsDir = join(projectRoot(), 'operations');
const EXAMPLE_OPERATIONS = readdirSync(operationsDir)
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => ({ query: readFileSync(join(operationsDir, file), 'utf8') }));

/** `Type.field` of every field an operation selects, against the API schema. */
function selectedCoordinates(schema: GraphQLSchema, query: string): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const coordinates = new Set<string>();
  visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) coordinates.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return coordinates;
}

/** The client-visible fields a schema file defines or adds (`@inaccessible` ones are inputs, not fields to show). */
function fieldsDefinedIn(file: string): string[] {
  return parse(readFileSync(schemaPath(file), 'utf8')).definitions.flatMap((definition) =>
    definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION
      ? (definition.fields ?? [])
          .filter((field) => !field.directives?.some((d) => d.name.value === 'inaccessible'))
          .map((field) => `${definition.name.value}.${field.name.value}`)
      : [],
  );
}

describe('the explorer’s example operations', () => {
  const schema = Supergraph.build(readFileSync(supergraphPath(), 'utf8')).apiSchema().toGraphQLJSSchema();

  it('are valid against the composed API schema', () => {
    for (const { query } of EXAMPLE_OPERATIONS) {
      expect({
        query: query.split('\n')[1],
        errors: validate(schema, parse(query)).map((e) => e.message),
      }).toEqual({
        query: query.split('\n')[1],
        errors: [],
      });
    }
  });

  it('show every member-intelligence and stable-tier field', () => {
    const shown = new Set(EXAMPLE_OPERATIONS.flatMap(({ query }) => [...selectedCoordinates(schema, query)]));
    const fields = [
      ...fieldsDefinedIn('profile/member-intelligence.graphql'),
      ...fieldsDefinedIn('profile/tier-history.graphql'),
    ];
    expect(fields.length).toBeGreaterThan(50);
    expect(fields.filter((field) => !shown.has(field))).toEqual([]);
  });
});
