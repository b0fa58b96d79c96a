import type { BenefitDocument } from '../../subgraphs/benefits/data/catalogue-model.js';
import type { RedemptionSeed } from '../../subgraphs/benefits/domain/redemption-terms.js';
import { useTestFederation } from '../federation-harness.js';
import { walletOf } from '../events/event-fixtures.js';
import { demoMemberPurchase } from './demo-member-purchase.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/** Redeeming catalogue benefits with points, through the gateway (README "Spending points"). */
const PARTNER = 'pulsefit';

const REDEEM = `mutation ($input: RedeemBenefitInput!) {
  redeemBenefit(input: $input) { id status voucherCode quantity pointsSpent honouredBy redeemedAt expiresAt benefit { id costPoints } }
}`;

interface Redemption {
  id: string;
  status: string;
  voucherCode: string;
  quantity: number;
  pointsSpent: number;
  honouredBy: string;
  redeemedAt: string;
  expiresAt: string;
  benefit: { id: string; costPoints: number };
}

describe('redeeming benefits with points', () => {
  const fed = useTestFederation({ members: 20 });
  let memberId: string;
  let token: string;
  let keySeq = 0;
  const newKey = () => `key-${process.pid}-${++keySeq}`;

  async function redeem(benefitId: string, quantity = 1, idempotencyKey = newKey()) {
    const { status, body } = await fed.query(REDEEM, {
      token,
      variables: { input: { benefitId, quantity, idempotencyKey } },
    });
    expect(status).toBe(200);
    return {
      redemption: body.data ? (body.data.redeemBenefit as Redemption) : null,
      codes: errorCodes(body),
      message: body.errors?.[0]?.message,
    };
  }

  const balance = async () => (await walletOf(fed, memberId)).balance;

  async function setTerms(benefitId: string, redemption: RedemptionSeed): Promise<void> {
    await fed.dbs.benefits.connection
      .collection<BenefitDocument>('benefits')
      .updateOne({ _id: benefitId }, { $set: { redemption } });
  }

  beforeAll(async () => {
    memberId = (await demoMemberPurchase(fed, PARTNER, 2_000_000)).memberId;
    token = await fed.token({ role: 'member', memberId });
    // The dashboard records the member's tier, which redemption checks eligibility against.
    const { body } = await fed.query('{ me { benefits { tier { code } } } }', { token });
    expect(body.errors).toBeUndefined();
  });

  it('shows what a benefit costs and takes exactly that, once per idempotency key', async () => {
    const before = await balance();
    const key = newKey();
    const first = await redeem('SL-POPCORN', 1, key);
    expect(first.codes).toEqual([]);
    expect(first.redemption).toMatchObject({
      status: 'CONFIRMED',
      quantity: 1,
      pointsSpent: 600,
      honouredBy: 'starlight',
      benefit: { id: 'SL-POPCORN', costPoints: 600 },
    });
    expect(first.redemption!.voucherCode).toMatch(/^V-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(await balance()).toBe(before - 600);

    const again = await redeem('SL-POPCORN', 1, key);
    expect(again.redemption).toEqual(first.redemption);
    expect(await balance()).toBe(before - 600);

    const reused = await redeem('SL-POPCORN', 2, key);
    expect(reused.codes).toEqual(['CONFLICT']);
    expect(await balance()).toBe(before - 600);
  });

  it('lists the member’s redemptions and cancels one: the points come back, once', async () => {
    const before = await balance();
    const { redemption } = await redeem('PF-DAY-PASS');
    expect(await balance()).toBe(before - 2_000);
    const list = await fed.query(
      '{ me { redemptions(first: 5) { edges { node { id status pointsSpent } } } } }',
      {
        token,
      },
    );
    const nodes = dataOf<{ me: { redemptions: { edges: { node: { id: string } }[] } } }>(list.body).me
      .redemptions.edges;
    expect(nodes[0].node).toEqual({ id: redemption!.id, status: 'CONFIRMED', pointsSpent: 2_000 });

    const cancel = 'mutation ($id: ID!) { cancelRedemption(id: $id) { id status cancelledAt } }';
    for (let i = 0; i < 2; i++) {
      const { body } = await fed.query(cancel, { token, variables: { id: redemption!.id } });
      expect(body.errors).toBeUndefined();
      expect(dataOf<{ cancelRedemption: { status: string } }>(body).cancelRedemption.status).toBe(
        'CANCELLED',
      );
    }
    expect(await balance()).toBe(before);
    const unknown = await fed.query(cancel, { token, variables: { id: 'R-none' } });
    expect(errorCodes(unknown.body)).toEqual(['NOT_FOUND']);
  });

  it('refuses with a code per reason, and takes nothing', async () => {
    const before = await balance();
    expect((await redeem('SL-DIAMOND-10')).codes).toEqual(['NOT_ELIGIBLE']);
    await setTerms('IW-KIDS-SHELF', { validUntil: '2020-01-31' });
    expect((await redeem('IW-KIDS-SHELF')).codes).toEqual(['NOT_ELIGIBLE']);
    await setTerms('MS-TRIAL-PRO', { perMemberLimit: { count: 1, period: 'LIFETIME' } });
    expect((await redeem('MS-TRIAL-PRO', 2)).codes).toEqual(['LIMIT_REACHED']);
    await setTerms('PF-KIDS-SWIM', { stock: { total: 1 } });
    expect((await redeem('PF-KIDS-SWIM', 2)).codes).toEqual(['OUT_OF_STOCK']);
    const short = await redeem('SL-IMAX-UPGRADE', 100);
    expect(short.codes).toEqual(['INSUFFICIENT_POINTS']);
    expect(short.message).toMatch(/costs 100,000 points/);
    expect((await redeem('NO-SUCH-BENEFIT')).codes).toEqual(['NOT_FOUND']);
    expect((await redeem('SL-POPCORN', 0)).codes).toEqual(['BAD_USER_INPUT']);
    expect(await balance()).toBe(before);

    const staff = await fed.token({ role: 'partner_staff', partner: 'starlight' });
    const { body } = await fed.query(REDEEM, {
      token: staff,
      variables: { input: { benefitId: 'SL-POPCORN', quantity: 1, idempotencyKey: newKey() } },
    });
    expect(errorCodes(body)).toEqual(['FORBIDDEN']);
  });

  it('sells the last units of stock exactly once under parallel redemptions', async () => {
    // IW-KIDS-SHELF costs 1,000 points; three units left, ten members' worth of requests at once.
    const stockLimited = ['IW-KIDS-SHELF'];
    await setTerms(stockLimited[0], { stock: { total: 3 } });
    const before = await balance();
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(stockLimited[0])));
    const ok = results.filter((r) => r.redemption);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r.codes[0] === 'OUT_OF_STOCK')).toHaveLength(7);
    expect(await balance()).toBe(before - 3 * 1_000);
    const { body } = await fed.query(
      `{ benefitCatalogue(partner: "inkwell", first: 20) { edges { node { id stockLeft } } } }`,
      {
        token,
      },
    );
    const node = dataOf<{
      benefitCatalogue: { edges: { node: { id: string; stockLeft: number | null } }[] };
    }>(body).benefitCatalogue.edges.find((e) => e.node.id === stockLimited[0]);
    expect(node?.node.stockLeft).toBe(0);
  });

  it('never lets parallel redemptions take the balance below zero', async () => {
    const start = await balance();
    const cost = 1_000;
    const affordable = Math.floor(start / cost);
    // SL-IMAX-UPGRADE costs 1,000 points; ask for more than the member can pay for, all at once.
    const results = await Promise.all(
      Array.from({ length: affordable + 5 }, () => redeem('SL-IMAX-UPGRADE')),
    );
    expect(results.filter((r) => r.redemption)).toHaveLength(affordable);
    expect(results.filter((r) => r.codes[0] === 'INSUFFICIENT_POINTS')).toHaveLength(5);
    expect(await balance()).toBe(start - affordable * cost);
  });
});
