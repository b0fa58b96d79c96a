import { useTestFederation } from '../federation-harness.js';
import { dataOf } from './graphql-responses.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } inkwell { brandMemberId } profile { compositeScore brandsActive unavailablePartners explanation tier { code } }
  benefits { tier { code } unavailablePartners items { benefit { id } } } } }`;

interface Dashboard {
  me: {
    id: string;
    mindspark: { brandMemberId: string } | null;
    inkwell: { brandMemberId: string } | null;
    profile: {
      compositeScore: number;
      brandsActive: string[];
      unavailablePartners: string[];
      explanation: string[];
      tier: { code: string };
    };
    benefits: { tier: { code: string }; unavailablePartners: string[]; items: { benefit: { id: string } }[] };
  };
}

describe('a brand subgraph that does not answer', () => {
  const fed = useTestFederation({ members: 40 });
  let token: string;

  beforeAll(async () => {
    token = await fed.token({ role: 'member', memberId: 'M000001' });
  });

  it('answers a complete profile while every brand answers', async () => {
    const { body } = await fed.query(DASHBOARD, { token });
    expect(body.errors).toBeUndefined();
    const me = dataOf<Dashboard>(body).me;
    expect(me.profile.unavailablePartners).toEqual([]);
    expect(me.benefits.unavailablePartners).toEqual([]);
    expect(me.profile.brandsActive).toContain('mindspark');
  });

  it('says which consented brand is missing instead of silently scoring without it', async () => {
    const before = dataOf<Dashboard>((await fed.query(DASHBOARD, { token })).body).me;
    await fed.federation.stopSubgraph('mindspark');

    const { status, body } = await fed.query(DASHBOARD, { token });
    expect(status).toBe(200);
    // The brand's failure is reported once per fetch, by name, and the rest of the dashboard still answers.
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(error.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(error.message).toBe(
        'mindspark is not answering right now; its data is left out of this answer.',
      );
    }
    const me = dataOf<Dashboard>(body).me;
    expect(me.mindspark).toBeNull();
    expect(me.inkwell?.brandMemberId).toBe(before.inkwell?.brandMemberId);
    expect(me.profile.unavailablePartners).toEqual(['mindspark']);
    expect(me.benefits.unavailablePartners).toEqual(['mindspark']);
    expect(me.profile.brandsActive).not.toContain('mindspark');
    expect(me.profile.explanation.join(' ')).toMatch(/mindspark did not answer/);
    // Both subgraphs saw the same inputs, so they still agree on the tier.
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);
    expect(me.profile.compositeScore).toBeLessThanOrEqual(before.profile.compositeScore);
    expect(me.benefits.items.length).toBeGreaterThan(0);
  });
});
