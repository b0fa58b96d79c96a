import { useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import { errorCodes, postRaw } from '../federation/graphql-responses.js';
import type { ExtraGateway } from './gateway-over-federation.js';
import { startGatewayOver } from './gateway-over-federation.js';

type LimitError = { message: string; extensions?: { code?: string; limit?: string; max?: number } };
const firstError = (body: { errors?: unknown[] }): LimitError => (body.errors?.[0] ?? {}) as LimitError;

const aliases = (n: number, selection: string): string =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

describe('operation limits, enforced before the query is planned', () => {
  const fed = useTestFederation({ members: 10 });
  const tokens = computedBeforeAll(async () => ({
    member: await fed.token({ role: 'member', memberId: 'M000001' }),
    admin: await fed.token({ role: 'admin' }),
  }));

  describe('with the default limits', () => {
    it('refuses the 1,000-alias dashboard at parse time (token limit) with HTTP 400', async () => {
      const { status, body } = await fed.query(
        aliases(1000, 'me { profile { compositeScore } benefits { items { reason } } }'),
        { token: tokens.member },
      );
      expect(status).toBe(400);
      expect(firstError(body)).toMatchObject({
        message:
          'The document has more than 2,000 tokens; the gateway parses at most 2,000. Send a smaller operation.',
        extensions: { code: 'OPERATION_TOO_COMPLEX', limit: 'tokens', max: 2000 },
      });
    });

    it('refuses more aliases than allowed, counting those in fragments where they are spread', async () => {
      const { status, body } = await fed.query(
        `{ me { ...Ids } } fragment Ids on Member { ${Array.from({ length: 31 }, (_, i) => `i${i}: id`).join(' ')} }`,
        { token: tokens.member },
      );
      expect(status).toBe(400);
      expect(firstError(body).extensions).toMatchObject({
        code: 'OPERATION_TOO_COMPLEX',
        limit: 'aliases',
        max: 30,
      });
    });

    it('gives each role its budget: a wallet paged four times is too costly for a member, fine for an operator', async () => {
      const wallets = aliases(
        4,
        'me { wallet { history(first: 100) { edges { node { kind points partner sourceEventId occurredAt } } } } }',
      );
      const asMember = await fed.query(wallets, { token: tokens.member });
      expect(asMember.status).toBe(400);
      expect(firstError(asMember.body).extensions).toMatchObject({
        code: 'OPERATION_TOO_COMPLEX',
        limit: 'cost',
      });
      expect(firstError(asMember.body).message).toMatch(/a member may run at most 2,000/);
      const asAdmin = await fed.query(wallets, { token: tokens.admin });
      expect(asAdmin.status).toBe(200);
      expect(errorCodes(asAdmin.body)).toEqual([]);
    });

    it('takes page sizes from variables into the cost', async () => {
      const query =
        'query($n: Int) { members(first: $n) { edges { node { id profile { compositeScore } } } } }';
      const small = await fed.query(query, { token: tokens.admin, variables: { n: 5 } });
      expect(errorCodes(small.body)).toEqual([]);
      const many = await fed.query(
        aliases(
          5,
          'members(first: 100) { edges { node { id profile { compositeScore } benefits { items { reason } } } } }',
        ),
        {
          token: tokens.admin,
        },
      );
      expect(firstError(many.body).extensions).toMatchObject({
        code: 'OPERATION_TOO_COMPLEX',
        limit: 'cost',
      });
    });

    it('judges the same document again for each value of its variables (the measure is remembered per value)', async () => {
      const wallets = `query($n: Int) ${aliases(4, 'me { wallet { history(first: $n) { edges { node { kind points partner sourceEventId occurredAt } } } } }')}`;
      const verdicts: string[] = [];
      for (const n of [5, 100, 5, 100]) {
        const { body } = await fed.query(wallets, { token: tokens.member, variables: { n } });
        verdicts.push(`${n}: ${firstError(body).extensions?.limit ?? 'ran'}`);
      }
      expect(verdicts).toEqual(['5: ran', '100: cost', '5: ran', '100: cost']);
    });

    it('still runs the documented example queries', async () => {
      const dashboard = `{ me { id displayName profile { compositeScore tier { code } affinities { category share } explanation }
        benefits { items { benefit { id title partner } reason } } } }`;
      expect(errorCodes((await fed.query(dashboard, { token: tokens.member })).body)).toEqual([]);
      const operator = `{ members(first: 50) { totalCount pageInfo { endCursor hasNextPage } edges { node { id profile { compositeScore tier { code } } } } }
        benefitCatalogue(partner: "starlight", first: 10) { totalCount edges { node { id title eligibleTiers } } } }`;
      expect(errorCodes((await fed.query(operator, { token: tokens.admin })).body)).toEqual([]);
    });

    it('refuses a document far past the token limit quickly enough to answer at all (5,000 aliases)', async () => {
      const query = aliases(5000, 'wallet { history(first: 100) { edges { node { points } } } }');
      const { status, body } = await postRaw(
        fed.federation.gatewayUrl,
        JSON.stringify({ query: `{ me ${query} }` }),
        {
          authorization: `Bearer ${tokens.member}`,
        },
      );
      expect(status).toBe(400);
      expect(body?.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_COMPLEX');
    });
  });

  describe('with tight limits', () => {
    let gateway: ExtraGateway;

    beforeAll(async () => {
      gateway = await startGatewayOver(fed, {
        settings: (d) => ({
          ...d,
          limits: {
            ...d.limits,
            maxDepth: 3,
            maxAliases: 1,
            maxRootFields: 2,
            maxDirectives: 1,
            maxDocumentBytes: 200,
          },
        }),
      });
    });

    afterAll(async () => {
      await gateway?.close();
    });

    it.each([
      ['depth', '{ me { profile { tier { code } } } }'],
      ['aliases', '{ me { a: id b: id } }'],
      ['rootFields', '{ me { id } member(id: "M000001") { id } __typename }'],
      ['directives', '{ me { id @include(if: true) displayName @skip(if: false) } }'],
      ['documentBytes', `{ me { id } } # ${'x'.repeat(200)}`],
    ])(
      'refuses an operation over the %s limit with HTTP 400, without fetching from any subgraph',
      async (limit, query) => {
        const before = gateway.outcomes.length;
        const { status, body } = await gateway.query(query, { token: tokens.member });
        expect(status).toBe(400);
        expect(firstError(body).extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit });
        expect(gateway.outcomes.length).toBe(before);
      },
    );

    it('runs an operation within every limit', async () => {
      const { status, body } = await gateway.query('{ me { id } }', { token: tokens.member });
      expect(status).toBe(200);
      expect(errorCodes(body)).toEqual([]);
    });
  });
});
