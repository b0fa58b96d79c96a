import { createProgrammeCalendar } from '../../subgraphs/shared/domain/programme-calendar.js';
import { expiresAtFor } from '../../subgraphs/benefits/domain/expiry-policy.js';
import type { WalletDocument } from '../../subgraphs/benefits/data/wallet-store.js';
import type { PartnerEvent } from '../../subgraphs/shared/events/partner-event.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import {
  daysAgo,
  interactionEvent,
  jsonBody,
  linkedAccount,
  localCategory,
  pointsLedger,
  purchaseEvent,
  refundEvent,
  waitForLedgerEntries,
  waitForMemberCredited,
  walletOf,
} from '../events/event-fixtures.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/** The wallet as the graph shows it: lots, pending-first reversals, expiry (docs/architecture.md §9). */
const PARTNER = 'inkwell';
const calendar = createProgrammeCalendar();

describe('the points wallet through the gateway', () => {
  const fed = useTestFederation({ members: 20 });
  const setting = computedBeforeAll(async () => {
    const account = await linkedAccount(fed, PARTNER, { memberId: DEMO_MEMBER_ID });
    const category = localCategory(fed, PARTNER);
    const memberToken = await fed.token({ role: 'member', memberId: account.memberId });
    const adminToken = await fed.token({ role: 'admin' });
    await waitForMemberCredited(fed, account.memberId);
    return { account, category, memberToken, adminToken };
  });
  /** A purchase by the suite's member in a category of the partner. */
  const memberPurchase = (amountMinor: number, occurredAt: string) =>
    purchaseEvent(setting.account.brandMemberId, { amountMinor, category: setting.category, occurredAt });

  async function ingest(...events: PartnerEvent[]): Promise<void> {
    for (const event of events) {
      const { status, body } = await fed.ingest(PARTNER, jsonBody([event]));
      expect(status).toBe(200);
      expect(body.summary?.accepted).toBe(1);
    }
    await waitForLedgerEntries(
      fed,
      PARTNER,
      events.map((e) => e.eventId),
    );
  }

  it('cancels the points of a ¥1,000 purchase refunded within its pending period: balance and pending do not move', async () => {
    const before = await walletOf(fed, setting.account.memberId);
    const purchase = memberPurchase(100_000, daysAgo(2));
    await ingest(purchase, refundEvent(purchase, 100_000, daysAgo(1)));

    const after = await walletOf(fed, setting.account.memberId);
    expect(after.balance).toBe(before.balance);
    expect(after.pending).toBe(before.pending);
    expect(after.lifetimeEarned - before.lifetimeEarned).toBe(1_000);
    expect(after.history.edges.map((e) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'EARN', points: 1_000, sourceEventId: purchase.eventId }),
        expect.objectContaining({ kind: 'REVERSE', points: -1_000 }),
      ]),
    );
  });

  it('takes a refund after the points became spendable out of the balance, never below what the order gave', async () => {
    const before = await walletOf(fed, setting.account.memberId);
    const purchase = memberPurchase(40_000, daysAgo(20));
    await ingest(purchase);
    const earned = await walletOf(fed, setting.account.memberId);
    expect(earned.balance - before.balance).toBe(400);

    await ingest(refundEvent(purchase, 10_000, daysAgo(5)));
    const after = await walletOf(fed, setting.account.memberId);
    expect(after.balance - before.balance).toBe(300);
    expect(after.pending).toBe(before.pending);
  });

  it('leaves points past their expiry out of the balance, and the sweep writes their EXPIRE entry once', async () => {
    const before = await walletOf(fed, setting.account.memberId);
    const old = memberPurchase(30_000, daysAgo(600));
    await ingest(old);
    const after = await walletOf(fed, setting.account.memberId);
    expect(after.lifetimeEarned - before.lifetimeEarned).toBe(300);
    expect(after.balance).toBe(before.balance);
    expect(after.pending).toBe(before.pending);

    const sweep = 'mutation { sweep: sweepExpiredPoints { wallets points } }';
    for (let run = 0; run < 2; run++) {
      const { status, body } = await fed.query(sweep, { token: setting.adminToken });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    }
    const expiries = await pointsLedger(fed)
      .find({ _id: `expire:${PARTNER}:${old.eventId}` })
      .toArray();
    expect(expiries).toEqual([expect.objectContaining({ kind: 'expire', points: -300 })]);
    const wallet = await walletOf(fed, setting.account.memberId);
    expect(wallet.history.edges.map((e) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: `expire:${PARTNER}:${old.eventId}`, kind: 'EXPIRE', points: -300 }),
      ]),
    );
    expect(wallet.balance).toBe(before.balance);

    const { body } = await fed.query(sweep, { token: setting.memberToken });
    expect(errorCodes(body)).toEqual(['FORBIDDEN']);
  });

  it('lists the points that expire within the days asked, by the day they expire', async () => {
    const interaction = interactionEvent(setting.account.brandMemberId, daysAgo(340));
    await ingest(interaction);
    const expected = expiresAtFor(new Date(interaction.occurredAt), fed.earningRules.expiry, calendar)!;

    const { body } = await fed.query('{ me { wallet { expiring(withinDays: 70) { points on lastDay } } } }', {
      token: setting.memberToken,
    });
    expect(body.errors).toBeUndefined();
    const expiring = dataOf<{
      me: { wallet: { expiring: { points: number; on: string; lastDay: string }[] } };
    }>(body).me.wallet.expiring;
    const wallet = await fed.dbs.benefits.connection
      .collection<WalletDocument>('wallets')
      .findOne({ _id: setting.account.memberId });
    const held = wallet!.lots
      .filter((lot) => lot.remaining > 0 && lot.expiresAt?.getTime() === expected.getTime())
      .reduce((sum, lot) => sum + lot.remaining, 0);
    expect(held).toBeGreaterThanOrEqual(5);
    expect(expiring).toContainEqual({
      points: held,
      on: expected.toISOString(),
      lastDay: calendar.dayKey(new Date(expected.getTime() - 1)),
    });

    const bad = await fed.query('{ me { wallet { expiring(withinDays: 0) { points } } } }', {
      token: setting.memberToken,
    });
    expect(errorCodes(bad.body)).toEqual(['BAD_USER_INPUT']);
  });
});
