import { Supergraph } from '@apollo/federation-internals';
import { readFileSync } from 'node:fs';
import {
  loadOperationManifest,
  operationHash,
  publishOperation,
} from '../../gateway/persisted-queries/operation-manifest.js';
import { operationManifestPath, supergraphPath } from '../../subgraphs/shared/config/paths.js';
import { buildOperationManifest } from './build-operation-manifest.js';

const supergraphSdl = readFileSync(supergraphPath(), 'utf8');
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

describe('the operation manifest', () => {
  it('is current: operations/manifest.json is what `npm run operations:publish` writes', () => {
    expect(readFileSync(operationManifestPath(), 'utf8')).toBe(buildOperationManifest(supergraphSdl).text);
  });

  it('holds the operations of the example clients, each under the hash of its body', () => {
    const { manifest } = buildOperationManifest(supergraphSdl);
    expect(manifest.operations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['AdminMemberList', 'BrandWebPage', 'MobileDashboard', 'StaffMemberLookup']),
    );
    for (const operation of manifest.operations) expect(operation.id).toBe(operationHash(operation.body));
    expect(loadOperationManifest(operationManifestPath()).byId.size).toBe(manifest.operations.length);
  });
});

describe('publishOperation', () => {
  it('prints the operation canonically, so layout and comments do not change its hash', () => {
    const a = publishOperation('a.graphql', '# mine\nquery Me { me { id } }', schema);
    const b = publishOperation('b.graphql', 'query Me {\n  me {\n    id,\n  }\n}\n', schema);
    expect(a).toEqual(b);
    expect(a).toEqual({
      id: operationHash('query Me {\n  me {\n    id\n  }\n}'),
      name: 'Me',
      type: 'query',
      body: a.body,
    });
  });

  it('refuses a file without exactly one named operation, or not valid against the graph, naming it', () => {
    expect(() => publishOperation('x.graphql', '{ me { id } }', schema)).toThrow(
      'x.graphql: must hold exactly one named operation (found 1)',
    );
    expect(() =>
      publishOperation('y.graphql', 'query A { me { id } } query B { me { id } }', schema),
    ).toThrow(/^y\.graphql: must hold exactly one named operation \(found 2\)/);
    expect(() => publishOperation('z.graphql', 'query A { me { nope } }', schema)).toThrow(
      /^z\.graphql: .*nope/,
    );
    expect(() => publishOperation('w.graphql', 'query A { me {', schema)).toThrow(
      /^w\.graphql: Syntax Error/,
    );
  });
});
