import { useTestFederation } from '../federation-harness.js';
import { walletOf } from '../events/event-fixtures.js';
import { demoMemberPurchase } from './demo-member-purchase.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/** Paying with points at a partner's checkout, through the gateway (README "Spending points"). */
const PARTNER = 'mindspark';

const QUOTE = `query ($m: ID!, $a: MinorUnits!) { quotePointsPayment(memberRef: $m, orderAmountMinor: $a) {
  partner orderAmountMinor tierDiscountBasisPoints discountMinor payableMinor availablePoints maxPoints cashAfterMaxPointsMinor } }`;
const PAY = `mutation ($input: PayWithPointsInput!) { payWithPoints(input: $input) { orderId points valueMinor discountMinor cashMinor } }`;
const REFUND = `mutation ($o: String!) { refundPointsPayment(orderId: $o) { orderId pointsBack cashBackMinor } }`;

describe('points at a partner checkout', () => {
  const fed = useTestFederation({ members: 20 });
  let memberId: string;
  let checkout: string;

  beforeAll(async () => {
    memberId = (await demoMemberPurchase(fed, PARTNER, 500_000)).memberId;
    checkout = await fed.token({ role: 'partner_service', partner: PARTNER });
  });

  it('quotes, pays once per order, and gives the points back when the order is cancelled', async () => {
    const before = (await walletOf(fed, memberId)).balance;
    const quote = await fed.query(QUOTE, { token: checkout, variables: { m: memberId, a: 10_000 } });
    expect(quote.body.errors).toBeUndefined();
    const q = dataOf<{ quotePointsPayment: Record<string, number | string> }>(quote.body).quotePointsPayment;
    expect(q).toMatchObject({ partner: PARTNER, orderAmountMinor: 10_000, availablePoints: before });
    expect(q.payableMinor).toBe(10_000 - (q.discountMinor as number));
    expect(q.maxPoints).toBe(Math.min(before, q.payableMinor as number));

    const input = {
      memberRef: memberId,
      orderId: `o-${process.pid}`,
      orderAmountMinor: 10_000,
      points: 3_000,
      idempotencyKey: 'k1',
    };
    const first = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(first.body.errors).toBeUndefined();
    const paid = dataOf<{ payWithPoints: Record<string, number> }>(first.body).payWithPoints;
    expect(paid).toMatchObject({
      points: 3_000,
      valueMinor: 3_000,
      cashMinor: (q.payableMinor as number) - 3_000,
    });
    expect((await walletOf(fed, memberId)).balance).toBe(before - 3_000);

    const again = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(dataOf<{ payWithPoints: unknown }>(again.body).payWithPoints).toEqual(paid);
    const other = await fed.query(PAY, {
      token: checkout,
      variables: { input: { ...input, points: 2_000 } },
    });
    expect(errorCodes(other.body)).toEqual(['CONFLICT']);
    expect((await walletOf(fed, memberId)).balance).toBe(before - 3_000);

    const refund = await fed.query(REFUND, { token: checkout, variables: { o: input.orderId } });
    expect(refund.body.errors).toBeUndefined();
    expect(
      dataOf<{ refundPointsPayment: Record<string, number> }>(refund.body).refundPointsPayment,
    ).toMatchObject({
      pointsBack: 3_000,
    });
    expect((await walletOf(fed, memberId)).balance).toBe(before);
    const twice = await fed.query(REFUND, { token: checkout, variables: { o: input.orderId } });
    expect(twice.body.errors).toBeUndefined();
    expect((await walletOf(fed, memberId)).balance).toBe(before);
  });

  it('refuses more points than the balance, and anyone but a partner checkout', async () => {
    const before = (await walletOf(fed, memberId)).balance;
    const input = {
      memberRef: memberId,
      orderId: `big-${process.pid}`,
      orderAmountMinor: 100_000_000,
      points: before + 100,
      idempotencyKey: 'k2',
    };
    const short = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(errorCodes(short.body)).toEqual(['INSUFFICIENT_POINTS']);
    const member = await fed.token({ role: 'member', memberId });
    const denied = await fed.query(PAY, { token: member, variables: { input: { ...input, points: 1 } } });
    expect(errorCodes(denied.body)).toEqual(['FORBIDDEN']);
    const unknown = await fed.query(REFUND, { token: checkout, variables: { o: 'no-such-order' } });
    expect(errorCodes(unknown.body)).toEqual(['NOT_FOUND']);
    expect((await walletOf(fed, memberId)).balance).toBe(before);
  });

  it('refuses a member who has no account linked at the calling partner', async () => {
    const members = fed.dbs.profile.connection.collection<{ _id: string }>('members');
    const stranger = await members.findOne({ 'links.partner': { $ne: PARTNER } });
    expect(stranger).not.toBeNull();
    const quote = await fed.query(QUOTE, { token: checkout, variables: { m: stranger!._id, a: 10_000 } });
    expect(errorCodes(quote.body)).toEqual(['MEMBER_NOT_LINKED']);
    const input = {
      memberRef: stranger!._id,
      orderId: `stranger-${process.pid}`,
      orderAmountMinor: 10_000,
      points: 100,
      idempotencyKey: 'k3',
    };
    const pay = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(errorCodes(pay.body)).toEqual(['MEMBER_NOT_LINKED']);
  });

  it("applies a running campaign's discount when it beats the tier discount, with the reason", async () => {
    const staff = await fed.token({ role: 'partner_staff', partner: PARTNER });
    const hour = 3_600_000;
    const created = await fed.query(
      `mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        token: staff,
        variables: {
          input: {
            name: 'Checkout sale',
            partner: PARTNER,
            startsAt: new Date(Date.now() - hour).toISOString(),
            endsAt: new Date(Date.now() + 24 * hour).toISOString(),
            activities: ['PURCHASE'],
            discountPercent: 25,
            controlShare: 0,
          },
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const campaignId = dataOf<{ createCampaign: { id: string } }>(created.body).createCampaign.id;
    const quote = await fed.query(
      `query ($m: ID!, $a: MinorUnits!) { quotePointsPayment(memberRef: $m, orderAmountMinor: $a) {
        tierDiscountBasisPoints discountBasisPoints discountSource discountCampaignId discountReason discountMinor payableMinor } }`,
      { token: checkout, variables: { m: memberId, a: 10_000 } },
    );
    expect(quote.body.errors).toBeUndefined();
    expect(dataOf<{ quotePointsPayment: unknown }>(quote.body).quotePointsPayment).toEqual({
      tierDiscountBasisPoints: expect.any(Number),
      discountBasisPoints: 2_500,
      discountSource: 'CAMPAIGN',
      discountCampaignId: campaignId,
      discountReason: `Campaign "Checkout sale": 25 % off at ${PARTNER}`,
      discountMinor: 2_500,
      payableMinor: 7_500,
    });
    const input = {
      memberRef: memberId,
      orderId: `sale-${process.pid}`,
      orderAmountMinor: 10_000,
      points: 1_000,
      idempotencyKey: 'k4',
    };
    const paid = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(dataOf<{ payWithPoints: unknown }>(paid.body).payWithPoints).toMatchObject({
      discountMinor: 2_500,
      cashMinor: 6_500,
    });
  });
});
