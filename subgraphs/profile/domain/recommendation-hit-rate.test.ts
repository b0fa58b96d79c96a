import type { TimelineEvent } from './recommendation-hit-rate.js';
import { evaluateHitRate, holdOutLastPurchase } from './recommendation-hit-rate.js';

const purchase = (at: number, item: string): TimelineEvent => ({ at, item, kind: 'purchase' });
const browse = (at: number, item: string): TimelineEvent => ({ at, item, kind: 'browse' });

describe('holdOutLastPurchase', () => {
  it('holds out the last purchase and keeps only what came strictly before it', () => {
    const held = holdOutLastPurchase('M1', [
      purchase(1, 'a/x'),
      browse(2, 'b/y'),
      purchase(5, 'b/y'),
      browse(6, 'c/z'), // after the held-out purchase: must not leak
    ]);
    expect(held?.heldOut).toBe('b/y');
    expect(held?.newItem).toBe(true);
    expect([...held!.training]).toEqual([
      ['a/x', { purchases: 1, browses: 0, interactions: 0 }],
      ['b/y', { purchases: 0, browses: 1, interactions: 0 }],
    ]);
  });

  it('marks a repeat purchase as not new, and is null without purchases', () => {
    expect(holdOutLastPurchase('M1', [purchase(1, 'a/x'), purchase(3, 'a/x')])?.newItem).toBe(false);
    expect(holdOutLastPurchase('M1', [browse(1, 'a/x')])).toBeNull();
  });
});

describe('evaluateHitRate', () => {
  it('scores collaborative filtering above popularity when co-purchases carry the signal', () => {
    // Two communities: x-buyers go on to buy y, p-buyers go on to buy q; q is the most popular item overall.
    const cases = [];
    for (let i = 0; i < 12; i++) {
      const past =
        i < 6 ? [purchase(1, 'a/x'), purchase(2, 'b/y')] : [purchase(1, 'c/p'), purchase(2, 'd/q')];
      cases.push({ ...holdOutLastPurchase(`M${i}`, past)!, segment: null });
      cases.push({ ...holdOutLastPurchase(`N${i}`, [...past, purchase(3, 'e/popular')])!, segment: null });
    }
    for (let i = 0; i < 30; i++)
      cases.push({
        ...holdOutLastPurchase(`P${i}`, [purchase(1, 'e/popular'), purchase(2, 'f/other')])!,
        segment: null,
      });
    const report = evaluateHitRate(cases, { k: 1, similarity: { minCommonMembers: 1 } });
    expect(report.members).toBe(54);
    expect(report.evaluated).toBe(54);
    expect(report.hitRate.collaborative).toBeGreaterThan(report.hitRate.popularity);
  });

  it('counts repeat purchases but does not evaluate them', () => {
    const cases = [
      { ...holdOutLastPurchase('M1', [purchase(1, 'a/x'), purchase(2, 'a/x')])!, segment: null },
      { ...holdOutLastPurchase('M2', [purchase(1, 'a/x'), purchase(2, 'b/y')])!, segment: null },
    ];
    const report = evaluateHitRate(cases, { k: 5 });
    expect(report.members).toBe(2);
    expect(report.evaluated).toBe(1);
  });
});
