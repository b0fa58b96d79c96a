import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { negate, sumExactly } from './exact-ratio.js';
import { contentFingerprint } from './idempotency-fingerprint.js';
import { PROGRAMME_FUNDER } from './points-lot.js';
import type { Outcome } from './refusal.js';
import { accept, refuse } from './refusal.js';
import { bookedMonth } from './settlement-month.js';
import type { PartnerSettlement } from './settlement-terms.js';
import { SEED_PARTNER_SETTLEMENT, amountForPoints } from './settlement-terms.js';
import type { WalletEntry, WalletEntryKind } from './wallet-entry.js';

/**
 * A partner's monthly statement, in two parts.
 *
 * Money follows the partner's own actions. It owes funding for the points its customers earned, less
 * the points taken back when it refunded an order (wherever in the member's wallet those points were
 * found: the partner's sale was undone), plus or minus operator adjustments it funds. It is owed
 * reimbursement for points spent on what it honours, less points given back there by cancellations and
 * refunds. Net = owed to − owed by; negative means the partner pays the programme.
 *
 * Liability follows the points in the partner's lots, whatever happens to them: opening balance, each
 * kind of movement, closing balance (opening + movements = closing). Expired points leave the liability
 * and are not repaid (the programme keeps the breakage).
 */
export interface PartnerStatement {
  partner: string;
  /** `YYYY-MM`, programme-local. */
  month: string;
  timeZone: string;
  currency: 'CNY';
  points: {
    issued: number;
    reversed: number;
    /** Signed: operator credits less debits the partner funds. */
    adjusted: number;
    /** Points spent on what the partner honoured. */
    honoured: number;
    /** Of those, given back by cancellations and refunds. */
    honouredReturned: number;
  };
  fundingOwedByPartnerMinor: number;
  reimbursementOwedToPartnerMinor: number;
  netOwedToPartnerMinor: number;
  /** Points held in the partner's lots (pending ones too). */
  liability: {
    openingPoints: number;
    /** Signed change of the partner's lots by kind of entry. */
    movements: Record<WalletEntryKind, number>;
    closingPoints: number;
    /** The closing points valued at the partner's funding rate. */
    closingFundingMinor: number;
  };
  /** The entries the statement counts, to tell later whether anything changed in a closed month. */
  entryCount: number;
  entriesFingerprint: string;
}

export interface ProgrammeLiability {
  month: string;
  byPartner: { partner: string; points: number; fundingMinor: number }[];
  totalPoints: number;
  totalFundingMinor: number;
}

export type SettlementTermsLookup = (partner: string) => PartnerSettlement;

/** Partners without their own `settlement` key (and the programme's own credits) settle at the seed rates. */
export const settlementTermsFrom =
  (byPartner: ReadonlyMap<string, PartnerSettlement>): SettlementTermsLookup =>
  (partner) =>
    byPartner.get(partner) ?? SEED_PARTNER_SETTLEMENT;

const KINDS: readonly WalletEntryKind[] = ['earn', 'reverse', 'redeem', 'return', 'expire', 'adjust'];

/** Signed sum of the points of a partner's own entries of a kind (earned, refunded or funded by it). */
const ownPoints = (entries: readonly WalletEntry[], partner: string, kind: WalletEntryKind): number =>
  sumExactly(entries.filter((e) => e.kind === kind && e.partner === partner).map((e) => e.points));

/** Signed change of the partner's lots by the entries of a kind. */
const lotMovement = (entries: readonly WalletEntry[], partner: string, kind: WalletEntryKind): number =>
  sumExactly(
    entries
      .filter((e) => e.kind === kind)
      .flatMap((e) => e.allocations.filter((a) => a.partner === partner).map((a) => a.points)),
  );

const touches = (entry: WalletEntry, partner: string): boolean =>
  entry.partner === partner || entry.allocations.some((a) => a.partner === partner);

/**
 * Points held in each partner's lots after every entry booked up to and including `month`: the `opening`
 * holdings (at the end of an earlier month, e.g. the previous month's close) plus the given entries.
 */
export function heldThrough(
  entries: readonly WalletEntry[],
  month: string,
  calendar: ProgrammeCalendar,
  opening: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const held = new Map(opening);
  for (const entry of entries) {
    if (bookedMonth(entry, calendar) > month) continue;
    for (const a of entry.allocations) held.set(a.partner, (held.get(a.partner) ?? 0) + a.points);
  }
  return held;
}

/**
 * `entries`: every entry booked up to the month, or, with `opening` (the holdings at the end of the month
 * before), only those of the month itself.
 */
export function monthlyStatement(
  partner: string,
  month: string,
  entries: readonly WalletEntry[],
  terms: SettlementTermsLookup,
  calendar: ProgrammeCalendar,
  opening?: ReadonlyMap<string, number>,
): PartnerStatement {
  const inMonth = entries.filter((e) => bookedMonth(e, calendar) === month && touches(e, partner));
  const points = {
    issued: ownPoints(inMonth, partner, 'earn'),
    reversed: negate(ownPoints(inMonth, partner, 'reverse')),
    adjusted: ownPoints(inMonth, partner, 'adjust'),
    honoured: negate(ownPoints(inMonth, partner, 'redeem')),
    honouredReturned: ownPoints(inMonth, partner, 'return'),
  };
  const { fundingRate, reimbursementRate } = terms(partner);
  const funding = amountForPoints(points.issued - points.reversed + points.adjusted, fundingRate);
  const reimbursement = amountForPoints(points.honoured - points.honouredReturned, reimbursementRate);
  const movements = Object.fromEntries(KINDS.map((k) => [k, lotMovement(inMonth, partner, k)])) as Record<
    WalletEntryKind,
    number
  >;
  const closing = heldThrough(entries, month, calendar, opening).get(partner) ?? 0;
  return {
    partner,
    month,
    timeZone: calendar.timeZone,
    currency: 'CNY',
    points,
    fundingOwedByPartnerMinor: funding,
    reimbursementOwedToPartnerMinor: reimbursement,
    netOwedToPartnerMinor: reimbursement - funding,
    liability: {
      openingPoints: closing - sumExactly(Object.values(movements)),
      movements,
      closingPoints: closing,
      closingFundingMinor: amountForPoints(closing, fundingRate),
    },
    entryCount: inMonth.length,
    entriesFingerprint: contentFingerprint(inMonth.map((e) => e.id).sort()),
  };
}

/**
 * The programme's outstanding liability at the end of a month: the points still held in members' lots
 * (pending included), per funding partner and valued at what that partner funded them at.
 */
export function programmeLiability(
  month: string,
  entries: readonly WalletEntry[],
  terms: SettlementTermsLookup,
  calendar: ProgrammeCalendar,
  opening?: ReadonlyMap<string, number>,
): ProgrammeLiability {
  const byPartner = [...heldThrough(entries, month, calendar, opening).entries()]
    .filter(([, points]) => points !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([partner, points]) => ({
      partner,
      points,
      fundingMinor: amountForPoints(points, terms(partner).fundingRate),
    }));
  return {
    month,
    byPartner,
    totalPoints: sumExactly(byPartner.map((p) => p.points)),
    totalFundingMinor: sumExactly(byPartner.map((p) => p.fundingMinor)),
  };
}

/** Partners that appear in a month's entries (the programme's own funding is not a partner to settle with). */
export function partnersInMonth(
  entries: readonly WalletEntry[],
  month: string,
  calendar: ProgrammeCalendar,
): string[] {
  const partners = new Set<string>();
  for (const e of entries) {
    if (bookedMonth(e, calendar) !== month) continue;
    partners.add(e.partner);
    for (const a of e.allocations) partners.add(a.partner);
  }
  partners.delete(PROGRAMME_FUNDER);
  return [...partners].sort();
}

/**
 * A closed statement is immutable. Recomputing it from the ledger must give the same statement; an entry
 * booked into its month after the close (or one gone missing) is a CONFLICT naming the entries, never a
 * silent change: such an entry should have been booked in the next open month (`settlementMonthFor`).
 */
export function verifyClosedStatement(
  closed: PartnerStatement,
  entries: readonly WalletEntry[],
  terms: SettlementTermsLookup,
  calendar: ProgrammeCalendar,
): Outcome<PartnerStatement> {
  const now = monthlyStatement(closed.partner, closed.month, entries, terms, calendar);
  if (
    now.entriesFingerprint === closed.entriesFingerprint &&
    contentFingerprint(now) === contentFingerprint(closed)
  ) {
    return accept(closed);
  }
  return refuse(
    'CONFLICT',
    `The ${closed.month} statement of ${closed.partner} is closed, but the ledger now gives it ${now.entryCount} ` +
      `entries (closed with ${closed.entryCount}) or other figures: entries recorded after a close belong in the ` +
      `next open month.`,
  );
}
