import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { tierForScore } from '../../subgraphs/shared/domain/tiers.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } } benefits { items { benefit { id title } reason } } } }`;

describe('member dashboard through the gateway', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startTestFederation();
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('answers the dashboard query for M000001 with no errors', async () => {
    const token = await fed.token({ role: 'member', memberId: 'M000001' });
    const { status, body } = await fed.query(DASHBOARD, { token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const me = body.data!.me as {
      id: string;
      mindspark: { brandMemberId: string };
      profile: {
        compositeScore: number;
        tier: { code: string };
        affinities: { category: string; share: number }[];
      };
      benefits: { items: { benefit: { id: string; title: string }; reason: string }[] };
    };
    expect(me.id).toBe('M000001');
    expect(me.mindspark.brandMemberId).toMatch(/^MI/);
    const sum = me.profile.affinities.reduce((s, a) => s + a.share, 0);
    expect(sum).toBeCloseTo(1, 9);
    expect(me.profile.tier.code).toBe(tierForScore(me.profile.compositeScore).code);
    expect(me.benefits.items.length).toBeGreaterThan(0);
    for (const item of me.benefits.items) expect(item.reason.length).toBeGreaterThan(10);
  });
});
