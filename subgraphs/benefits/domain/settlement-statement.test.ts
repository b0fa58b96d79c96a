import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { settlementMonthFor } from './settlement-month.js';
import {
  heldThrough,
  monthlyStatement,
  partnersInMonth,
  programmeLiability,
  settlementTermsFrom,
  verifyClosedStatement,
} from './settlement-statement.js';
import { SEED_PARTNER_SETTLEMENT } from './settlement-terms.js';
import type { WalletEntry } from './wallet-entry.js';
import { walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const calendar = createProgrammeCalendar();
const seedTerms = settlementTermsFrom(new Map());

/**
 * July 2025 (Shanghai): 1,000 points earned at mindspark and 500 at inkwell; 1,200 spent at starlight
 * (1,000 from the mindspark lot, 200 from the inkwell one); mindspark refunds 300 points' worth of its
 * order, taken from the inkwell lot since mindspark's are spent; starlight gives 100 back; pulsefit funds
 * a 50-point goodwill credit. August: 200 more earned at mindspark.
 */
function history(): WalletEntry[] {
  const w = walletScenario();
  w.earn({
    key: 'ms:e1',
    partner: 'mindspark',
    points: 1_000,
    occurredAt: new Date('2025-07-02T02:00:00Z'),
    orderRef: 'o-1',
  });
  w.earn({
    key: 'iw:e2',
    partner: 'inkwell',
    points: 500,
    occurredAt: new Date('2025-07-03T02:00:00Z'),
    orderRef: 'o-2',
  });
  w.redeem({ key: 'r1', partner: 'starlight', points: 1_200, occurredAt: new Date('2025-07-12T02:00:00Z') });
  w.reverse({
    key: 'ms:refund',
    partner: 'mindspark',
    points: 300,
    occurredAt: new Date('2025-07-13T02:00:00Z'),
    orderRef: 'o-1',
  });
  w.giveBack({
    key: 'r1:back',
    redeemEntryId: 'r1',
    points: 100,
    occurredAt: new Date('2025-07-14T02:00:00Z'),
  });
  w.adjust({ key: 'adj', points: 50, fundedBy: 'pulsefit', occurredAt: new Date('2025-07-15T02:00:00Z') });
  w.earn({
    key: 'ms:e3',
    partner: 'mindspark',
    points: 200,
    occurredAt: new Date('2025-07-31T16:30:00Z'),
    orderRef: 'o-3',
  });
  return [...w.state.entries];
}

describe('monthlyStatement', () => {
  it('charges mindspark funding for what it issued less what its refund took back', () => {
    const s = monthlyStatement('mindspark', '2025-07', history(), seedTerms, calendar);
    expect(s).toMatchObject({
      partner: 'mindspark',
      month: '2025-07',
      timeZone: 'Asia/Shanghai',
      points: { issued: 1_000, reversed: 300, adjusted: 0, honoured: 0, honouredReturned: 0 },
      fundingOwedByPartnerMinor: 700,
      reimbursementOwedToPartnerMinor: 0,
      netOwedToPartnerMinor: -700,
      liability: {
        openingPoints: 0,
        movements: { earn: 1_000, reverse: 0, redeem: -1_000, return: 0, expire: 0, adjust: 0 },
        closingPoints: 0,
        closingFundingMinor: 0,
      },
      entryCount: 3,
    });
  });

  it('reimburses starlight for points spent there less those given back', () => {
    expect(monthlyStatement('starlight', '2025-07', history(), seedTerms, calendar)).toMatchObject({
      points: { issued: 0, honoured: 1_200, honouredReturned: 100 },
      fundingOwedByPartnerMinor: 0,
      reimbursementOwedToPartnerMinor: 1_100,
      netOwedToPartnerMinor: 1_100,
    });
  });

  it('follows inkwell’s liability through every movement of its lot, opening + movements = closing', () => {
    const s = monthlyStatement('inkwell', '2025-07', history(), seedTerms, calendar);
    expect(s.points).toEqual({ issued: 500, reversed: 0, adjusted: 0, honoured: 0, honouredReturned: 0 });
    expect(s.fundingOwedByPartnerMinor).toBe(500);
    expect(s.liability).toEqual({
      openingPoints: 0,
      movements: { earn: 500, reverse: -300, redeem: -200, return: 100, expire: 0, adjust: 0 },
      closingPoints: 100,
      closingFundingMinor: 100,
    });
  });

  it('books the 16:30 UTC earning of 31 July in August (Shanghai), with July’s closing as opening', () => {
    const s = monthlyStatement('mindspark', '2025-08', history(), seedTerms, calendar);
    expect(s.points.issued).toBe(200);
    expect(s.liability).toMatchObject({ openingPoints: 0, closingPoints: 200 });
    expect(monthlyStatement('inkwell', '2025-08', history(), seedTerms, calendar).liability).toMatchObject({
      openingPoints: 100,
      closingPoints: 100,
    });
  });

  it('gives the same statement from the month’s entries and the holdings at the end of the month before', () => {
    const all = history();
    const august = all.filter((e) => calendar.monthKey(e.occurredAt) === '2025-08');
    const july = all.filter((e) => calendar.monthKey(e.occurredAt) === '2025-07');
    const openingAugust = heldThrough(july, '2025-07', calendar);
    expect(openingAugust.get('inkwell')).toBe(100);
    for (const partner of ['mindspark', 'inkwell', 'starlight', 'pulsefit']) {
      expect(monthlyStatement(partner, '2025-08', august, seedTerms, calendar, openingAugust)).toEqual(
        monthlyStatement(partner, '2025-08', all, seedTerms, calendar),
      );
    }
    expect(programmeLiability('2025-08', august, seedTerms, calendar, openingAugust)).toEqual(
      programmeLiability('2025-08', all, seedTerms, calendar),
    );
  });

  it('converts at each partner’s own rates, once per line', () => {
    const terms = settlementTermsFrom(
      new Map([
        ['inkwell', { fundingRate: { minor: 4, points: 5 }, reimbursementRate: { minor: 1, points: 1 } }],
      ]),
    );
    expect(monthlyStatement('inkwell', '2025-07', history(), terms, calendar)).toMatchObject({
      fundingOwedByPartnerMinor: 400,
      liability: { closingFundingMinor: 80 },
    });
  });

  it('balances for the programme: funding received − reimbursement paid = funding of the points still held', () => {
    const entries = history();
    const statements = partnersInMonth(entries, '2025-07', calendar).map((p) =>
      monthlyStatement(p, '2025-07', entries, seedTerms, calendar),
    );
    expect(statements.map((s) => s.partner)).toEqual(['inkwell', 'mindspark', 'pulsefit', 'starlight']);
    const net = statements.reduce((sum, s) => sum + s.netOwedToPartnerMinor, 0);
    const liability = programmeLiability('2025-07', entries, seedTerms, calendar);
    expect(liability).toEqual({
      month: '2025-07',
      byPartner: [
        { partner: 'inkwell', points: 100, fundingMinor: 100 },
        { partner: 'pulsefit', points: 50, fundingMinor: 50 },
      ],
      totalPoints: 150,
      totalFundingMinor: 150,
    });
    expect(-net).toBe(liability.totalFundingMinor);
  });
});

describe('closed statements are immutable', () => {
  it('accepts a closed statement the ledger still gives', () => {
    const entries = history();
    const closed = monthlyStatement('inkwell', '2025-07', entries, seedTerms, calendar);
    expect(verifyClosedStatement(closed, entries, seedTerms, calendar)).toEqual({ ok: true, value: closed });
  });

  it('is a CONFLICT when an entry lands in the closed month, and fine when it is booked in the next open month', () => {
    const entries = history();
    const closed = monthlyStatement('inkwell', '2025-07', entries, seedTerms, calendar);
    const lateAt = new Date('2025-07-20T02:00:00Z'); // recorded after July was closed, dated in July
    const late: WalletEntry = {
      ...entries.find((e) => e.id === 'iw:e2')!,
      id: 'iw:late',
      occurredAt: lateAt,
      allocations: [{ lotId: 'iw:late', partner: 'inkwell', points: 40 }],
      points: 40,
    };
    expect(verifyClosedStatement(closed, [...entries, late], seedTerms, calendar)).toEqual({
      ok: false,
      refusal: {
        code: 'CONFLICT',
        message:
          'The 2025-07 statement of inkwell is closed, but the ledger now gives it 5 entries (closed with 4) or other figures: entries recorded after a close belong in the next open month.',
      },
    });
    const booked = { ...late, settlementMonth: settlementMonthFor(lateAt, new Set(['2025-07']), calendar) };
    expect(booked.settlementMonth).toBe('2025-08');
    expect(verifyClosedStatement(closed, [...entries, booked], seedTerms, calendar).ok).toBe(true);
    expect(
      monthlyStatement('inkwell', '2025-08', [...entries, booked], seedTerms, calendar).points.issued,
    ).toBe(40);
  });

  it('is a CONFLICT when the figures change with the same entries (a closed statement is never recomputed silently)', () => {
    const entries = history();
    const closed = monthlyStatement('inkwell', '2025-07', entries, seedTerms, calendar);
    const dearer = settlementTermsFrom(
      new Map([['inkwell', { ...SEED_PARTNER_SETTLEMENT, fundingRate: { minor: 2, points: 1 } }]]),
    );
    expect(verifyClosedStatement(closed, entries, dearer, calendar).ok).toBe(false);
  });
});
