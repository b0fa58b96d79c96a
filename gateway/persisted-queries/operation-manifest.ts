import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { Kind, parse, print, validate } from 'graphql';

/**
 * The operations clients may run in safelist mode, published from `operations/*.graphql` by
 * `npm run operations:publish` into `operations/manifest.json`, in Apollo's persisted-query manifest format
 * (so client tooling reads it as it is). Each `id` is the SHA-256 of `body`, the hash APQ clients send.
 */
export interface PublishedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface OperationManifestFile {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PublishedOperation[];
}

export interface OperationManifest {
  /** Published documents by hash. */
  byId: ReadonlyMap<string, string>;
  /** Every published document's canonical text, for matching a full query sent without its hash. */
  bodies: ReadonlySet<string>;
}

/** The APQ hash of a document: SHA-256 of its text, hex (what Apollo Client and Apollo Server compute). */
export const operationHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * One canonical text per operation: graphql-js's `print`, as Apollo Client prints a document before hashing
 * it, so whitespace, commas and comments never make two texts of one operation differ.
 */
export const canonicalOperation = (document: DocumentNode): string => print(document);

/**
 * Reads one operation file: exactly one named operation (fragments it spreads may sit beside it), valid
 * against the graph's API schema. Throws naming the file and the problem.
 */
export function publishOperation(file: string, text: string, schema: GraphQLSchema): PublishedOperation {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || !operations[0].name) {
    throw new Error(`${file}: must hold exactly one named operation (found ${operations.length})`);
  }
  const problems = validate(schema, document);
  if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  const body = canonicalOperation(document);
  return { id: operationHash(body), name: operations[0].name.value, type: operations[0].operation, body };
}

export function manifestFile(operations: PublishedOperation[]): OperationManifestFile {
  const sorted = [...operations].sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: sorted };
}

export function operationManifest(file: OperationManifestFile): OperationManifest {
  return {
    byId: new Map(file.operations.map((o) => [o.id, o.body])),
    bodies: new Set(file.operations.map((o) => o.body)),
  };
}

/** Loads a published manifest; throws naming the file when it is missing or not a manifest. */
export function loadOperationManifest(path: string): OperationManifest {
  let parsed: Partial<OperationManifestFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<OperationManifestFile>;
  } catch (error) {
    throw new Error(
      `Cannot read the operation manifest ${path} (npm run operations:publish): ${(error as Error).message}`,
    );
  }
  if (parsed.format !== 'apollo-persisted-query-manifest' || !Array.isArray(parsed.operations)) {
    throw new Error(`${path} is not an operation manifest (npm run operations:publish writes one)`);
  }
  for (const operation of parsed.operations) {
    if (operationHash(operation.body) !== operation.id)
      throw new Error(`${path}: the id of ${operation.name} is not the hash of its body; publish again`);
  }
  return operationManifest(parsed as OperationManifestFile);
}
