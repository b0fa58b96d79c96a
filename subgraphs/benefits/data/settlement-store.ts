import type { Collection, Connection } from 'mongoose';
import { AppError } from '../../shared/errors.js';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type {
  PartnerStatement,
  ProgrammeLiability,
  SettlementTermsLookup,
} from '../domain/settlement-statement.js';
import { monthlyStatement, partnersInMonth, programmeLiability } from '../domain/settlement-statement.js';
import type { WalletEntry } from '../domain/wallet-entry.js';
import type { PointsLedgerEntry, PointsLedgerModel } from './points-ledger.js';
import { toWalletEntry } from './points-ledger.js';

/** A settlement month being closed (`CLOSING`) or closed for the whole programme. `_id` is `YYYY-MM`. */
interface SettlementMonthDocument {
  _id: string;
  status: 'CLOSING' | 'CLOSED';
  startedAt: Date;
  closedAt: Date | null;
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
 * The settlement months closed (or being closed), as this process knows them. The wallet store reads it
 * when it books an entry: an entry is never booked into a month that is closing or closed.
 */
export class ClosedMonths {
  private known = new Set<string>();
  readonly Months: Collection<SettlementMonthDocument>;

  constructor(connection: Connection) {
    this.Months = connection.collection<SettlementMonthDocument>('settlement_months');
  }

  current(): ReadonlySet<string> {
    return this.known;
  }

  /** Reads the closed months again (at start-up and in the maintenance loop, for closes by other processes). */
  async refresh(): Promise<void> {
    const docs = await this.Months.find({}, { projection: { _id: 1 } }).toArray();
    this.known = new Set(docs.map((d) => d._id));
  }

  remember(month: string): void {
    this.known = new Set([...this.known, month]);
  }
}

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
    readonly closedMonths: ClosedMonths,
    private readonly options: SettlementStoreOptions,
  ) {
    this.Statements = connection.collection<ClosedStatementDocument>('settlement_statements');
  }

  async init(): Promise<void> {
    await this.closedMonths.refresh();
  }

  /** Every entry booked up to and including the month (the liability needs the balances before it). */
  private async entriesThrough(month: string): Promise<WalletEntry[]> {
    const rows = await this.Ledger.find({ settlementMonth: { $lte: month } }).lean<PointsLedgerEntry[]>();
    return rows.map(toWalletEntry);
  }

  async statement(partner: string, month: string): Promise<SettlementStatementView> {
    const closed = await this.Statements.findOne({ _id: statementId(month, partner) });
    if (closed) return { statement: closed.statement, closedAt: closed.closedAt };
    const entries = await this.entriesThrough(month);
    return {
      statement: monthlyStatement(partner, month, entries, this.options.terms, this.options.calendar),
      closedAt: null,
    };
  }

  async liability(month: string): Promise<ProgrammeLiability> {
    return programmeLiability(
      month,
      await this.entriesThrough(month),
      this.options.terms,
      this.options.calendar,
    );
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
    const started = await this.closedMonths.Months.findOneAndUpdate(
      { _id: month },
      { $setOnInsert: { status: 'CLOSING', startedAt: at, closedAt: null } },
      { upsert: true, returnDocument: 'after' },
    );
    this.closedMonths.remember(month);
    if (started?.status !== 'CLOSED') {
      await this.options.flushParkedEntries();
      const entries = await this.entriesThrough(month);
      const partners = [...new Set([...this.options.partners, ...partnersInMonth(entries, month, calendar)])];
      for (const partner of partners.sort()) {
        const statement = monthlyStatement(partner, month, entries, this.options.terms, calendar);
        try {
          await this.Statements.insertOne({ _id: statementId(month, partner), statement, closedAt: at });
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
        }
        this.options.afterStatementWritten?.(partner);
      }
      await this.closedMonths.Months.updateOne(
        { _id: month, status: 'CLOSING' },
        { $set: { status: 'CLOSED', closedAt: at } },
      );
    }
    const stored = await this.Statements.find({ _id: { $regex: `^${month}\\|` } })
      .sort({ _id: 1 })
      .toArray();
    const closedAt = (await this.closedMonths.Months.findOne({ _id: month }))?.closedAt ?? at;
    return {
      month,
      closedAt,
      statements: stored.map((d) => ({ statement: d.statement, closedAt: d.closedAt })),
    };
  }
}
