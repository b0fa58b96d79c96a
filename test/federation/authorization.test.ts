import { SignJWT } from 'jose';
import { signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import { principalClaims } from '../../subgraphs/shared/auth/principal.js';
import { signDevToken } from '../../tools/dev-tokens/sign-dev-token.js';
import { TEST_AUTH, useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import { dataOf, errorCodes, postGraphQL } from './graphql-responses.js';

/** The demo member every seed contains: linked to mindspark, inkwell and pulsefit (tools/seed/demo-population.ts). */
const MEMBER = 'M000001';
const OTHER_MEMBER = 'M000002';

interface PartnerLinkView {
  partner: string;
  partnerMemberId: string;
}

describe('authorization through the gateway', () => {
  const fed = useTestFederation({ members: 120 });
  const tokens = computedBeforeAll(async () => ({
    memberToken: await fed.token({ role: 'member', memberId: MEMBER }),
    adminToken: await fed.token({ role: 'admin', subject: 'ops-1' }),
    inkwellStaff: await fed.token({ role: 'partner_staff', partner: 'inkwell' }),
    mindsparkStaff: await fed.token({ role: 'partner_staff', partner: 'mindspark' }),
  }));
  /** Staff of a partner the member has no account at. */
  let unlinkedStaff: string;
  let inkwellMemberId: string;

  beforeAll(async () => {
    const { body } = await fed.query(`{ member(id: "${MEMBER}") { partners { partner partnerMemberId } } }`, {
      token: tokens.adminToken,
    });
    expect(body.errors).toBeUndefined();
    const links = dataOf<{ member: { partners: PartnerLinkView[] } }>(body).member.partners;
    const linked = new Set(links.map((l) => l.partner));
    expect(linked.has('inkwell')).toBe(true);
    expect(linked.has('mindspark')).toBe(true);
    inkwellMemberId = links.find((l) => l.partner === 'inkwell')!.partnerMemberId;
    const unlinked = fed.registry.partners.find((p) => !linked.has(p.key));
    expect(unlinked).toBeDefined();
    unlinkedStaff = await fed.token({ role: 'partner_staff', partner: unlinked!.key });
  });

  describe('without a token', () => {
    it.each([
      ['me', '{ me { id } }'],
      ['member(id)', `{ member(id: "${MEMBER}") { id } }`],
      ['members', '{ members(first: 5) { totalCount } }'],
    ])('%s answers UNAUTHENTICATED', async (_name, query) => {
      const { body } = await fed.query(query);
      expect(errorCodes(body)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('with a token the gateway cannot accept', () => {
    const secondsNow = () => Math.floor(Date.now() / 1000);
    const cases: [string, () => Promise<string>][] = [
      ['a malformed bearer token', async () => 'Bearer not-a-jwt'],
      ['a non-Bearer scheme', async () => 'Basic dXNlcjpwYXNz'],
      [
        'a token signed with another secret',
        async () => `Bearer ${await signDevToken({ role: 'admin' }, 'some-other-secret-0123456789abcdef')}`,
      ],
      [
        'an expired token',
        async () =>
          `Bearer ${await new SignJWT(principalClaims({ role: 'member', memberId: MEMBER }))
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuedAt(secondsNow() - 7200)
            .setExpirationTime(secondsNow() - 3600)
            .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!))}`,
      ],
      [
        'a token with an unknown role',
        async () =>
          `Bearer ${await new SignJWT({ role: 'superuser', sub: MEMBER })
            .setProtectedHeader({ alg: 'HS256' })
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!))}`,
      ],
      [
        'an unsigned (alg: none) token',
        async () => {
          const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          return `Bearer ${encode({ alg: 'none' })}.${encode({ role: 'admin', exp: secondsNow() + 3600 })}.`;
        },
      ],
    ];

    it.each(cases)('%s is refused with HTTP 401 and UNAUTHENTICATED', async (_name, authorization) => {
      const { status, body } = await fed.query('{ me { id } }', {
        headers: { authorization: await authorization() },
      });
      expect(status).toBe(401);
      expect(errorCodes(body)).toEqual(['UNAUTHENTICATED']);
      expect(body.data ?? null).toBeNull();
    });
  });

  describe('a member', () => {
    it('reads themself through me and member(id)', async () => {
      const { body } = await fed.query(`{ me { id displayName } member(id: "${MEMBER}") { id } }`, {
        token: tokens.memberToken,
      });
      expect(body.errors).toBeUndefined();
      const data = dataOf<{ me: { id: string; displayName: string }; member: { id: string } }>(body);
      expect(data.me.id).toBe(MEMBER);
      expect(data.member.id).toBe(MEMBER);
    });

    it('is FORBIDDEN to read another member who exists', async () => {
      const exists = await fed.query(`{ member(id: "${OTHER_MEMBER}") { id } }`, {
        token: tokens.adminToken,
      });
      expect(dataOf<{ member: { id: string } | null }>(exists.body).member).toEqual({ id: OTHER_MEMBER });

      const { body } = await fed.query(`{ member(id: "${OTHER_MEMBER}") { id displayName } }`, {
        token: tokens.memberToken,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      expect(dataOf<{ member: unknown }>(body).member).toBeNull();
    });

    it('is FORBIDDEN to read an id that does not exist, exactly as for another member (no probing)', async () => {
      const { body } = await fed.query('{ member(id: "M999999") { id } }', { token: tokens.memberToken });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      const asAdmin = await fed.query('{ member(id: "M999999") { id } }', { token: tokens.adminToken });
      expect(asAdmin.body.errors).toBeUndefined();
      expect(dataOf<{ member: unknown }>(asAdmin.body).member).toBeNull();
    });

    it('is FORBIDDEN to list members', async () => {
      const { body } = await fed.query('{ members(first: 5) { totalCount edges { node { id } } } }', {
        token: tokens.memberToken,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
    });
  });

  describe('partner staff of a partner the member is linked to', () => {
    it('reads the id, their own brand account and the tier', async () => {
      const { body } = await fed.query(
        `{ member(id: "${MEMBER}") { id inkwell { brandMemberId } profile { tier { code } } } }`,
        { token: tokens.inkwellStaff },
      );
      expect(body.errors).toBeUndefined();
      const member = dataOf<{
        member: { id: string; inkwell: { brandMemberId: string }; profile: { tier: { code: string } } };
      }>(body).member;
      expect(member.id).toBe(MEMBER);
      expect(member.inkwell.brandMemberId).toBe(inkwellMemberId);
      expect(['DIAMOND', 'GOLD', 'CLASSIC', 'BASIC']).toContain(member.profile.tier.code);
    });

    it.each([
      ['another brand’s account', '{ id mindspark { brandMemberId } }'],
      ['the display name', '{ id displayName }'],
      ['the composite score', '{ id profile { compositeScore } }'],
      ['the linked partners', '{ id partners { partner } }'],
      ['the benefit bundle', '{ id benefits { tier { code } } }'],
    ])('is FORBIDDEN to read %s', async (_name, selection) => {
      const { body } = await fed.query(`{ member(id: "${MEMBER}") ${selection} }`, {
        token: tokens.inkwellStaff,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
    });

    it('does not get the denied field’s value alongside the error', async () => {
      const { body } = await fed.query(`{ member(id: "${MEMBER}") { id mindspark { brandMemberId } } }`, {
        token: tokens.inkwellStaff,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      expect(dataOf<{ member: { id: string; mindspark: unknown } }>(body).member).toEqual({
        id: MEMBER,
        mindspark: null,
      });
    });

    it('looks the member up by their own partner account', async () => {
      const { body } = await fed.query(
        `{ memberByPartnerAccount(partner: "inkwell", partnerMemberId: "${inkwellMemberId}") { id inkwell { brandMemberId } } }`,
        { token: tokens.inkwellStaff },
      );
      expect(body.errors).toBeUndefined();
      expect(
        dataOf<{ memberByPartnerAccount: { id: string; inkwell: { brandMemberId: string } } }>(body)
          .memberByPartnerAccount,
      ).toEqual({ id: MEMBER, inkwell: { brandMemberId: inkwellMemberId } });
    });
  });

  describe('a partner service of a partner the member is linked to', () => {
    it('is shown either the member’s real tier or a clean FORBIDDEN, never a tier computed without inputs', async () => {
      const expected = await fed.query(`{ member(id: "${MEMBER}") { profile { tier { code } } } }`, {
        token: tokens.adminToken,
      });
      const realTier = dataOf<{ member: { profile: { tier: { code: string } } } }>(expected.body).member
        .profile.tier.code;

      const service = await fed.token({ role: 'partner_service', partner: 'inkwell' });
      const { body } = await fed.query(`{ member(id: "${MEMBER}") { id profile { tier { code } } } }`, {
        token: service,
      });
      const member = body.data?.member as { profile?: { tier: { code: string } } | null } | null | undefined;
      if (body.errors) {
        // Refused: one FORBIDDEN for the field asked for, and no word of the internal behaviour fields.
        expect(errorCodes(body)).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(body.errors)).not.toMatch(/Behaviour/);
        expect(member?.profile ?? null).toBeNull();
      } else {
        expect(member?.profile?.tier.code).toBe(realTier);
      }
    });
  });

  describe('partner staff of another partner', () => {
    it('is FORBIDDEN to read a member not linked to their partner', async () => {
      const { body } = await fed.query(`{ member(id: "${MEMBER}") { id } }`, { token: unlinkedStaff });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      expect(dataOf<{ member: unknown }>(body).member).toBeNull();
    });

    it('is FORBIDDEN to look a member up by another partner’s account', async () => {
      const { body } = await fed.query(
        `{ memberByPartnerAccount(partner: "inkwell", partnerMemberId: "${inkwellMemberId}") { id } }`,
        { token: tokens.mindsparkStaff },
      );
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      expect(dataOf<{ memberByPartnerAccount: unknown }>(body).memberByPartnerAccount).toBeNull();
    });

    it('is FORBIDDEN to list members', async () => {
      const { body } = await fed.query('{ members(first: 5) { totalCount } }', {
        token: tokens.inkwellStaff,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
    });
  });

  describe('an operator', () => {
    it('reads every field of a member', async () => {
      const { body } = await fed.query(
        `{ member(id: "${MEMBER}") {
            id displayName joinedAt
            partners { partner partnerMemberId consent { granted } }
            mindspark { brandMemberId localTier } inkwell { brandMemberId } pulsefit { brandMemberId } starlight { brandMemberId }
            profile { compositeScore tier { code } brandsActive affinities { category share } }
            benefits { tier { code } items { benefit { id } } }
          } }`,
        { token: tokens.adminToken },
      );
      expect(body.errors).toBeUndefined();
      const member = dataOf<{
        member: {
          id: string;
          displayName: string;
          mindspark: { brandMemberId: string };
          inkwell: { brandMemberId: string };
          profile: { tier: { code: string } };
          benefits: { tier: { code: string } };
        };
      }>(body).member;
      expect(member.id).toBe(MEMBER);
      expect(member.displayName.length).toBeGreaterThan(0);
      expect(member.inkwell.brandMemberId).toBe(inkwellMemberId);
      expect(member.benefits.tier.code).toBe(member.profile.tier.code);
    });

    it('lists members page by page', async () => {
      const { body } = await fed.query(
        '{ members(first: 50) { totalCount pageInfo { hasNextPage } edges { node { id displayName } } } }',
        { token: tokens.adminToken },
      );
      expect(body.errors).toBeUndefined();
      const members = dataOf<{
        members: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean };
          edges: { node: { id: string } }[];
        };
      }>(body).members;
      expect(members.edges).toHaveLength(50);
      expect(members.totalCount).toBe(120);
      expect(members.pageInfo.hasNextPage).toBe(true);
      expect(members.edges[0].node.id).toBe(MEMBER);
    });
  });

  describe('a subgraph reached directly', () => {
    const SERVICE_QUERY = '{ _service { sdl } }';

    it.each(['profile', 'benefits', 'inkwell'])(
      '%s refuses a request without the gateway’s internal token',
      async (name) => {
        const response = await postGraphQL(fed.federation.subgraphUrls[name], SERVICE_QUERY);
        expect(response.status).toBe(401);
        expect(errorCodes(response.body!)).toEqual(['UNAUTHENTICATED']);
      },
    );

    it.each(['profile', 'benefits', 'mindspark'])('%s refuses a client JWT', async (name) => {
      const url = fed.federation.subgraphUrls[name];
      const asAuthorization = await postGraphQL(url, SERVICE_QUERY, {
        authorization: `Bearer ${tokens.adminToken}`,
      });
      expect(asAuthorization.status).toBe(401);
      expect(errorCodes(asAuthorization.body!)).toEqual(['UNAUTHENTICATED']);

      const asInternalToken = await postGraphQL(url, SERVICE_QUERY, {
        'x-internal-token': tokens.adminToken,
      });
      expect(asInternalToken.status).toBe(401);
      expect(errorCodes(asInternalToken.body!)).toEqual(['UNAUTHENTICATED']);
    });

    it('answers a request carrying an internal token signed with the gateway’s secret', async () => {
      const internal = await signInternalToken(
        { role: 'admin' },
        TEST_AUTH.internalTokenSecret,
        'req-direct-01',
      );
      const response = await postGraphQL(fed.federation.subgraphUrls.profile, SERVICE_QUERY, {
        'x-internal-token': internal,
      });
      expect(response.status).toBe(200);
      expect(response.body!.errors).toBeUndefined();
      expect(JSON.stringify(response.body!.data)).toContain('type Member');
    });
  });
});
