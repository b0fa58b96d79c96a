import type { DailyActivity } from '../../shared/domain/behaviour.js';
import { dayKey, summariseBehaviour } from '../../shared/domain/behaviour.js';
import type { JointCategory } from '../../shared/domain/joint-categories.js';
import type { MemberTrainingRow } from './fit-intelligence-model.js';
import { fitIntelligenceModel } from './fit-intelligence-model.js';
import {
  jointPurchaseHistory,
  memberChurnRisk,
  memberLifetimeValue,
  memberRecommendations,
  memberRfm,
  memberSegment,
} from './member-intelligence.js';

const NOW = new Date('2026-06-30T12:00:00Z');
const DAY_MS = 86_400_000;
const PARTNERS: [string, JointCategory[]][] = [
  ['mindspark', ['technology', 'business']],
  ['inkwell', ['arts', 'language']],
  ['pulsefit', ['health', 'lifestyle']],
];

/** mulberry32: a small seeded generator, so the population is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A member buys at a few brands on random days; some stop buying early (so BG/NBD sees drop-outs). */
function population(size: number): MemberTrainingRow[] {
  const next = random(7);
  return Array.from({ length: size }, (_, m) => {
    const memberId = `M${String(m).padStart(4, '0')}`;
    const row: MemberTrainingRow = { memberId, behaviours: [], purchaseDays: [] };
    const lastDay = next() < 0.3 ? 200 + Math.floor(next() * 150) : 0;
    for (const [partner, categories] of PARTNERS) {
      if (next() < 0.35) continue;
      const days: Record<string, DailyActivity> = {};
      const purchases = 1 + Math.floor(next() * 8);
      for (let p = 0; p < purchases; p++) {
        const key = dayKey(
          new Date(NOW.getTime() - (lastDay + Math.floor(next() * (360 - lastDay))) * DAY_MS),
        );
        const category = categories[Math.floor(next() * categories.length)];
        const spend = 1000 + Math.floor(next() * 20000);
        const day = (days[key] ??= { purchaseCount: 0, spendMinor: 0, browseCount: 0, categories: {} });
        day.purchaseCount! += 1;
        day.spendMinor! += spend;
        day.browseCount! += 1;
        const c = (day.categories![category] ??= { purchaseCount: 0, spendMinor: 0, browseSeconds: 0 });
        c.purchaseCount! += 1;
        c.spendMinor! += spend;
        c.browseSeconds! += 60;
      }
      row.behaviours.push(summariseBehaviour(partner, days, NOW));
      row.purchaseDays.push({
        partner,
        days: Object.entries(days).map(([key, d]) => [key, d.spendMinor ?? 0] as [string, number]),
      });
    }
    return row;
  });
}

const rows = population(150);
const fitted = fitIntelligenceModel(rows, { now: NOW, seed: 42 });

describe('fitIntelligenceModel', () => {
  it('is deterministic: the same members, time and seed give the same version, in any input order', () => {
    const again = fitIntelligenceModel([...rows].reverse(), { now: NOW, seed: 42 });
    expect(again.model).toEqual(fitted.model);
    expect(again.model.version).toMatch(/^intelligence-[0-9a-f]{12}$/);
  });

  it('fits every part: RFM sizes over the buyers, k in range, lifetime value, churn lines, item neighbours', () => {
    const { model } = fitted;
    const buyers = rows.filter((r) => r.behaviours.some((b) => b.purchaseCount > 0)).length;
    expect(Object.values(model.rfmSegmentSizes).reduce((a, b) => a + b, 0)).toBe(buyers);
    expect(model.valueSegments.k).toBeGreaterThanOrEqual(3);
    expect(model.valueSegments.sizes.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(model.lifetimeValue).not.toBeNull();
    expect(model.lifetimeValue!.model.gammaGamma.q).toBeGreaterThan(1);
    expect(model.recommendations.similarity.items.length).toBe(6);
    expect(fitted.churnScores.length).toBe(buyers);
    expect(fitted.churnScores.filter((c) => c.highValueAtRisk).length).toBe(model.churn.highValueAtRisk);
  });

  it('fits when a member first bought today (observed for no time, left out of the lifetime-value fit)', () => {
    const today = dayKey(NOW);
    const newcomer: MemberTrainingRow = {
      memberId: 'M9999',
      behaviours: [],
      purchaseDays: [{ partner: 'mindspark', days: [[today, 5000]] }],
    };
    expect(jointPurchaseHistory(newcomer.purchaseDays, NOW, 7)?.T).toBe(0);
    const withNewcomer = fitIntelligenceModel([...rows, newcomer], { now: NOW, seed: 42 });
    expect(withNewcomer.model.lifetimeValue!.bgNbd.customers).toBe(
      fitted.model.lifetimeValue!.bgNbd.customers,
    );
  });

  it('survives a round trip through JSON (it is stored as plain data)', () => {
    expect(JSON.parse(JSON.stringify(fitted.model))).toEqual(fitted.model);
  });
});

describe('member intelligence at query time', () => {
  const rows = population(150);
  const { model } = fitIntelligenceModel(rows, { now: NOW, seed: 42 });
  const member = rows.find(
    (r) => r.purchaseDays.length >= 2 && r.purchaseDays.every((p) => p.days.length >= 2),
  )!;

  it('scores RFM and assigns a labelled segment', () => {
    const rfm = memberRfm(model, member.behaviours, NOW)!;
    for (const score of [rfm.recency, rfm.frequency, rfm.monetary]) expect([1, 2, 3, 4, 5]).toContain(score);
    const segment = memberSegment(model, member.behaviours, NOW);
    expect(model.valueSegments.labels[Number(segment.id)]).toBe(segment.label);
  });

  it('has no RFM and no lifetime value without a purchase', () => {
    expect(memberRfm(model, [], NOW)).toBeNull();
    expect(memberLifetimeValue(model, [])).toBeNull();
    expect(memberChurnRisk(model, [], null)).toBeNull();
  });

  it('values the joint history of the brands it is given only', () => {
    const all = memberLifetimeValue(model, member.purchaseDays)!;
    const fewer = memberLifetimeValue(model, member.purchaseDays.slice(1))!;
    expect(all.probabilityAlive).toBeGreaterThan(0);
    expect(all.probabilityAlive).toBeLessThanOrEqual(1);
    expect(all.expectedOrderValueMinor).toBeGreaterThan(0);
    expect(fewer).not.toEqual(all);
    expect(all.currency).toBe('CNY');
    expect(all.asOf).toBe(NOW.toISOString());
  });

  it('joins purchase days of several brands on one calendar', () => {
    const history = jointPurchaseHistory(
      [
        {
          partner: 'a',
          days: [
            ['2026-01-01', 100],
            ['2026-01-08', 300],
          ],
        },
        {
          partner: 'b',
          days: [
            ['2026-01-08', 100],
            ['2026-01-15', 200],
          ],
        },
      ],
      new Date('2026-01-29T00:00:00Z'),
      7,
    );
    expect(history).toEqual({ frequency: 2, recency: 2, T: 4, monetaryValue: 300 });
  });

  it('recommends items the member does not buy yet', () => {
    const bought = new Set(
      member.behaviours.flatMap((b) =>
        b.categories.filter((c) => c.purchaseCount > 0).map((c) => `${b.partner}/${c.category}`),
      ),
    );
    const recommendations = memberRecommendations(model, member.behaviours, NOW, 3, {});
    expect(recommendations.length).toBeGreaterThan(0);
    for (const r of recommendations) expect(bought.has(`${r.partner}/${r.category}`)).toBe(false);
  });
});
