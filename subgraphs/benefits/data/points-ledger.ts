import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { newestFirstAfter } from '../../shared/cursor-pagination.js';
import type { WalletEntry } from '../domain/wallet-entry.js';
import {
  requiredString,
  requiredNumber,
  requiredDate,
  requiredMixed,
  nullableString,
  nullableMixed,
  countFromZero,
} from '../../shared/db/schema-fields.js';
import { duplicateKeyIndexes } from '../../shared/db/duplicate-keys.js';

/**
 * One line of the append-only points ledger: a wallet entry (`domain/wallet-entry.ts`) as stored. `_id` is
 * the idempotency key of what caused it; `allocations` name the lots it took points from or gave them to.
 */
export interface PointsLedgerEntry extends Omit<WalletEntry, 'id' | 'settlementMonth'> {
  _id: string;
  /** The partner event (or request key) that caused the entry. */
  sourceEventId: string;
  /** earn: when the new lot can be spent; other kinds: when the entry took effect. */
  availableAt: Date;
  /** When the wallet recorded the change (the same instant for every entry of one change). */
  recordedAt: Date;
  /** The programme-local month (`YYYY-MM`) the entry is settled in: the month it was recorded. */
  settlementMonth: string;
}

const ledgerSchema = new Schema<PointsLedgerEntry>(
  {
    _id: requiredString,
    memberId: requiredString,
    kind: requiredString,
    points: requiredNumber,
    partner: requiredString,
    sourceEventId: requiredString,
    occurredAt: requiredDate,
    availableAt: requiredDate,
    recordedAt: requiredDate,
    campaignId: { type: String, default: undefined },
    settlementMonth: requiredString,
    orderRef: nullableString,
    reference: nullableString,
    allocations: requiredMixed,
    awaitingPoints: countFromZero,
    unrecoveredPoints: countFromZero,
    payment: nullableMixed,
    refund: nullableMixed,
    fingerprint: requiredString,
  },
  { collection: 'points_ledger', versionKey: false },
);
ledgerSchema.index({ memberId: 1, recordedAt: -1, _id: -1 });
// Programme analytics select entries by time (and kind) across members.
ledgerSchema.index({ occurredAt: 1, kind: 1 });
// The entries an operation refers to: a reversal waiting for its order, the returns of a redemption. Most
// entries carry neither reference, so each index holds only the entries that carry one (partial on
// `$gt: ''`, which the lookups' `$in` of references implies, §5).
ledgerSchema.index({ memberId: 1, orderRef: 1 }, { partialFilterExpression: { orderRef: { $gt: '' } } });
ledgerSchema.index({ memberId: 1, reference: 1 }, { partialFilterExpression: { reference: { $gt: '' } } });
// Settlement statements read a month of one partner's entries.
ledgerSchema.index({ settlementMonth: 1, partner: 1 });

export type PointsLedgerModel = Model<PointsLedgerEntry>;

export function pointsLedgerModel(connection: Connection): PointsLedgerModel {
  return connection.model<PointsLedgerEntry>('PointsLedgerEntry', ledgerSchema);
}

/** The entries of a member an operation may refer to (see `WalletState`). */
export interface EntryReferences {
  /** Entries by key: the request's own key, a redemption to give back. */
  ids: readonly string[];
  /** A partner's order: its earnings and reversals (a refund waiting for its purchase). */
  order?: { partner: string; orderRef: string };
  /** Entries that refer to this one (the returns of a redemption or payment). */
  referencing?: string;
}

export const toWalletEntry = ({
  _id,
  sourceEventId: _source,
  availableAt: _available,
  recordedAt: _recorded,
  ...rest
}: PointsLedgerEntry): WalletEntry => ({ id: _id, ...rest });

/** The ledger's writes and reads. Entries are only ever inserted: a correction is a new entry. */
export class PointsLedger {
  /**
   * `afterAppend` is told every appended batch, new and already-stored entries alike, before `appendMany`
   * returns (the analytics summaries, `ledger-rollups.ts`): it must be idempotent, since a batch is appended
   * again after a crash.
   */
  constructor(
    readonly Ledger: PointsLedgerModel,
    private readonly afterAppend?: (entries: readonly PointsLedgerEntry[]) => Promise<void>,
  ) {}

  /**
   * Appends entries, each once per key: a key already in the ledger is skipped. Returns how many were new.
   * Entries are written as given (no casting), so a retried write stores exactly the same documents.
   */
  async appendMany(entries: readonly PointsLedgerEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const appended = await this.insertNew(entries);
    await this.afterAppend?.(entries);
    return appended;
  }

  private async insertNew(entries: readonly PointsLedgerEntry[]): Promise<number> {
    try {
      // The driver's typing wants ObjectId keys; ours are strings.
      const docs = entries.map((e) => ({ ...e })) as unknown as Parameters<
        PointsLedgerModel['collection']['insertMany']
      >[0];
      await this.Ledger.collection.insertMany(docs, { ordered: false });
      return entries.length;
    } catch (error) {
      return entries.length - duplicateKeyIndexes(error).length;
    }
  }

  /** The entries an operation on the member's wallet may refer to. */
  async referencedEntries(memberId: string, refs: readonly EntryReferences[]): Promise<WalletEntry[]> {
    return (await this.referencedEntriesOfMany(new Map([[memberId, refs]]))).get(memberId) ?? [];
  }

  /**
   * `referencedEntries` for many members at once: each member gets exactly the entries its own references
   * name (the queries ask for the union, the answer is sorted out here).
   */
  async referencedEntriesOfMany(
    refsByMember: ReadonlyMap<string, readonly EntryReferences[]>,
  ): Promise<Map<string, WalletEntry[]>> {
    const out = new Map<string, WalletEntry[]>();
    if (refsByMember.size === 0) return out;
    const ids = new Set<string>();
    const orderRefs = new Set<string>();
    const references = new Set<string>();
    for (const refs of refsByMember.values()) {
      for (const r of refs) {
        for (const id of r.ids) ids.add(id);
        if (r.order) orderRefs.add(r.order.orderRef);
        if (r.referencing) references.add(r.referencing);
      }
    }
    // One query per kind of reference, each an index lookup (`_id`, `memberId + orderRef`, `memberId +
    // reference`), rather than one `$or` that would read every entry of the batch's members.
    const members = [...refsByMember.keys()];
    const found = await Promise.all([
      ids.size > 0 ? this.Ledger.find({ _id: { $in: [...ids] } }).lean<PointsLedgerEntry[]>() : [],
      orderRefs.size > 0
        ? this.Ledger.find({ memberId: { $in: members }, orderRef: { $in: [...orderRefs] } }).lean<
            PointsLedgerEntry[]
          >()
        : [],
      references.size > 0
        ? this.Ledger.find({ memberId: { $in: members }, reference: { $in: [...references] } }).lean<
            PointsLedgerEntry[]
          >()
        : [],
    ]);
    const rows = new Map<string, PointsLedgerEntry>();
    for (const row of found.flat()) rows.set(row._id, row);
    const rowsOf = new Map<string, PointsLedgerEntry[]>();
    for (const row of rows.values()) rowsOf.set(row.memberId, [...(rowsOf.get(row.memberId) ?? []), row]);
    for (const [memberId, refs] of refsByMember) {
      const own = (rowsOf.get(memberId) ?? []).filter((row) =>
        refs.some(
          (r) =>
            r.ids.includes(row._id) ||
            (r.order !== undefined && row.partner === r.order.partner && row.orderRef === r.order.orderRef) ||
            (r.referencing !== undefined && row.reference === r.referencing),
        ),
      );
      out.set(memberId, own.map(toWalletEntry));
    }
    return out;
  }

  /** Newest first; `after` is the (recordedAt, _id) of the last entry of the previous page. */
  async history(
    memberId: string,
    first: number,
    after?: { at: Date; id: string },
  ): Promise<PointsLedgerEntry[]> {
    const filter = after ? { memberId, ...newestFirstAfter('recordedAt', after) } : { memberId };
    return this.Ledger.find(filter)
      .sort({ recordedAt: -1, _id: -1 })
      .limit(first + 1)
      .lean<PointsLedgerEntry[]>();
  }
}
