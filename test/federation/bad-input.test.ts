import { readFileSync } from 'node:fs';
import { partnerRegistryPath } from '../../subgraphs/shared/config/paths.js';
import type { GraphQLBody, TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes, postRaw } from './graphql-responses.js';

const MEMBER = 'M000001';

interface RegistryFile {
  partners: { key: string; benefits: { code: string }[] }[];
}

interface CataloguePage {
  benefitCatalogue: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; partner: string } }[];
  };
}

/** Bad input is the client's fault: BAD_USER_INPUT, answered with 200 or 400, never a 500. */
function expectBadUserInput(response: { status: number; body: GraphQLBody }): void {
  expect([200, 400]).toContain(response.status);
  expect(errorCodes(response.body)).toEqual(['BAD_USER_INPUT']);
}

describe('bad input through the gateway', () => {
  let fed: TestFederation;
  let memberToken: string;
  let adminToken: string;
  let inkwellStaff: string;
  const registryFile = JSON.parse(readFileSync(partnerRegistryPath(), 'utf8')) as RegistryFile;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 120 });
    memberToken = await fed.token({ role: 'member', memberId: MEMBER });
    adminToken = await fed.token({ role: 'admin' });
    inkwellStaff = await fed.token({ role: 'partner_staff', partner: 'inkwell' });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  describe('member(id:)', () => {
    const badIds: [string, string][] = [
      ['empty', ''],
      ['100 characters long', 'x'.repeat(100)],
      ['with characters an id never has', 'M0001"; drop'],
    ];

    it.each(badIds)('answers BAD_USER_INPUT to an operator for an id %s', async (_name, id) => {
      expectBadUserInput(
        await fed.query('query ($id: ID!) { member(id: $id) { id } }', {
          token: adminToken,
          variables: { id },
        }),
      );
    });

    it.each(badIds)('answers BAD_USER_INPUT to a member for an id %s', async (_name, id) => {
      expectBadUserInput(
        await fed.query('query ($id: ID!) { member(id: $id) { id } }', {
          token: memberToken,
          variables: { id },
        }),
      );
    });

    it('answers BAD_USER_INPUT when the id is written inline in the query', async () => {
      expectBadUserInput(await fed.query('{ member(id: "") { id } }', { token: adminToken }));
      expectBadUserInput(
        await fed.query(`{ member(id: "${'x'.repeat(100)}") { id } }`, { token: adminToken }),
      );
    });
  });

  describe('memberByPartnerAccount', () => {
    it('answers BAD_USER_INPUT for an unknown partner', async () => {
      expectBadUserInput(
        await fed.query('{ memberByPartnerAccount(partner: "nope", partnerMemberId: "IN00100040") { id } }', {
          token: adminToken,
        }),
      );
    });

    it('answers BAD_USER_INPUT for a malformed partner account id', async () => {
      for (const token of [adminToken, inkwellStaff]) {
        expectBadUserInput(
          await fed.query(`{ memberByPartnerAccount(partner: "inkwell", partnerMemberId: "") { id } }`, {
            token,
          }),
        );
      }
    });
  });

  describe('members (operators)', () => {
    it.each([0, -1, 101, 1000])('answers BAD_USER_INPUT for first: %d', async (first) => {
      expectBadUserInput(
        await fed.query(`{ members(first: ${first}) { totalCount } }`, { token: adminToken }),
      );
    });

    it('answers BAD_USER_INPUT for a cursor that is not one', async () => {
      expectBadUserInput(
        await fed.query('{ members(after: "garbage") { totalCount } }', { token: adminToken }),
      );
    });

    it('answers BAD_USER_INPUT for a cursor of another list', async () => {
      const { body } = await fed.query('{ benefitCatalogue(first: 1) { pageInfo { endCursor } } }', {
        token: adminToken,
      });
      const cursor = dataOf<CataloguePage>(body).benefitCatalogue.pageInfo.endCursor;
      expect(cursor).toEqual(expect.any(String));
      expectBadUserInput(
        await fed.query('query ($after: String) { members(after: $after) { totalCount } }', {
          token: adminToken,
          variables: { after: cursor },
        }),
      );
    });
  });

  describe('benefitCatalogue', () => {
    it.each([
      ['first: -1', 'first: -1'],
      ['first: 0', 'first: 0'],
      ['first: 1000', 'first: 1000'],
      ['a garbage cursor', 'after: "garbage"'],
      ['an unknown partner', 'partner: "nope"'],
    ])('answers BAD_USER_INPUT for %s', async (_name, args) => {
      expectBadUserInput(
        await fed.query(`{ benefitCatalogue(${args}) { totalCount } }`, { token: memberToken }),
      );
    });
  });

  describe('recentOrders', () => {
    it.each([0, -5, 51])('answers BAD_USER_INPUT for first: %d inside me { mindspark }', async (first) => {
      const response = await fed.query(`{ me { mindspark { recentOrders(first: ${first}) { orderId } } } }`, {
        token: memberToken,
      });
      expectBadUserInput(response);
      expect(response.body.errors![0].path).toEqual(['me', 'mindspark', 'recentOrders']);
    });

    it('answers the orders for a valid first', async () => {
      const { body } = await fed.query('{ me { mindspark { recentOrders(first: 3) { orderId } } } }', {
        token: memberToken,
      });
      expect(body.errors).toBeUndefined();
      const orders = dataOf<{ me: { mindspark: { recentOrders: { orderId: string }[] } } }>(body).me.mindspark
        .recentOrders;
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.length).toBeLessThanOrEqual(3);
    });
  });

  describe('malformed requests', () => {
    it('answers 400, not 500, to a body that is not JSON', async () => {
      for (const text of ['{ "query": ', 'not json at all', '{"query": "{ me { id } }",}']) {
        const response = await postRaw(fed.federation.gatewayUrl, text, {
          authorization: `Bearer ${memberToken}`,
        });
        expect({ text, status: response.status }).toEqual({ text, status: 400 });
        expect(response.body?.errors?.length).toBeGreaterThan(0);
        expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
      }
    });

    it('answers 400, not 500, to JSON that is not a GraphQL request', async () => {
      for (const text of ['[]', '"query"', '{}', '{"query": 42}', 'null']) {
        const response = await postRaw(fed.federation.gatewayUrl, text, {
          authorization: `Bearer ${memberToken}`,
        });
        expect({ text, status: response.status }).toEqual({ text, status: 400 });
      }
    });

    it('answers GRAPHQL_VALIDATION_FAILED for a field that does not exist', async () => {
      const { status, body } = await fed.query('{ me { id shoeSize } }', { token: memberToken });
      expect(status).toBe(400);
      expect(errorCodes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('answers GRAPHQL_VALIDATION_FAILED for a field only the subgraphs may select', async () => {
      const { status, body } = await fed.query('{ me { id mindsparkBehaviour { spendMinor } } }', {
        token: memberToken,
      });
      expect(status).toBe(400);
      expect(errorCodes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('answers GRAPHQL_PARSE_FAILED for a query that is not GraphQL', async () => {
      const { status, body } = await fed.query('{ me { id ', { token: memberToken });
      expect(status).toBe(400);
      expect(errorCodes(body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    });

    it('answers BAD_USER_INPUT for a variable of the wrong type', async () => {
      const { status, body } = await fed.query(
        'query ($first: Int) { benefitCatalogue(first: $first) { totalCount } }',
        {
          token: memberToken,
          variables: { first: 'ten' },
        },
      );
      expect(status).toBe(400);
      expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('catalogue pagination', () => {
    async function collect(
      args: string,
    ): Promise<{ ids: string[]; partners: string[]; totalCounts: number[] }> {
      const ids: string[] = [];
      const partners: string[] = [];
      const totalCounts: number[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const { body }: { body: GraphQLBody } = await fed.query(
          `query ($after: String) { benefitCatalogue(${args}, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id partner } } } }`,
          { token: memberToken, variables: { after } },
        );
        expect(body.errors).toBeUndefined();
        const connection: CataloguePage['benefitCatalogue'] = dataOf<CataloguePage>(body).benefitCatalogue;
        totalCounts.push(connection.totalCount);
        for (const edge of connection.edges) {
          ids.push(edge.node.id);
          partners.push(edge.node.partner);
        }
        if (!connection.pageInfo.hasNextPage) return { ids, partners, totalCounts };
        expect(connection.pageInfo.endCursor).toBe(connection.edges[connection.edges.length - 1].cursor);
        after = connection.pageInfo.endCursor;
      }
      throw new Error('the catalogue never reported its last page');
    }

    it('pages through every benefit exactly once with first: 5', async () => {
      const expected = registryFile.partners.flatMap((p) => p.benefits.map((b) => b.code));
      const { ids, totalCounts } = await collect('first: 5');
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(new Set(totalCounts)).toEqual(new Set([expected.length]));
    });

    it('returns only one partner’s benefits when asked for that partner', async () => {
      const inkwell = registryFile.partners.find((p) => p.key === 'inkwell')!;
      const expected = inkwell.benefits.map((b) => b.code);
      const { ids, partners, totalCounts } = await collect('partner: "inkwell", first: 2');
      expect(new Set(partners)).toEqual(new Set(['inkwell']));
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(new Set(totalCounts)).toEqual(new Set([expected.length]));
    });
  });
});
