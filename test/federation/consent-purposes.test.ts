import { randomUUID } from 'node:crypto';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import { TEST_AUTH, useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import { dataOf, errorCodes } from './graphql-responses.js';
import { migrateLegacyConsents } from '../../subgraphs/profile/data/consent-migration.js';
import { memberModel } from '../../subgraphs/profile/data/member-model.js';
import { LEGACY_NOTICE_VERSION } from '../../subgraphs/profile/domain/consent/consent-purposes.js';

/** The demo member: linked, with consent, to mindspark, inkwell and pulsefit (tools/seed/demo-population.ts). */
const MEMBER = 'M000001';

const CONSENTS = `{ id partners { partner consents { purpose granted noticeVersion updatedAt } }
  consentHistory(first: 50) { partner purpose granted noticeVersion at } }`;

interface Consents {
  id: string;
  partners: {
    partner: string;
    consents: { purpose: string; granted: boolean; noticeVersion: string | null; updatedAt: string }[];
  }[];
  consentHistory: { partner: string; purpose: string; granted: boolean; noticeVersion: string | null }[];
}

const purposeOf = (member: Consents, partner: string, purpose: string) =>
  member.partners.find((l) => l.partner === partner)!.consents.find((c) => c.purpose === purpose)!;

describe('consent by purpose and partner, through the gateway', () => {
  const fed = useTestFederation({ members: 120 });
  const tokens = computedBeforeAll(async () => ({
    member: await fed.token({ role: 'member', memberId: MEMBER }),
    pulsefitStaff: await fed.token({ role: 'partner_staff', partner: 'pulsefit' }),
    inkwellStaff: await fed.token({ role: 'partner_staff', partner: 'inkwell' }),
  }));
  let pulsefitAccount: string;

  beforeAll(async () => {
    const { body } = await fed.query('{ me { partners { partner partnerMemberId } } }', {
      token: tokens.member,
    });
    const links = dataOf<{ me: { partners: { partner: string; partnerMemberId: string }[] } }>(body).me
      .partners;
    pulsefitAccount = links.find((l) => l.partner === 'pulsefit')!.partnerMemberId;
  });

  async function answer(mutation: string): Promise<Consents> {
    const { body } = await fed.query(`mutation { answer: ${mutation} ${CONSENTS} }`, {
      token: tokens.member,
    });
    expect(body.errors).toBeUndefined();
    return dataOf<{ answer: Consents }>(body).answer;
  }

  const staffTier = (token: string, partner: string, account: string) =>
    fed.query(
      `{ memberByPartnerAccount(partner: "${partner}", partnerMemberId: "${account}") { id profile { tier { code } } } }`,
      { token },
    );

  it('reads the seeded (migrated) consent as the two purposes the old consent covered, marketing not granted', async () => {
    const { body } = await fed.query(`{ me ${CONSENTS} }`, { token: tokens.member });
    const me = dataOf<{ me: Consents }>(body).me;
    for (const link of me.partners) {
      expect(link.consents.map((c) => c.purpose)).toEqual([
        'CROSS_BRAND_PROFILE',
        'PERSONALISED_BENEFITS',
        'MARKETING',
      ]);
      expect(purposeOf(me, link.partner, 'MARKETING').granted).toBe(false);
    }
    expect(purposeOf(me, 'pulsefit', 'CROSS_BRAND_PROFILE').granted).toBe(true);
  });

  it('grants one purpose with the notice version, idempotently, and keeps the others', async () => {
    const granted = await answer(
      'grantConsent(partner: "pulsefit", purposes: [MARKETING], noticeVersion: "2026-12")',
    );
    expect(purposeOf(granted, 'pulsefit', 'MARKETING')).toMatchObject({
      granted: true,
      noticeVersion: '2026-12',
    });
    expect(purposeOf(granted, 'pulsefit', 'CROSS_BRAND_PROFILE').granted).toBe(true);
    expect(purposeOf(granted, 'inkwell', 'MARKETING').granted).toBe(false);
    const again = await answer(
      'grantConsent(partner: "pulsefit", purposes: [MARKETING, MARKETING], noticeVersion: "2026-12")',
    );
    expect(again.consentHistory).toEqual(granted.consentHistory);
    expect(purposeOf(again, 'pulsefit', 'MARKETING').updatedAt).toBe(
      purposeOf(granted, 'pulsefit', 'MARKETING').updatedAt,
    );
    expect(granted.consentHistory[0]).toMatchObject({
      partner: 'pulsefit',
      purpose: 'MARKETING',
      granted: true,
      noticeVersion: '2026-12',
    });
  });

  it("hides the joint tier from a partner's staff once the member withdraws that partner from the joint profile", async () => {
    const before = await staffTier(tokens.pulsefitStaff, 'pulsefit', pulsefitAccount);
    expect(before.body.errors).toBeUndefined();

    const withdrawn = await answer('withdrawConsent(partner: "pulsefit", purposes: [CROSS_BRAND_PROFILE])');
    expect(purposeOf(withdrawn, 'pulsefit', 'CROSS_BRAND_PROFILE').granted).toBe(false);
    expect(purposeOf(withdrawn, 'pulsefit', 'PERSONALISED_BENEFITS').granted).toBe(true);

    const after = await staffTier(tokens.pulsefitStaff, 'pulsefit', pulsefitAccount);
    expect(errorCodes(after.body)).toEqual(['FORBIDDEN']);
    // The profile is non-null, so the member comes back null with the error; the member and the partner's
    // own data stay readable to its staff.
    const own = await fed.query(
      `{ memberByPartnerAccount(partner: "pulsefit", partnerMemberId: "${pulsefitAccount}") { id pulsefit { brandMemberId } } }`,
      { token: tokens.pulsefitStaff },
    );
    expect(own.body.errors).toBeUndefined();
    expect(dataOf<{ memberByPartnerAccount: { id: string } }>(own.body).memberByPartnerAccount.id).toBe(
      MEMBER,
    );

    // Another partner's staff still see it (the member keeps sharing with them), and the profile leaves pulsefit out.
    const { body: ink } = await fed.query('{ me { partners { partner partnerMemberId } } }', {
      token: tokens.member,
    });
    const inkAccount = dataOf<{ me: { partners: { partner: string; partnerMemberId: string }[] } }>(
      ink,
    ).me.partners.find((l) => l.partner === 'inkwell')!.partnerMemberId;
    expect((await staffTier(tokens.inkwellStaff, 'inkwell', inkAccount)).body.errors).toBeUndefined();
    const { body: dashboard } = await fed.query(
      '{ me { profile { brandsActive shareOfWallet { partner } } } }',
      {
        token: tokens.member,
      },
    );
    const profile = dataOf<{
      me: { profile: { brandsActive: string[]; shareOfWallet: { partner: string }[] } };
    }>(dashboard).me.profile;
    expect(profile.brandsActive).not.toContain('pulsefit');
    expect(profile.shareOfWallet.map((s) => s.partner)).not.toContain('pulsefit');

    await answer(
      'grantConsent(partner: "pulsefit", purposes: [CROSS_BRAND_PROFILE], noticeVersion: "2026-12")',
    );
    expect((await staffTier(tokens.pulsefitStaff, 'pulsefit', pulsefitAccount)).body.errors).toBeUndefined();
  });

  it('the brand subgraph itself serves behaviour only for a member whose consent for the purpose holds', async () => {
    const behaviourOf = async (consent: unknown[]) => {
      const token = await signInternalToken({ role: 'admin' }, TEST_AUTH.internalTokenSecret, randomUUID());
      const response = await fetch(fed.federation.subgraphUrls.pulsefit, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token },
        body: JSON.stringify({
          query:
            'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { pulsefitBehaviour { purchaseCount browseCount } } } }',
          variables: {
            r: [{ __typename: 'Member', id: MEMBER, pulsefitConsent: consent, pulsefitAccount }],
          },
        }),
      });
      const body = (await response.json()) as {
        data: { _entities: { pulsefitBehaviour: { purchaseCount: number; browseCount: number } }[] };
      };
      return body.data._entities[0].pulsefitBehaviour;
    };
    const consented = await behaviourOf(['CROSS_BRAND_PROFILE']);
    expect(consented.purchaseCount + consented.browseCount).toBeGreaterThan(0);
    expect(await behaviourOf(['PERSONALISED_BENEFITS', 'MARKETING'])).toEqual({
      purchaseCount: 0,
      browseCount: 0,
    });
    expect(await behaviourOf([])).toEqual({ purchaseCount: 0, browseCount: 0 });
  });

  it('personalises benefits only from partners consented to PERSONALISED_BENEFITS', async () => {
    const bundle = async () => {
      const { body } = await fed.query(
        '{ me { benefits { personalised tier { code } } profile { tier { code } } } }',
        {
          token: tokens.member,
        },
      );
      expect(body.errors).toBeUndefined();
      return dataOf<{
        me: {
          benefits: { personalised: boolean; tier: { code: string } };
          profile: { tier: { code: string } };
        };
      }>(body).me;
    };
    expect((await bundle()).benefits.personalised).toBe(true);
    for (const partner of ['mindspark', 'inkwell', 'pulsefit']) {
      await answer(`withdrawConsent(partner: "${partner}", purposes: [PERSONALISED_BENEFITS])`);
    }
    const without = await bundle();
    expect(without.benefits.personalised).toBe(false);
    // The tier still comes from the joint profile, which the member still shares.
    expect(without.benefits.tier.code).toBe(without.profile.tier.code);
  });

  it('refuses bad answers with BAD_USER_INPUT and anyone but the member with FORBIDDEN, writing nothing', async () => {
    const cases: [string, string][] = [
      [
        'grantConsent(partner: "pulsefit", purposes: [MARKETING], noticeVersion: "bad version!")',
        'BAD_USER_INPUT',
      ],
      ['grantConsent(partner: "nosuch", purposes: [MARKETING], noticeVersion: "v1")', 'BAD_USER_INPUT'],
      ['withdrawConsent(partner: "pulsefit", purposes: [])', 'BAD_USER_INPUT'],
      ['withdrawConsent(partner: "starlight", purposes: [MARKETING])', 'NOT_FOUND'],
    ];
    const { body: before } = await fed.query(`{ me ${CONSENTS} }`, { token: tokens.member });
    for (const [mutation, code] of cases) {
      const { body } = await fed.query(`mutation { ${mutation} { id } }`, { token: tokens.member });
      expect([mutation, errorCodes(body)]).toEqual([mutation, [code]]);
    }
    const staff = await fed.query(
      'mutation { withdrawConsent(partner: "pulsefit", purposes: [MARKETING]) { id } }',
      {
        token: tokens.pulsefitStaff,
      },
    );
    expect(errorCodes(staff.body)).toEqual(['FORBIDDEN']);
    const { body: after } = await fed.query(`{ me ${CONSENTS} }`, { token: tokens.member });
    expect(after).toEqual(before);
  });

  it('lands concurrent answers for different purposes, each once in the history', async () => {
    const { body: before } = await fed.query(`{ me ${CONSENTS} }`, { token: tokens.member });
    const historyBefore = dataOf<{ me: Consents }>(before).me.consentHistory.length;
    await Promise.all(
      (['CROSS_BRAND_PROFILE', 'PERSONALISED_BENEFITS', 'MARKETING'] as const).map((purpose) =>
        fed.query(
          `mutation { grantConsent(partner: "inkwell", purposes: [${purpose}], noticeVersion: "2027-01") { id } }`,
          {
            token: tokens.member,
          },
        ),
      ),
    );
    const { body } = await fed.query(`{ me ${CONSENTS} }`, { token: tokens.member });
    const me = dataOf<{ me: Consents }>(body).me;
    for (const purpose of ['CROSS_BRAND_PROFILE', 'PERSONALISED_BENEFITS', 'MARKETING']) {
      expect(purposeOf(me, 'inkwell', purpose)).toMatchObject({ granted: true, noticeVersion: '2027-01' });
    }
    expect(me.consentHistory.length - historyBefore).toBe(3);
  });

  it('migrates stored single-purpose consent: read in either shape, rewritten once, idempotently', async () => {
    const members = fed.dbs.profile.connection.collection<{ _id: string; links: Record<string, unknown>[] }>(
      'members',
    );
    const stored = (await members.findOne({ _id: 'M000002' }))!;
    const at = new Date('2026-06-01T00:00:00Z');
    await members.updateOne(
      { _id: 'M000002' },
      {
        $set: {
          links: stored.links.map((l, i) => ({
            partner: l.partner,
            partnerMemberId: l.partnerMemberId,
            linkedAt: l.linkedAt,
            consent: { granted: i === 0, purpose: 'cross-brand profile and benefit matching', updatedAt: at },
          })),
        },
      },
    );
    const read = async () => {
      const token = await fed.token({ role: 'member', memberId: 'M000002' });
      const { body } = await fed.query(`{ me ${CONSENTS} }`, { token });
      return dataOf<{ me: Consents }>(body).me;
    };
    const legacy = await read();
    const first = legacy.partners[0].partner;
    expect(purposeOf(legacy, first, 'CROSS_BRAND_PROFILE')).toEqual({
      purpose: 'CROSS_BRAND_PROFILE',
      granted: true,
      noticeVersion: LEGACY_NOTICE_VERSION,
      updatedAt: at.toISOString(),
    });

    const summary = await migrateLegacyConsents(memberModel(fed.dbs.profile.connection));
    expect(summary.membersMigrated).toBeGreaterThanOrEqual(1);
    expect(summary.linksMigrated).toBeGreaterThanOrEqual(stored.links.length);
    const after = (await members.findOne({ _id: 'M000002' }))!;
    expect(after.links.every((l) => !('consent' in l) && Array.isArray(l.consents))).toBe(true);
    expect(await read()).toEqual(legacy);
    expect(await migrateLegacyConsents(memberModel(fed.dbs.profile.connection))).toEqual({
      membersMigrated: 0,
      linksMigrated: 0,
    });
  });
});
