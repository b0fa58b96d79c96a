import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { tierForScore } from '../../subgraphs/shared/domain/tiers.js';
import { dataOf, errorCodes } from './graphql-responses.js';

/** The demo member: linked, with consent, to mindspark, inkwell and pulsefit (tools/seed/demo-population.ts). */
const MEMBER = 'M000001';
const PARTNER = 'pulsefit';

const DASHBOARD = `{ me {
  id
  profile { compositeScore tier { code } brandsActive shareOfWallet { partner share } }
  benefits { tier { code } items { benefit { id } } }
} }`;

interface Dashboard {
  me: {
    id: string;
    profile: {
      compositeScore: number;
      tier: { code: string };
      brandsActive: string[];
      shareOfWallet: { partner: string; share: number }[];
    };
    benefits: { tier: { code: string }; items: { benefit: { id: string } }[] };
  };
}

const CONSENT_FIELDS = '{ id partners { partner partnerMemberId consent { granted purpose updatedAt } } }';

interface ConsentResult {
  id: string;
  partners: {
    partner: string;
    partnerMemberId: string;
    consent: { granted: boolean; purpose: string; updatedAt: string };
  }[];
}

const linkOf = (member: ConsentResult, partner: string) => member.partners.find((l) => l.partner === partner);
const grantedFor = (member: ConsentResult, partner: string): boolean | undefined =>
  linkOf(member, partner)?.consent.granted;

describe('partner consent through the gateway', () => {
  let fed: TestFederation;
  let memberToken: string;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 120 });
    memberToken = await fed.token({ role: 'member', memberId: MEMBER });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  async function dashboard(): Promise<Dashboard['me']> {
    const { body } = await fed.query(DASHBOARD, { token: memberToken });
    expect(body.errors).toBeUndefined();
    const me = dataOf<Dashboard>(body).me;
    expect(me.id).toBe(MEMBER);
    // Both subgraphs derive the tier from the same inputs: the bundle is always matched for the profile's tier.
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);
    expect(me.profile.tier.code).toBe(tierForScore(me.profile.compositeScore).code);
    return me;
  }

  async function changeConsent(
    mutation: 'grantPartnerConsent' | 'revokePartnerConsent',
  ): Promise<ConsentResult> {
    const { body } = await fed.query(`mutation { ${mutation}(partner: "${PARTNER}") ${CONSENT_FIELDS} }`, {
      token: memberToken,
    });
    expect(body.errors).toBeUndefined();
    return dataOf<Record<string, ConsentResult>>(body)[mutation];
  }

  it('drops a partner from the profile as soon as consent is revoked, and brings it back on grant', async () => {
    const before = await dashboard();
    expect(before.profile.brandsActive).toContain(PARTNER);
    expect(before.profile.shareOfWallet.map((s) => s.partner)).toContain(PARTNER);

    const revoked = await changeConsent('revokePartnerConsent');
    expect(revoked.id).toBe(MEMBER);
    expect(grantedFor(revoked, PARTNER)).toBe(false);

    const without = await dashboard();
    expect(without.profile.brandsActive).not.toContain(PARTNER);
    expect(without.profile.shareOfWallet.map((s) => s.partner)).not.toContain(PARTNER);
    expect(without.profile.brandsActive.length).toBe(before.profile.brandsActive.length - 1);
    const walletTotal = without.profile.shareOfWallet.reduce((sum, s) => sum + s.share, 0);
    expect(walletTotal).toBeCloseTo(1, 9);

    const granted = await changeConsent('grantPartnerConsent');
    expect(grantedFor(granted, PARTNER)).toBe(true);

    const after = await dashboard();
    expect(after.profile.brandsActive).toEqual(before.profile.brandsActive);
    expect(after.profile.shareOfWallet).toEqual(before.profile.shareOfWallet);
    expect(after.profile.compositeScore).toBe(before.profile.compositeScore);
    expect(after.benefits.tier.code).toBe(before.benefits.tier.code);
  });

  it('changes only the consent flag and its time, keeping the link, its purpose and the other partners', async () => {
    const { body } = await fed.query(`{ me ${CONSENT_FIELDS} }`, { token: memberToken });
    const before = dataOf<{ me: ConsentResult }>(body).me;
    const revoked = await changeConsent('revokePartnerConsent');
    const granted = await changeConsent('grantPartnerConsent');

    for (const after of [revoked, granted]) {
      const link = linkOf(after, PARTNER)!;
      const original = linkOf(before, PARTNER)!;
      expect(link.partnerMemberId).toBe(original.partnerMemberId);
      expect(link.consent.purpose).toBe(original.consent.purpose);
      expect(Date.parse(link.consent.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(original.consent.updatedAt),
      );
      expect(after.partners.filter((l) => l.partner !== PARTNER)).toEqual(
        before.partners.filter((l) => l.partner !== PARTNER),
      );
    }
    expect(linkOf(granted, PARTNER)!.consent.granted).toBe(true);
  });

  it('answers NOT_FOUND for a partner the member has no account at', async () => {
    const { body: links } = await fed.query('{ me { partners { partner } } }', { token: memberToken });
    const linked = new Set(
      dataOf<{ me: { partners: { partner: string }[] } }>(links).me.partners.map((l) => l.partner),
    );
    const unlinked = fed.registry.partners.find((p) => !linked.has(p.key))!;
    expect(unlinked).toBeDefined();

    const { body } = await fed.query(`mutation { revokePartnerConsent(partner: "${unlinked.key}") { id } }`, {
      token: memberToken,
    });
    expect(errorCodes(body)).toEqual(['NOT_FOUND']);
  });

  it('answers BAD_USER_INPUT for an unknown partner', async () => {
    for (const mutation of ['revokePartnerConsent', 'grantPartnerConsent']) {
      const { status, body } = await fed.query(`mutation { ${mutation}(partner: "nope") { id } }`, {
        token: memberToken,
      });
      expect(status).not.toBe(500);
      expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('is FORBIDDEN to partner staff and operators, UNAUTHENTICATED without a token, and changes nothing', async () => {
    const staff = await fed.token({ role: 'partner_staff', partner: PARTNER });
    const admin = await fed.token({ role: 'admin' });
    for (const token of [staff, admin]) {
      const { body } = await fed.query(`mutation { revokePartnerConsent(partner: "${PARTNER}") { id } }`, {
        token,
      });
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
    }
    const anonymous = await fed.query(`mutation { revokePartnerConsent(partner: "${PARTNER}") { id } }`);
    expect(errorCodes(anonymous.body)).toEqual(['UNAUTHENTICATED']);

    const { body } = await fed.query(`{ me ${CONSENT_FIELDS} }`, { token: memberToken });
    expect(grantedFor(dataOf<{ me: ConsentResult }>(body).me, PARTNER)).toBe(true);
  });
});
