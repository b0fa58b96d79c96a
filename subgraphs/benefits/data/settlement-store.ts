import type { Collection, Connection } from 'mongoose';
import { AppError } from '../../shared/errors.js';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { addLocalMonths, formatMonthKey, parseMonthKey } from '../../shared/domain/programme-calendar.js';
import type {
  PartnerStatement,
  ProgrammeLiability,
  SettlementTermsLookup,
} from '../domain/settlement-statement.js';
import {
  heldThrough,
  monthlyStatement,
  partnersInMonth,
  programmeLiability,
  settlementTermsFrom,
} from '../domain/settlement-statement.js';
import type { PartnerSettlement } from '../domain/settlement-terms.js';
import type { WalletEntry } from '../domain/wallet-entry.js';
import type { PointsLedgerEntry, PointsLedgerModel } from './points-ledger.js';
import { toWalletEntry } from './points-ledger.js';

/**
 * A settlement month of the programme (`_id` `YYYY-MM`): `OPEN` once entries may be booked in it, then
 * `CLOSING` and `CLOSED`. One document a month, so reading them all is cheap.
 */
interface SettlementMonthDocument {
  _id: string;
  status: 'OPEN' | 'CLOSING' | 'CLOSED';
  startedAt: Date | null;
  closedAt: Date | null;
  /** Once closed: the partners with a statement, and the points held in each partner's lots at its end. */
  partners?: string[];
  closingHeld?: Record<string, number>;
}

/** A closed statement, written once (`_id` `<month>|<partner>`) and never updated: it is immutable. */
interface ClosedStatementDocument {
  _id: string;
  statement: PartnerStatement;
  closedAt: Date;
}

export interface SettlementStatementView {
  statement: PartnerStatement;
  /** Null while the month is open (the figures are then as of now). */
  closedAt: Date | null;
}

/**
 * The settlement months as this process knows them. The wallet store reads the closed (or closing) ones
 * when it books an entry: an entry is never booked into such a month. The earliest month is where a
 * partner's liability starts from when no month before has been closed.
 */
export class SettlementMonths {
  private closed: ReadonlySet<string> = new Set();
  private first: string | null = null;
  readonly Months: Collection<SettlementMonthDocument>;

  constructor(connection: Connection) {
    this.Months = connection.collection<SettlementMonthDocument>('settlement_months');
  }

  /** Months closed or closing. */
  current(): ReadonlySet<string> {
    return this.closed;
  }

  /** The earliest month entries may be booked in, or null before any. */
  earliest(): string | null {
    return this.first;
  }

  /** Reads the months again (at start-up and in the maintenance loop, for what other processes did). */
  async refresh(): Promise<void> {
    const docs = await this.Months.find({}, { projection: { _id: 1, status: 1 } }).toArray();
    this.closed = new Set(docs.filter((d) => d.status !== 'OPEN').map((d) => d._id));
    this.first = docs.reduce<string | null>((min, d) => (min === null || d._id < min ? d._id : min), null);
  }

  /** Records that entries may be booked in a month (it is, or is about to be, the current one). */
  async open(month: string): Promise<void> {
    await this.Months.updateOne(
      { _id: month },
      { $setOnInsert: { status: 'OPEN', startedAt: null, closedAt: null } },
      { upsert: true },
    );
    if (this.first === null || month < this.first) this.first = month;
  }

  remember(month: string): void {
    this.closed = new Set([...this.closed, month]);
  }
}

/** Each partner's `settlement` terms from the registry (seed rates for a partner without the key). */
export const registrySettlementTerms = (
  partners: readonly { key: string; settlement?: PartnerSettlement }[],
): SettlementTermsLookup =>
  settlementTermsFrom(
    new Map(partners.flatMap((p) => (p.settlement ? [[p.key, p.settlement] as const] : []))),
  );

const previousMonth = (month: string): string => formatMonthKey(addLocalMonths(parseMonthKey(month), -1));

const statementId = (month: string, partner: string) => `${month}|${partner}`;

export interface SettlementStoreOptions {
  partners: readonly string[];
  terms: SettlementTermsLookup;
  calendar: ProgrammeCalendar;
  now: () => Date;
  /** Writes ledger entries a crash left parked in wallets, so the close reads a complete ledger. */
  flushParkedEntries: () => Promise<unknown>;
  /** Test hook: called after each partner's statement is written (throw to simulate a crash there). */
  afterStatementWritten?: (partner: string) => void;
}

/**
 * Monthly statements between the programme and its partners, from the append-only points ledger (each
 * entry names the partner it is booked to and the funding partner of every lot it moves). An open month is
 * computed on read; closing a month writes each partner's statement once and never changes it.
 *
 * Closing, without transactions, each step repeatable: (1) the month is marked `CLOSING`, so no process
 * books new entries into it; (2) entries parked in wallets are written to the ledger; (3) each partner's
 * statement is inserted under its own key (an insert that finds the key keeps the one already there);
 * (4) the month is marked `CLOSED`. A crash anywhere is finished by closing again. Only a month that has
 * ended (programme time zone) can be closed, so every entry booked in it was recorded before the close.
 */
export class SettlementStore {
  private readonly Statements: Collection<ClosedStatementDocument>;

  constructor(
    connection: Connection,
    private readonly Ledger: PointsLedgerModel,
    readonly months: SettlementMonths,
    private readonly options: SettlementStoreOptions,
  ) {
    this.Statements = connection.collection<ClosedStatementDocument>('settlement_statements');
  }

  /**
   * Opens the current month, and the month of the ledger's first entry (a ledger older than the months'
   * records), so a liability walks back no further than that. Both are start-up reads and writes.
   */
  async init(): Promise<void> {
    const first = await this.Ledger.findOne({}, { settlementMonth: 1 })
      .sort({ settlementMonth: 1, partner: 1 })
      .lean<{ settlementMonth: string }>();
    if (first) await this.months.open(first.settlementMonth);
    await this.keepCurrentMonthOpen();
    await this.months.refresh();
  }

  /** Run at start-up and by the maintenance loop: the month entries are booked in now is on record. */
  async keepCurrentMonthOpen(): Promise<void> {
    const month = this.options.calendar.monthKey(this.options.now());
    if (!this.months.current().has(month)) await this.months.open(month);
  }

  /** The entries booked in one month (an equality on the ledger's settlement index). */
  private async monthEntries(month: string): Promise<WalletEntry[]> {
    const rows = await this.Ledger.find({ settlementMonth: month }).lean<PointsLedgerEntry[]>();
    return rows.map(toWalletEntry);
  }

  /**
   * Points held in each partner's lots at the end of a month: stored by the month's close, else the end
   * of the month before plus this month's movements, back to the last closed month or the ledger's first.
   * Each step reads one month, so no read grows with the whole ledger's history.
   */
  private async heldAtEndOf(month: string): Promise<Map<string, number>> {
    const start = this.months.earliest();
    if (start === null || month < start) return new Map();
    const closed = await this.months.Months.findOne({ _id: month, status: 'CLOSED' });
    if (closed?.closingHeld) return new Map(Object.entries(closed.closingHeld));
    const before = await this.heldAtEndOf(previousMonth(month));
    return heldThrough(await this.monthEntries(month), month, this.options.calendar, before);
  }

  /** A month's entries and the holdings at the end of the month before (where its liability opens). */
  private async monthWithOpening(month: string) {
    const [entries, opening] = await Promise.all([
      this.monthEntries(month),
      this.heldAtEndOf(previousMonth(month)),
    ]);
    return { entries, opening };
  }

  async statement(partner: string, month: string): Promise<SettlementStatementView> {
    const closed = await this.Statements.findOne({ _id: statementId(month, partner) });
    if (closed) return { statement: closed.statement, closedAt: closed.closedAt };
    const { entries, opening } = await this.monthWithOpening(month);
    const { terms, calendar } = this.options;
    return { statement: monthlyStatement(partner, month, entries, terms, calendar, opening), closedAt: null };
  }

  async liability(month: string): Promise<ProgrammeLiability> {
    const { entries, opening } = await this.monthWithOpening(month);
    return programmeLiability(month, entries, this.options.terms, this.options.calendar, opening);
  }

  /** Closes a month for every partner; closing it again answers with the statements already written. */
  async close(
    month: string,
  ): Promise<{ month: string; closedAt: Date; statements: SettlementStatementView[] }> {
    const { calendar, now } = this.options;
    const { end } = calendar.monthBounds(month);
    const at = now();
    if (at < end) {
      throw new AppError(
        'MONTH_NOT_ENDED',
        `${month} ends at ${end.toISOString()} (${calendar.timeZone}); it can be closed from then on.`,
      );
    }
    await this.months.open(month);
    await this.months.Months.updateOne(
      { _id: month, status: 'OPEN' },
      { $set: { status: 'CLOSING', startedAt: at } },
    );
    this.months.remember(month);
    const started = await this.months.Months.findOne({ _id: month });
    if (started?.status !== 'CLOSED') {
      await this.options.flushParkedEntries();
      const { entries, opening } = await this.monthWithOpening(month);
      const partners = [...new Set([...this.options.partners, ...partnersInMonth(entries, month, calendar)])];
      for (const partner of partners.sort()) {
        const statement = monthlyStatement(partner, month, entries, this.options.terms, calendar, opening);
        try {
          await this.Statements.insertOne({ _id: statementId(month, partner), statement, closedAt: at });
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
        }
        this.options.afterStatementWritten?.(partner);
      }
      await this.months.Months.updateOne(
        { _id: month, status: 'CLOSING' },
        {
          $set: {
            status: 'CLOSED',
            closedAt: at,
            partners: partners.sort(),
            closingHeld: Object.fromEntries(heldThrough(entries, month, calendar, opening)),
          },
        },
      );
    }
    const done = await this.months.Months.findOne({ _id: month });
    const ids = (done?.partners ?? []).map((partner) => statementId(month, partner));
    const stored = await this.Statements.find({ _id: { $in: ids } }).toArray();
    stored.sort((a, b) => (a._id < b._id ? -1 : 1));
    return {
      month,
      closedAt: done?.closedAt ?? at,
      statements: stored.map((d) => ({ statement: d.statement, closedAt: d.closedAt })),
    };
  }
}
