import type { BrandBehaviour, CategoryActivity } from '../../shared/domain/behaviour.js';
import { emptyCategoryActivity } from '../../shared/domain/behaviour.js';
import { itemActivityFromBehaviours } from './item-activity.js';

const category = (
  over: Partial<CategoryActivity> & Pick<CategoryActivity, 'category'>,
): CategoryActivity => ({ ...emptyCategoryActivity(over.category), ...over });

const behaviour = (partner: string, browseCount: number, categories: CategoryActivity[]): BrandBehaviour => ({
  partner,
  windowDays: 365,
  purchaseCount: categories.reduce((s, c) => s + c.purchaseCount, 0),
  spendMinor: 0,
  browseCount,
  browseSeconds: categories.reduce((s, c) => s + c.browseSeconds, 0),
  interactionCount: 0,
  referralCount: 0,
  firstPurchaseAt: null,
  lastPurchaseAt: null,
  categories,
});

describe('itemActivityFromBehaviours', () => {
  it('keys items by partner and joint category and shares browse sessions out by seconds', () => {
    const activity = itemActivityFromBehaviours([
      behaviour('mindspark', 4, [
        category({ category: 'technology', purchaseCount: 2, browseSeconds: 300 }),
        category({ category: 'business', browseSeconds: 100, interactionCount: 1 }),
      ]),
      behaviour('inkwell', 0, [category({ category: 'arts', purchaseCount: 1 })]),
    ]);
    expect(Object.fromEntries(activity)).toEqual({
      'mindspark/technology': { purchases: 2, browses: 3, interactions: 0 },
      'mindspark/business': { purchases: 0, browses: 1, interactions: 1 },
      'inkwell/arts': { purchases: 1, browses: 0, interactions: 0 },
    });
  });

  it('leaves out categories without any activity', () => {
    expect(
      itemActivityFromBehaviours([behaviour('pulsefit', 0, [category({ category: 'health' })])]).size,
    ).toBe(0);
  });
});
