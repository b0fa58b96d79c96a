import type {
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
} from 'graphql';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import { SeededRandom } from '../seed/seeded-random.js';

/** One request the fuzzer sends: a body (usually `{ query, variables }`, sometimes not even JSON) and who sends it. */
export interface FuzzCase {
  index: number;
  kind: FuzzKind;
  principal: Principal;
  /** The raw request body. */
  body: string;
}

export const FUZZ_KINDS = [
  'valid',
  'wrongType',
  'missingArgument',
  'hugeNumber',
  'deepNesting',
  'unknownField',
  'aliases',
  'fragments',
  'wrongVariables',
  'malformedSyntax',
  'malformedRequest',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export interface FuzzIdentities {
  members: readonly string[];
  partners: readonly string[];
}

const STRINGS = [
  'M000001',
  'M000002',
  'inkwell',
  'mindspark',
  '',
  'x'.repeat(300),
  'ünïcødé',
  '"; DROP',
  'null',
];
const HUGE_NUMBERS = ['2147483648', '-2147483649', '99999999999999999999999', '1e308', '-1', '0', '1.5'];

/**
 * Generates GraphQL requests from a schema, deterministically from a seed: valid operations (a random walk
 * from the root types, with arguments of the right types) and mutated ones (wrong argument types, missing
 * arguments, huge numbers, deep nesting, unknown fields, many aliases, fragments, variables of the wrong
 * type, broken syntax, and request bodies that are not GraphQL requests at all), each sent as one of the
 * roles in turn. The checks live with the caller: no 5xx, no INTERNAL_SERVER_ERROR, no stack trace.
 */
export class FuzzDocumentGenerator {
  private readonly random: SeededRandom;
  private readonly principals: Principal[];

  constructor(
    private readonly schema: GraphQLSchema,
    seed: number,
    identities: FuzzIdentities,
  ) {
    this.random = new SeededRandom(seed);
    const partner = identities.partners[0] ?? 'inkwell';
    this.principals = [
      { role: 'anonymous' },
      { role: 'member', memberId: identities.members[0] ?? 'M000001' },
      { role: 'partner_staff', partner },
      { role: 'partner_service', partner: identities.partners[1] ?? partner },
      { role: 'admin', subject: 'fuzz' },
    ];
  }

  /** `count` cases; the roles take turns, and the kinds cycle so every kind appears with every role. */
  generate(count: number): FuzzCase[] {
    return Array.from({ length: count }, (_, index) => {
      const kind = FUZZ_KINDS[Math.floor(index / this.principals.length) % FUZZ_KINDS.length];
      return {
        index,
        kind,
        principal: this.principals[index % this.principals.length],
        body: this.bodyOf(kind),
      };
    });
  }

  private bodyOf(kind: FuzzKind): string {
    const request = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
    switch (kind) {
      case 'valid':
        return request(this.operation());
      case 'wrongType':
        return request(this.operation({ argument: () => this.wrongLiteral() }));
      case 'missingArgument':
        return request(this.operation({ dropArguments: true }));
      case 'hugeNumber':
        return request(
          this.operation({
            argument: (type) => (this.isInt(type) ? this.random.pick(HUGE_NUMBERS) : undefined),
          }),
        );
      case 'deepNesting':
        return request(this.deepDocument());
      case 'unknownField':
        return request(this.operation({ extraField: true }));
      case 'aliases':
        return request(this.aliasedDocument());
      case 'fragments':
        return request(this.fragmentDocument());
      case 'wrongVariables':
        return this.wrongVariables();
      case 'malformedSyntax':
        return request(this.malformed(this.operation()));
      case 'malformedRequest':
        return this.malformedRequest();
    }
  }

  private operation(
    options: {
      argument?: (type: GraphQLInputType) => string | undefined;
      dropArguments?: boolean;
      extraField?: boolean;
    } = {},
  ): string {
    const mutation = this.schema.getMutationType();
    const useMutation = mutation && this.random.next() < 0.1;
    const root = useMutation ? mutation : this.schema.getQueryType()!;
    const selection = this.selection(root, 0, options, this.random.int(1, 3));
    return `${useMutation ? 'mutation' : 'query'} Fuzz ${selection}`;
  }

  private selection(
    type: GraphQLObjectType,
    depth: number,
    options: Parameters<FuzzDocumentGenerator['operation']>[0] & object,
    width: number,
  ): string {
    const fields = Object.values(type.getFields()).filter((f) => !f.name.startsWith('__'));
    const picked = new Set<GraphQLField<unknown, unknown>>();
    for (let i = 0; i < width && fields.length; i++) picked.add(this.random.pick(fields));
    const parts = [...picked].map((field) => {
      const args = this.arguments(field.args, options);
      const named = getNamedType(field.type);
      if (!isObjectType(named)) return `${field.name}${args}`;
      if (depth >= 4) return `${field.name}${args} { __typename }`;
      return `${field.name}${args} ${this.selection(named, depth + 1, options, this.random.int(1, 4))}`;
    });
    if (options.extraField && this.random.next() < 0.5)
      parts.push(this.random.pick(['shoeSize', 'password', '_entities', 'id { x }']));
    return `{ ${parts.join(' ')} }`;
  }

  private arguments(
    args: readonly GraphQLArgument[],
    options: Parameters<FuzzDocumentGenerator['operation']>[0] & object,
  ): string {
    const given = args
      .filter((a) => !(options.dropArguments && isNonNullType(a.type)))
      .filter((a) => isNonNullType(a.type) || this.random.next() < 0.5)
      .map((a) => `${a.name}: ${options.argument?.(a.type) ?? this.literal(a.type)}`);
    return given.length ? `(${given.join(', ')})` : '';
  }

  private isInt(type: GraphQLInputType): boolean {
    const named = getNamedType(type);
    return isScalarType(named) && named.name === 'Int';
  }

  private literal(type: GraphQLInputType, depth = 0): string {
    const nullable = getNullableType(type);
    if (isListType(nullable)) return `[${depth < 3 ? this.literal(nullable.ofType, depth + 1) : ''}]`;
    if (isEnumType(nullable)) return this.random.pick(nullable.getValues()).name;
    if (isInputObjectType(nullable)) {
      const fields = Object.values(nullable.getFields()).map(
        (f) => `${f.name}: ${this.literal(f.type, depth + 1)}`,
      );
      return `{ ${fields.join(', ')} }`;
    }
    switch (isScalarType(nullable) ? nullable.name : 'String') {
      case 'Int':
        return String(this.random.int(1, 60));
      case 'Float':
        return String(this.random.next() * 100);
      case 'Boolean':
        return this.random.next() < 0.5 ? 'true' : 'false';
      default:
        return JSON.stringify(this.random.pick(STRINGS));
    }
  }

  private wrongLiteral(): string {
    return this.random.pick([
      '"not a number"',
      '12',
      'true',
      '{ a: 1 }',
      '[1, 2]',
      'null',
      'UNKNOWN_ENUM',
      '-0.5',
    ]);
  }

  private deepDocument(): string {
    const depth = this.random.int(8, 60);
    if (this.random.next() < 0.5) {
      // Nested far beyond the schema: validation refuses it.
      return `{ ${'me { profile { '.repeat(Math.ceil(depth / 2))}id${' }'.repeat(Math.ceil(depth / 2) * 2)} }`;
    }
    // Deeply nested list values in an argument.
    return `{ members(first: ${'['.repeat(depth)}1${']'.repeat(depth)}) { totalCount } }`;
  }

  private aliasedDocument(): string {
    const count = this.random.pick([5, 31, 200, 1500]);
    const field = this.random.pick([
      'me { id }',
      'me { wallet { balance } }',
      '__typename',
      'members(first: 100) { totalCount }',
    ]);
    return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
  }

  private fragmentDocument(): string {
    return this.random.pick([
      '{ me { ...A } } fragment A on Member { ...B } fragment B on Member { ...A }',
      '{ me { ...A } } fragment A on Benefit { id }',
      '{ me { ...Missing } }',
      '{ me { id } } fragment Unused on Member { id }',
      `{ me { ...F0 } } ${Array.from({ length: 25 }, (_, i) => `fragment F${i} on Member { id ${i < 24 ? `...F${i + 1} ...F${i + 1}` : ''} }`).join(' ')}`,
      '{ me { ... on Member { id ... on Member { displayName } } } }',
      '{ me { ... on Query { me { id } } } }',
    ]);
  }

  private wrongVariables(): string {
    const cases: [string, unknown][] = [
      ['query($n: Int) { members(first: $n) { totalCount } }', { n: 'abc' }],
      ['query($n: Int) { members(first: $n) { totalCount } }', { n: 1e20 }],
      ['query($n: Int!) { members(first: $n) { totalCount } }', {}],
      ['query($n: String) { members(first: $n) { totalCount } }', { n: '5' }],
      ['query { members(first: $undeclared) { totalCount } }', { undeclared: 5 }],
      ['query($id: ID!) { member(id: $id) { id } }', { id: { nested: true } }],
      ['query($p: Boolean) { me { benefits(personalised: $p) { items { reason } } } }', { p: [true] }],
      ['query($id: ID!) { member(id: $id) { id } }', 'not-an-object'],
    ];
    const [query, variables] = this.random.pick(cases);
    return JSON.stringify({ query, variables });
  }

  private malformed(document: string): string {
    const at = this.random.int(0, Math.max(0, document.length - 1));
    switch (this.random.int(0, 5)) {
      case 0:
        return document.slice(0, at);
      case 1:
        return `${document.slice(0, at)}${this.random.pick(['{', '}', '(', ')', '$', '@', '"', '\\u{ZZ}', '!!', '...'])}${document.slice(at)}`;
      case 2:
        return `${document} ${'}'.repeat(this.random.int(1, 5))}`;
      case 3:
        return `{ me(id: "${'\\'.repeat(3)}u12") { id } }`;
      case 4:
        return `{ me { id } } query Fuzz { me { id } } ${'{'.repeat(this.random.int(1, 50))}`;
      default:
        return document.replace(/\s/g, '');
    }
  }

  private malformedRequest(): string {
    return this.random.pick([
      '{"query": ',
      '[]',
      '{"query": 42}',
      '{"query": ""}',
      '{}',
      'null',
      '{"query": "{ me { id } }", "variables": [1, 2]}',
      '{"query": "query A { me { id } } query B { me { displayName } }"}',
      '{"query": "query A { me { id } }", "operationName": "Nope"}',
      '{"query": "{ me { id } }", "extensions": {"persistedQuery": {"version": 2, "sha256Hash": "abc"}}}',
      '{"query": "{ me { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
      '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 12}}}',
      '{"query": "subscription { me { id } }"}',
    ]);
  }
}

/** What is wrong with one answer to a fuzz case, or null when it is an acceptable answer. */
export function fuzzAnswerProblem(status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  if (/INTERNAL_SERVER_ERROR/.test(text)) return 'INTERNAL_SERVER_ERROR in the answer';
  if (/"stacktrace"|\bat \S+ \(.*:\d+:\d+\)|node_modules|\.ts:\d+/.test(text))
    return 'a stack trace in the answer';
  try {
    JSON.parse(text);
  } catch {
    return 'an answer that is not JSON';
  }
  return null;
}
