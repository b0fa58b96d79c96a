import { dayKey } from '../../shared/domain/behaviour.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';

/** A behaviour event as the brand records it, with the local category already mapped onto the taxonomy. */
export type BehaviourEvent =
  | { type: 'purchase'; occurredAt: Date; amountMinor: number; jointCategory: JointCategory }
  | { type: 'refund'; occurredAt: Date; amountMinor: number; jointCategory: JointCategory; purchasedAt: Date }
  | { type: 'browse'; occurredAt: Date; seconds: number; jointCategory: JointCategory }
  | { type: 'interaction'; occurredAt: Date; jointCategory?: JointCategory }
  | { type: 'referral'; occurredAt: Date }
  | { type: 'login'; occurredAt: Date };

/**
 * The `$inc` an event makes on its account's day buckets (field path → amount). A refund takes the amount
 * off the day of the purchase, so the summary shows net spend where it was earned.
 */
export function behaviourIncrements(event: BehaviourEvent): Record<string, number> {
  const inc: Record<string, number> = {};
  const add = (day: Date, path: string, amount: number): void => {
    const key = `days.${dayKey(day)}.${path}`;
    inc[key] = (inc[key] ?? 0) + amount;
  };
  const day = event.occurredAt;
  switch (event.type) {
    case 'purchase':
      add(day, 'purchaseCount', 1);
      add(day, 'spendMinor', event.amountMinor);
      add(day, `categories.${event.jointCategory}.purchaseCount`, 1);
      add(day, `categories.${event.jointCategory}.spendMinor`, event.amountMinor);
      break;
    case 'refund':
      add(event.purchasedAt, 'spendMinor', -event.amountMinor);
      add(event.purchasedAt, `categories.${event.jointCategory}.spendMinor`, -event.amountMinor);
      break;
    case 'browse':
      add(day, 'browseCount', 1);
      add(day, 'browseSeconds', event.seconds);
      add(day, `categories.${event.jointCategory}.browseSeconds`, event.seconds);
      break;
    case 'interaction':
      add(day, 'interactionCount', 1);
      if (event.jointCategory) add(day, `categories.${event.jointCategory}.interactionCount`, 1);
      break;
    case 'referral':
      add(day, 'referralCount', 1);
      break;
    case 'login':
      add(day, 'loginCount', 1);
      break;
  }
  return inc;
}
