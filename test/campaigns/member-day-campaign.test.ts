import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import { addLocalMonths } from '../../subgraphs/shared/domain/programme-calendar.js';
import { audiencePosition } from '../../subgraphs/benefits/domain/campaigns/control-group.js';
import type { LinkedAccount } from '../events/event-fixtures.js';
import {
  jsonBody,
  linkedAccount,
  localCategory,
  pointsLedger,
  purchaseEvent,
  refundEvent,
  waitFor,
  waitForConsumerCaughtUp,
  waitForMemberCredited,
  waitForLedgerEntries,
  waitForOutboxDrained,
} from '../events/event-fixtures.js';
import { CAMPAIGN_CONSUMER_GROUP } from '../../subgraphs/benefits/server.js';
import { useTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';
import type { CampaignResultsFigures } from '../../subgraphs/benefits/data/campaigns/campaign-services.js';

/**
 * The member day of issue 11, end to end through the gateway: a ×2 campaign on the 18th of every month
 * (Asia/Shanghai), created by an operator, doubles the points of purchases that occurred on the 18th in
 * Shanghai and not on the 17th or 19th, stops at its budget, and leaves its control group at ×1.
 */
const PARTNER = 'pulsefit';
const shanghai = createProgrammeCalendar('Asia/Shanghai');

const CREATE = `mutation ($input: CampaignInput!) {
  createCampaign(input: $input) { id status controlShare window { timeZone recurrence { dayOfMonth } } }
}`;
const RESULTS = `query ($id: ID!) {
  campaign(id: $id) { pointsIssued results { participants treated control pointsIssued spendPerMemberTreated spendPerMemberControl uplift } }
}`;
const REFUND_RESULTS = `query ($id: ID!) {
  campaign(id: $id) { pointsIssued results { pointsIssued pointsReversed spendPerMemberTreated } }
}`;

describe('a member day ×2 on the 18th of every month', () => {
  const fed = useTestFederation({ members: 40 });
  let admin: string;

  beforeAll(async () => {
    admin = await fed.token({ role: 'admin', subject: 'ops-1' });
    // The seeded history is on the stream too: let the campaign consumer pass it before the campaign exists,
    // so that only this test's events meet it.
    await waitForOutboxDrained(fed);
    await waitForConsumerCaughtUp(fed, CAMPAIGN_CONSUMER_GROUP);
  });

  /** Linked accounts at the partner, one in the campaign's treated group and one in its control group. */
  async function treatedAndControl(
    campaignId: string,
    share: number,
  ): Promise<[LinkedAccount, LinkedAccount]> {
    const accounts: LinkedAccount[] = [];
    for (let skip = 0; skip < 30; skip++) {
      const account = await linkedAccount(fed, PARTNER, { skip }).catch(() => null);
      if (account && !accounts.some((a) => a.memberId === account.memberId)) accounts.push(account);
    }
    const treated = accounts.find((a) => audiencePosition(campaignId, a.memberId) >= share);
    const control = accounts.find((a) => audiencePosition(campaignId, a.memberId) < share);
    if (!treated || !control)
      throw new Error('the seeded accounts do not fall on both sides of the control share');
    return [treated, control];
  }

  it('doubles purchases on the 18th in Shanghai only, up to its budget, and not for the control group', async () => {
    // The 18th of last month on the programme calendar: the 17th, 18th and 19th are all in the past.
    const thisMonth = shanghai.localDate(new Date());
    const { year, month } = addLocalMonths(thisMonth, -1);
    const at = (day: number, hour: number, minute = 0) =>
      shanghai.instantOf({ year, month, day, hour, minute });
    const input = {
      name: 'Member day ×2',
      startsAt: shanghai.instantOf({ ...addLocalMonths(thisMonth, -3), day: 1 }).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      recurrence: { dayOfMonth: 18 },
      activities: ['PURCHASE'],
      pointsMultiplier: 2,
      budgetPoints: 150,
      controlShare: 0.5,
    };
    const created = await fed.query(CREATE, { token: admin, variables: { input } });
    expect(errorCodes(created.body)).toEqual([]);
    const campaign = dataOf<{ createCampaign: { id: string; status: string } }>(created.body).createCampaign;
    expect(campaign).toMatchObject({ status: 'ACTIVE' });

    const [treated, control] = await treatedAndControl(campaign.id, 0.5);
    const category = localCategory(fed, PARTNER);
    const buy = (account: LinkedAccount, occurredAt: Date) =>
      purchaseEvent(account.brandMemberId, {
        amountMinor: 10_000,
        category,
        occurredAt: occurredAt.toISOString(),
      });
    // 00:30 on the 18th in Shanghai is still the 17th in UTC; 00:30 on the 19th is still the 18th in UTC.
    const on17th = buy(treated, at(17, 12));
    const early18th = buy(treated, at(18, 0, 30));
    const late18th = buy(treated, at(18, 23, 30));
    const on19th = buy(treated, at(19, 0, 30));
    const control18th = buy(control, at(18, 12));
    const events = [on17th, early18th, late18th, on19th, control18th];
    const memberToken = await fed.token({ role: 'member', memberId: treated.memberId });
    const walletTotals = async () => {
      const { wallet } = dataOf<{
        me: { wallet: { balance: number; pending: number; lifetimeEarned: number } };
      }>(
        (await fed.query('{ me { wallet { balance pending lifetimeEarned } } }', { token: memberToken }))
          .body,
      ).me;
      return { held: wallet.balance + wallet.pending, lifetimeEarned: wallet.lifetimeEarned };
    };
    await waitForMemberCredited(fed, treated.memberId);
    const walletBefore = await walletTotals();
    const ingested = await fed.ingest(PARTNER, jsonBody(events));
    expect(ingested.body.summary).toMatchObject({ accepted: 5 });
    await waitForLedgerEntries(
      fed,
      PARTNER,
      events.map((e) => e.eventId),
    );

    const resultsOf = async (): Promise<{ pointsIssued: number; results: CampaignResultsFigures }> =>
      dataOf<{ campaign: { pointsIssued: number; results: CampaignResultsFigures } }>(
        (await fed.query(RESULTS, { token: admin, variables: { id: campaign.id } })).body,
      ).campaign;
    const settled = await waitFor('the campaign to count both members', async () => {
      const r = await resultsOf();
      return r.results.participants === 2 && r.results.treated === 1 ? r : null;
    });

    // The grants are recorded before the wallet write that issues them: wait for the ledger to have both.
    const campaignEntries = await waitFor('the campaign points in the ledger', async () => {
      const found = await pointsLedger(fed).find({ campaignId: campaign.id }).toArray();
      return found.length === 2 ? found : null;
    });
    // Base points (×1) for every purchase; the campaign's extra for the two 18th purchases only: 100 for the
    // first it processed, then the 50 left of the budget of 150.
    expect(campaignEntries.map((e) => e.sourceEventId).sort()).toEqual(
      [early18th.eventId, late18th.eventId].sort(),
    );
    expect(campaignEntries.map((e) => e.points).sort((a, b) => a - b)).toEqual([50, 100]);
    expect(campaignEntries.every((e) => e.memberId === treated.memberId && e.kind === 'earn')).toBe(true);
    const base = await pointsLedger(fed)
      .find({ sourceEventId: { $in: events.map((e) => e.eventId) }, campaignId: { $exists: false } })
      .toArray();
    expect(base.map((e) => e.points)).toEqual([100, 100, 100, 100, 100]);
    expect(settled).toEqual({
      pointsIssued: 150,
      results: {
        participants: 2,
        treated: 1,
        control: 1,
        pointsIssued: 150,
        spendPerMemberTreated: 20_000,
        spendPerMemberControl: 10_000,
        uplift: 1,
      },
    });

    // Another purchase on the 18th: the budget is spent, so nothing more is issued.
    const after = buy(treated, at(18, 15));
    await fed.ingest(PARTNER, jsonBody([after]));
    await waitForLedgerEntries(fed, PARTNER, [after.eventId]);
    await waitFor('the campaign to count the purchase', async () => {
      const r = await resultsOf();
      return r.results.spendPerMemberTreated === 30_000 ? r : null;
    });
    expect(await pointsLedger(fed).countDocuments({ campaignId: campaign.id })).toBe(2);
    expect((await resultsOf()).pointsIssued).toBe(150);

    // The campaign's points are in the wallet, not beside it: five purchases of 100 base points and its 150.
    const walletAfter = await walletTotals();
    expect(walletAfter.held - walletBefore.held).toBe(650);
    expect(walletAfter.lifetimeEarned - walletBefore.lifetimeEarned).toBe(650);

    // The member sees the campaign's entries in their wallet, named.
    const wallet = await fed.query(
      '{ me { wallet { history(first: 50) { edges { node { points sourceEventId campaignId } } } } } }',
      {
        token: memberToken,
      },
    );
    const history = dataOf<{
      me: {
        wallet: {
          history: {
            edges: { node: { points: number; sourceEventId: string; campaignId: string | null } }[];
          };
        };
      };
    }>(wallet.body).me.wallet.history.edges.map((e) => e.node);
    expect(
      history
        .filter((n) => n.campaignId === campaign.id)
        .map((n) => n.sourceEventId)
        .sort(),
    ).toEqual([early18th.eventId, late18th.eventId].sort());
  });

  it('takes the campaign points of a refunded purchase back in proportion, and returns them to the budget', async () => {
    // A ×2 day on the 10th of last month, no control group, a budget of 100 that the purchase spends whole.
    const thisMonth = shanghai.localDate(new Date());
    const { year, month } = addLocalMonths(thisMonth, -1);
    const input = {
      name: 'Tenth ×2',
      startsAt: shanghai.instantOf({ ...addLocalMonths(thisMonth, -3), day: 1 }).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      recurrence: { dayOfMonth: 10 },
      activities: ['PURCHASE'],
      pointsMultiplier: 2,
      budgetPoints: 100,
    };
    const created = await fed.query(CREATE, { token: admin, variables: { input } });
    const campaignId = dataOf<{ createCampaign: { id: string } }>(created.body).createCampaign.id;
    const buyer = await linkedAccount(fed, PARTNER, { skip: 3 });
    const boughtAt = shanghai.instantOf({ year, month, day: 10, hour: 12, minute: 0 });
    const purchase = purchaseEvent(buyer.brandMemberId, {
      amountMinor: 10_000,
      category: localCategory(fed, PARTNER),
      occurredAt: boughtAt.toISOString(),
    });
    await fed.ingest(PARTNER, jsonBody([purchase]));
    const earned = await waitFor('the campaign’s points for the purchase', async () => {
      const found = await pointsLedger(fed).find({ campaignId, kind: 'earn' }).toArray();
      return found.length === 1 ? found[0] : null;
    });
    expect(earned.points).toBe(100);

    // A quarter refunded, then the rest: 25 and 75 of the campaign's points back, beside the base reversals.
    const refundAt = (hours: number) => new Date(boughtAt.getTime() + hours * 3_600_000).toISOString();
    const quarter = refundEvent(purchase, 2_500, refundAt(24));
    await fed.ingest(PARTNER, jsonBody([quarter]));
    await waitForLedgerEntries(fed, PARTNER, [quarter.eventId]);
    const reversalsOf = (refund: { eventId: string }) =>
      waitFor('the campaign’s reversal of the refund', async () => {
        const found = await pointsLedger(fed)
          .find({ campaignId, kind: 'reverse', sourceEventId: refund.eventId })
          .toArray();
        return found.length === 1 ? found[0] : null;
      });
    expect(await reversalsOf(quarter)).toMatchObject({ points: -25, memberId: buyer.memberId });
    const afterQuarter = dataOf<{
      campaign: { pointsIssued: number; results: { pointsIssued: number; pointsReversed: number } };
    }>((await fed.query(REFUND_RESULTS, { token: admin, variables: { id: campaignId } })).body).campaign;
    expect(afterQuarter).toEqual({
      pointsIssued: 75,
      results: { pointsIssued: 75, pointsReversed: 25, spendPerMemberTreated: 7_500 },
    });

    const rest = refundEvent(purchase, 7_500, refundAt(48));
    await fed.ingest(PARTNER, jsonBody([rest, quarter])); // the first refund again: changes nothing
    expect(await reversalsOf(rest)).toMatchObject({ points: -75 });
    const settled = await waitFor('the results to show the whole refund', async () => {
      const r = dataOf<{
        campaign: { pointsIssued: number; results: { pointsReversed: number } };
      }>((await fed.query(REFUND_RESULTS, { token: admin, variables: { id: campaignId } })).body).campaign;
      return r.results.pointsReversed === 100 ? r : null;
    });
    expect(settled).toEqual({
      pointsIssued: 0,
      results: { pointsIssued: 0, pointsReversed: 100, spendPerMemberTreated: 0 },
    });
    expect(await pointsLedger(fed).countDocuments({ campaignId })).toBe(3);
    // The budget taken back is the campaign's to give again: another purchase on the 10th earns its extra.
    const again = purchaseEvent(buyer.brandMemberId, {
      amountMinor: 5_000,
      category: localCategory(fed, PARTNER),
      occurredAt: new Date(boughtAt.getTime() + 3_600_000).toISOString(),
    });
    await fed.ingest(PARTNER, jsonBody([again]));
    const second = await waitFor('the campaign’s points for the second purchase', async () =>
      pointsLedger(fed).findOne({ campaignId, kind: 'earn', sourceEventId: again.eventId }),
    );
    expect(second.points).toBe(50);
  });
});
