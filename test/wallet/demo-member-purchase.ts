import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import type { LinkedAccount } from '../events/event-fixtures.js';
import {
  daysAgo,
  jsonBody,
  linkedAccount,
  localCategory,
  purchaseEvent,
  waitForLedgerEntries,
  waitForMemberCredited,
} from '../events/event-fixtures.js';
import type { TestFederation } from '../federation-harness.js';

/**
 * Gives the demo member points to spend: takes their account at `partner`, waits until the programme has
 * credited what they already did, then ingests one purchase of `amountMinor` (20 days ago, in a category of
 * the partner) and returns once its points are in the ledger.
 */
export async function demoMemberPurchase(
  fed: TestFederation,
  partner: string,
  amountMinor: number,
): Promise<LinkedAccount> {
  const account = await linkedAccount(fed, partner, { memberId: DEMO_MEMBER_ID });
  await waitForMemberCredited(fed, account.memberId);
  const purchase = purchaseEvent(account.brandMemberId, {
    amountMinor,
    category: localCategory(fed, partner),
    occurredAt: daysAgo(20),
  });
  expect((await fed.ingest(partner, jsonBody([purchase]))).status).toBe(200);
  await waitForLedgerEntries(fed, partner, [purchase.eventId]);
  return account;
}
