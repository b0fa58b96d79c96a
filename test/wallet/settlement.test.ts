import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { pointsLedger } from '../events/event-fixtures.js';
import { demoMemberPurchase } from './demo-member-purchase.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/**
 * Settlement between partners through the gateway (README "Settlement between partners"): points earned at
 * one partner and spent at another's checkout, the month's statements, staff scoping, CSV, the close and
 * what a closed statement does when the ledger moves on. The services' clock is moved past the month's end.
 */
const EARNED_AT = 'mindspark';
const HONOURED_AT = 'inkwell';
const DAY_MS = 86_400_000;

const STATEMENT = `query ($p: String!, $m: String!) { partnerSettlement(partner: $p, month: $m) {
  partner month timeZone status closedAt pointsIssued pointsReversed pointsAdjusted pointsRedeemed
  pointsRedeemedReturned pointsExpired fundingOwedByPartnerMinor reimbursementOwedToPartnerMinor
  netOwedToPartnerMinor liabilityOpeningPoints liabilityClosingPoints liabilityClosingMinor entryCount csv } }`;
const CLOSE = `mutation ($m: String!) { closeSettlementMonth(month: $m) { month closedAt statements {
  partner status pointsRedeemed reimbursementOwedToPartnerMinor csv } } }`;
const LIABILITY = `query ($m: String) { outstandingPointsLiability(month: $m) { month totalPoints totalFundingMinor
  byPartner { partner points fundingMinor } } }`;
const PAY = `mutation ($input: PayWithPointsInput!) { payWithPoints(input: $input) { points } }`;

type Statement = Record<string, string | number | null>;

describe('settlement between partners', () => {
  let fed: TestFederation;
  let shiftMs = 0;
  const clock = () => new Date(Date.now() + shiftMs);
  const calendar = createProgrammeCalendar();
  let month: string;
  let admin: string;
  let checkout: string;

  const statementOf = async (partner: string, m: string, token = admin): Promise<Statement> => {
    const { body } = await fed.query(STATEMENT, { token, variables: { p: partner, m } });
    expect(body.errors).toBeUndefined();
    return dataOf<{ partnerSettlement: Statement }>(body).partnerSettlement;
  };
  const pay = async (orderId: string, points: number) => {
    const input = {
      memberRef: DEMO_MEMBER_ID,
      orderId,
      orderAmountMinor: 100_000,
      points,
      idempotencyKey: orderId,
    };
    const { body } = await fed.query(PAY, { token: checkout, variables: { input } });
    expect(body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    fed = await startTestFederation({ members: 20, now: clock });
    month = calendar.monthKey(clock());
    admin = await fed.token({ role: 'admin' });
    checkout = await fed.token({ role: 'partner_service', partner: HONOURED_AT });
    await demoMemberPurchase(fed, EARNED_AT, 800_000);
    await pay(`settle-a-${process.pid}`, 3_000);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it("reports what each partner funds and is reimbursed, from the ledger, to operators and the partner's staff", async () => {
    const honoured = await statementOf(HONOURED_AT, month);
    // inkwell is reimbursed 9 fen per 10 points in the registry.
    expect(honoured).toMatchObject({
      partner: HONOURED_AT,
      month,
      timeZone: 'Asia/Shanghai',
      status: 'OPEN',
      closedAt: null,
      pointsRedeemed: 3_000,
      pointsRedeemedReturned: 0,
      reimbursementOwedToPartnerMinor: 2_700,
    });
    expect(honoured.netOwedToPartnerMinor).toBe(2_700 - (honoured.fundingOwedByPartnerMinor as number));

    const earned = await statementOf(EARNED_AT, month);
    const issuedHere = await pointsLedger(fed)
      .find({ settlementMonth: month, partner: EARNED_AT, kind: 'earn' })
      .toArray();
    expect(earned.pointsIssued).toBe(issuedHere.reduce((sum, e) => sum + e.points, 0));
    expect(earned.pointsIssued as number).toBeGreaterThanOrEqual(8_000);
    expect(earned.fundingOwedByPartnerMinor).toBe(
      (earned.pointsIssued as number) - (earned.pointsReversed as number) + (earned.pointsAdjusted as number),
    );
    // Liability follows the points in each partner's lots: over all partners, the month's change of the
    // liability is the month's net change of points in the ledger.
    const statements = await Promise.all(fed.registry.partners.map((p) => statementOf(p.key, month)));
    const liabilityChange = statements.reduce(
      (sum, st) => sum + (st.liabilityClosingPoints as number) - (st.liabilityOpeningPoints as number),
      0,
    );
    const monthEntries = await pointsLedger(fed).find({ settlementMonth: month }).toArray();
    expect(liabilityChange).toBe(monthEntries.reduce((sum, e) => sum + e.points, 0));

    const staff = await fed.token({ role: 'partner_staff', partner: HONOURED_AT });
    expect(await statementOf(HONOURED_AT, month, staff)).toEqual(honoured);
    const other = await fed.query(STATEMENT, { token: staff, variables: { p: EARNED_AT, m: month } });
    expect(errorCodes(other.body)).toEqual(['FORBIDDEN']);
    for (const token of [checkout, await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID })]) {
      const denied = await fed.query(STATEMENT, { token, variables: { p: HONOURED_AT, m: month } });
      expect(errorCodes(denied.body)).toEqual(['FORBIDDEN']);
    }
    const badMonth = await fed.query(STATEMENT, {
      token: admin,
      variables: { p: HONOURED_AT, m: '2026-13' },
    });
    expect(errorCodes(badMonth.body)).toEqual(['BAD_USER_INPUT']);
    const unknown = await fed.query(STATEMENT, { token: admin, variables: { p: 'nosuch', m: month } });
    expect(errorCodes(unknown.body)).toEqual(['NOT_FOUND']);
  });

  it('exports the statement as CSV, one line per figure', async () => {
    const { csv } = await statementOf(HONOURED_AT, month);
    const lines = (csv as string).split('\r\n');
    expect(lines[0]).toBe('partner,month,time_zone,line,points,amount_minor,amount_cny');
    expect(lines).toContain(
      `${HONOURED_AT},${month},Asia/Shanghai,reimbursement_owed_to_partner,3000,2700,27.00`,
    );
    expect(lines.at(-1)).toBe('');
  });

  it('shows operators the outstanding liability, equal to the points held in the wallets', async () => {
    const { body } = await fed.query(LIABILITY, { token: admin, variables: { m: month } });
    expect(body.errors).toBeUndefined();
    const liability = dataOf<{ outstandingPointsLiability: { totalPoints: number } }>(
      body,
    ).outstandingPointsLiability;
    const wallets = await fed.dbs.benefits.connection
      .collection<{ lots: { remaining: number }[] }>('wallets')
      .find({})
      .toArray();
    const held = wallets.flatMap((w) => w.lots).reduce((sum, lot) => sum + lot.remaining, 0);
    expect(liability.totalPoints).toBe(held);
    const staff = await fed.token({ role: 'partner_staff', partner: HONOURED_AT });
    expect(errorCodes((await fed.query(LIABILITY, { token: staff })).body)).toEqual(['FORBIDDEN']);
  });

  it('closes an ended month once; a closed statement never changes, later entries go to the next month', async () => {
    const early = await fed.query(CLOSE, { token: admin, variables: { m: month } });
    expect(errorCodes(early.body)).toEqual(['MONTH_NOT_ENDED']);
    const open = await statementOf(HONOURED_AT, month);

    const nextMonthStart = calendar.monthBounds(month).end.getTime();
    shiftMs = nextMonthStart + DAY_MS - Date.now();
    const closed = await fed.query(CLOSE, { token: admin, variables: { m: month } });
    expect(closed.body.errors).toBeUndefined();
    const result = dataOf<{ closeSettlementMonth: { closedAt: string; statements: Statement[] } }>(
      closed.body,
    ).closeSettlementMonth;
    expect(result.statements.map((s) => s.partner)).toEqual(fed.registry.partners.map((p) => p.key).sort());
    expect(result.statements.every((s) => s.status === 'CLOSED')).toBe(true);
    const again = await fed.query(CLOSE, { token: admin, variables: { m: month } });
    expect(dataOf<{ closeSettlementMonth: unknown }>(again.body).closeSettlementMonth).toEqual(result);

    const closedStatement = await statementOf(HONOURED_AT, month);
    expect({ ...closedStatement, status: 'OPEN', closedAt: null }).toEqual(open);
    expect(closedStatement).toMatchObject({ status: 'CLOSED', closedAt: result.closedAt });

    // A payment recorded with a clock still in the closed month is booked in the next open one.
    shiftMs = 0;
    const lateOrder = `settle-b-${process.pid}`;
    await pay(lateOrder, 1_000);
    const late = await pointsLedger(fed).findOne({ orderRef: lateOrder });
    const next = calendar.monthKey(new Date(nextMonthStart));
    expect(late?.settlementMonth).toBe(next);
    expect(await statementOf(HONOURED_AT, month)).toEqual(closedStatement);
    expect(await statementOf(HONOURED_AT, next)).toMatchObject({
      status: 'OPEN',
      pointsRedeemed: 1_000,
      reimbursementOwedToPartnerMinor: 900,
    });
  });
});
