import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { PointsLot } from '../domain/points-lot.js';
import type { Outcome } from '../domain/refusal.js';
import type { WalletChange, WalletState } from '../domain/wallet-entry.js';
import { applyWalletChange } from '../domain/wallet-entry.js';
import { settlementMonthFor } from '../domain/settlement-month.js';
import type { EntryReferences, PointsLedger, PointsLedgerEntry } from './points-ledger.js';
import { DUPLICATE_KEY, duplicateKeyIndexes } from '../../shared/db/duplicate-keys.js';

/**
 * A member's wallet as stored: the lots, and a version every change increments. A change is written in one
 * conditional update of this document (the version it was computed from must still be there), which makes
 * it atomic without transactions; the same write parks the change's ledger entries in `unflushed`, and
 * only then are they appended to the ledger (idempotent by key) and the parking cleared. A crash between
 * the two leaves the entries parked, and the next change of the wallet or the recovery sweep writes them.
 */
export interface WalletDocument {
  _id: string;
  version: number;
  lots: PointsLot[];
  lifetimeEarned: number;
  /** The earliest expiry among lots still holding points; the expiry sweep finds wallets by it. */
  nextExpiryAt: Date | null;
  unflushed: PointsLedgerEntry[];
  /** True while `unflushed` holds entries: the recovery sweep finds wallets by it. */
  flushPending: boolean;
  /**
   * Units redeemed per benefit and limit period (`<benefit>|<period key>`), kept in the wallet so a
   * redemption's limit check and its points are one atomic write.
   */
  redemptionCounts?: Record<string, number>;
  /** Names the change that wrote this version, so a writer can tell its own write from another's. */
  changeId?: string;
}

/** The steps of a wallet change, named so tests can stop a change between any two of them. */
export type WalletWriteStep = 'wallet-written' | 'ledger-appended';

export interface WalletStoreOptions {
  now: () => Date;
  calendar: ProgrammeCalendar;
  /** Called after each step; a test throws here to simulate a crash. */
  afterStep?: (step: WalletWriteStep, memberId: string) => void;
  /** How often a change computed from a stale wallet is recomputed before giving up. */
  maxAttempts?: number;
  /** Settlement months closed or closing: an entry is booked in the first open month from the one it is recorded in. */
  closedMonths?: () => ReadonlySet<string>;
  /** Told of every written change of a member's wallet (the gateway's cached answers for them are then stale). */
  onChanged?: (...memberIds: string[]) => Promise<void>;
}

/** What an operation returns: the change to write, plus whatever its caller wants back. */
export interface WalletOperationResult {
  change: WalletChange;
  /** Changes of the wallet's redemption counters, written with the change. */
  countDeltas?: Record<string, number>;
}

/** What an operation reads: the lots and referenced entries, and the redemption counters. */
export interface WalletView extends WalletState {
  redemptionCounts: Readonly<Record<string, number>>;
}

export interface ApplyOptions {
  /** Recorded on every entry of the change as the cause (default: the entry's own key). */
  sourceEventId?: string;
}

/** One operation on a wallet: the entries it refers to, and the pure function computing its change. */
export interface WalletOperation<T extends WalletOperationResult> extends ApplyOptions {
  refs: EntryReferences;
  operate: (state: WalletView) => Outcome<T>;
}

/** The wallet was changed by others on every attempt; the caller may retry the whole request. */
export class WalletContentionError extends Error {
  constructor(memberId: string, attempts: number) {
    super(`wallet of ${memberId} changed under ${attempts} consecutive attempts`);
  }
}

/** A wallet change to write: the wallet as read (null: none yet, version 0) and as it is to be. */
interface WalletWrite {
  memberId: string;
  previous: WalletDocument | null;
  next: WalletDocument;
  version: number;
}

/**
 * The fields of `next` to set over `previous` (the same wallet at the version the write is conditional on):
 * every field but the lots whole, and of the lots only those changed or added, by position. A change keeps
 * the lots it does not touch (the same objects, in the same order) and appends new ones, so a wallet of
 * many lots is not written whole for every change; lots in another order are written whole.
 */
export function changedFields(previous: WalletDocument, next: WalletDocument): Record<string, unknown> {
  const { _id, lots, ...fields } = next;
  const before = previous.lots;
  if (lots.length < before.length) return { ...fields, lots };
  const changed: Record<string, unknown> = {};
  for (let i = 0; i < before.length; i++) {
    if (lots[i] === before[i]) continue;
    if (lots[i].id !== before[i].id) return { ...fields, lots };
    changed[`lots.${i}`] = lots[i];
  }
  for (let i = before.length; i < lots.length; i++) changed[`lots.${i}`] = lots[i];
  return { ...fields, ...changed };
}

const NO_CLOSED_MONTHS: ReadonlySet<string> = new Set();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextExpiry(lots: readonly PointsLot[]): Date | null {
  let at: number | null = null;
  for (const lot of lots) {
    if (lot.remaining <= 0 || !lot.expiresAt) continue;
    const t = lot.expiresAt.getTime();
    if (at === null || t < at) at = t;
  }
  return at === null ? null : new Date(at);
}

/** Runs tasks one after another per key, so changes to one wallet in this process never race each other. */
class SerialPerKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Runs `task` once the tasks of every key before it are done; later tasks of any of the keys wait for it. */
  runAll<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const previous = Promise.all(
      keys.map((key) => (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined)),
    );
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    for (const key of keys) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** A change computed from a wallet as read: the outcomes, and the document to write (null: nothing to write). */
interface PlannedChange<T> {
  outcomes: Outcome<T>[];
  next: WalletDocument | null;
  version: number;
}

export function walletCollection(connection: Connection): Collection<WalletDocument> {
  return connection.collection<WalletDocument>('wallets');
}

export class WalletStore {
  private readonly serial = new SerialPerKey();

  constructor(
    readonly Wallets: Collection<WalletDocument>,
    readonly ledger: PointsLedger,
    private readonly options: WalletStoreOptions,
  ) {}

  async init(): Promise<void> {
    await Promise.all([
      this.Wallets.createIndex({ nextExpiryAt: 1 }),
      this.Wallets.createIndex({ flushPending: 1 }),
    ]);
  }

  get now(): () => Date {
    return this.options.now;
  }

  async lotsOf(memberIds: readonly string[]): Promise<Map<string, WalletDocument>> {
    const docs = await this.Wallets.find({ _id: { $in: [...memberIds] } }).toArray();
    return new Map(docs.map((d) => [d._id, d as WalletDocument]));
  }

  /**
   * Computes a change from the wallet's current state and writes it atomically. In this process changes
   * of one wallet run one at a time; across processes the version check sends a change computed from a
   * stale wallet back to be computed again. A refusal or a replay writes nothing.
   */
  async apply<T extends WalletOperationResult>(
    memberId: string,
    refs: EntryReferences,
    operate: (state: WalletView) => Outcome<T>,
    options: ApplyOptions = {},
  ): Promise<Outcome<T>> {
    const [outcome] = await this.applyAll(memberId, [{ refs, operate, ...options }]);
    return outcome;
  }

  /**
   * Several operations on one wallet, in order, written as one change: each sees the state the ones
   * before it left (the points consumer applies a member's events of a batch this way, in one write).
   */
  applyAll<T extends WalletOperationResult>(
    memberId: string,
    operations: readonly WalletOperation<T>[],
  ): Promise<Outcome<T>[]> {
    return this.serial.run(memberId, () => this.applyNow(memberId, operations));
  }

  /**
   * Many wallets' operations (one list per member, in order) applied together, as `applyAll` applies each
   * list: the wallets are read in one query and their referenced entries in another, each changed wallet is
   * written by its own conditional update (the writes travel together), and their ledger entries are
   * appended in one write and the parking cleared in one more. A wallet that was changed meanwhile by another
   * process, or that holds parked entries, is done on its own afterwards, as `applyAll` does it.
   */
  applyMany<T extends WalletOperationResult>(
    operations: ReadonlyMap<string, readonly WalletOperation<T>[]>,
  ): Promise<Map<string, Outcome<T>[]>> {
    const memberIds = [...operations.keys()];
    return this.serial.runAll(memberIds, () => this.applyManyNow(operations));
  }

  private async applyManyNow<T extends WalletOperationResult>(
    operations: ReadonlyMap<string, readonly WalletOperation<T>[]>,
  ): Promise<Map<string, Outcome<T>[]>> {
    const results = new Map<string, Outcome<T>[]>();
    const memberIds = [...operations.keys()];
    const docs = await this.lotsOf(memberIds);
    const alone: string[] = [];
    const together: string[] = [];
    for (const memberId of memberIds) {
      if ((docs.get(memberId)?.unflushed.length ?? 0) > 0) alone.push(memberId);
      else together.push(memberId);
    }
    const known = await this.ledger.referencedEntriesOfMany(
      new Map(together.map((memberId) => [memberId, operations.get(memberId)!.map((op) => op.refs)])),
    );
    const changes: WalletWrite[] = [];
    for (const memberId of together) {
      const planned = this.plan(
        memberId,
        docs.get(memberId) ?? null,
        known.get(memberId) ?? [],
        operations.get(memberId)!,
      );
      const previous = docs.get(memberId) ?? null;
      if (planned.next) changes.push({ memberId, previous, next: planned.next, version: planned.version });
      results.set(memberId, planned.outcomes);
    }
    let failure: { error: unknown } | undefined;
    const ours = await this.writeManyIfUnchanged(changes).catch(async (error: unknown) => {
      failure = { error };
      return this.writtenBy(changes); // some of the writes may have landed before the failure
    });
    const written: WalletDocument[] = [];
    for (const { memberId, next } of changes) {
      if (ours.has(memberId)) {
        written.push(next);
      } else {
        results.delete(memberId);
        if (!failure) alone.push(memberId); // changed by another process since it was read
      }
    }
    // Every wallet written is flushed (or left parked for recovery) and announced, whatever else failed.
    try {
      for (const doc of written) this.options.afterStep?.('wallet-written', doc._id);
      await this.flushMany(written);
    } finally {
      if (written.length > 0) await this.options.onChanged?.(...written.map((doc) => doc._id));
    }
    if (failure) throw failure.error;
    for (const memberId of alone)
      results.set(memberId, await this.applyNow(memberId, operations.get(memberId)!));
    return results;
  }

  /**
   * `writeIfUnchanged` for many wallets in two writes (new wallets inserted, the others updated where their
   * version is still the one read). Returns the members whose wallet was written: all of them, unless some
   * write found another version, in which case the wallets are read back to see whose change is there.
   */
  private async writeManyIfUnchanged(changes: readonly WalletWrite[]): Promise<Set<string>> {
    const inserts = changes.filter((c) => c.version === 0);
    const updates = changes.filter((c) => c.version > 0);
    const [inserted, updated] = await Promise.all([
      inserts.length === 0
        ? true
        : this.Wallets.insertMany(
            inserts.map((c) => c.next),
            { ordered: false },
          ).then(
            () => true,
            (error: unknown) => {
              duplicateKeyIndexes(error); // anything but another process's new wallet is thrown
              return false;
            },
          ),
      updates.length === 0
        ? true
        : this.Wallets.bulkWrite(
            updates.map(({ previous, next, version }) => ({
              updateOne: {
                filter: { _id: next._id, version },
                update: { $set: changedFields(previous!, next) },
              },
            })),
            { ordered: false },
          ).then((result) => result.matchedCount === updates.length),
    ]);
    return inserted && updated ? new Set(changes.map((c) => c.memberId)) : this.writtenBy(changes);
  }

  /** The members whose wallet holds the given change (read back after a write that did not land for all). */
  private async writtenBy(
    changes: readonly { memberId: string; next: WalletDocument }[],
  ): Promise<Set<string>> {
    const docs = await this.Wallets.find(
      { _id: { $in: changes.map((c) => c.memberId) } },
      { projection: { _id: 1, changeId: 1 } },
    ).toArray();
    const stored = new Map(docs.map((d) => [d._id, d.changeId]));
    return new Set(changes.filter((c) => stored.get(c.memberId) === c.next.changeId).map((c) => c.memberId));
  }

  /** The change `operations` make to the wallet `doc` (null: no wallet yet), given the entries they refer to. */
  private plan<T extends WalletOperationResult>(
    memberId: string,
    doc: WalletDocument | null,
    known: WalletState['entries'],
    operations: readonly WalletOperation<T>[],
  ): PlannedChange<T> {
    const version = doc?.version ?? 0;
    let state: WalletState = { lots: doc?.lots ?? [], entries: known };
    const counts: Record<string, number> = { ...(doc?.redemptionCounts ?? {}) };
    const outcomes: Outcome<T>[] = [];
    const recordedAt = this.options.now();
    const settlementMonth = settlementMonthFor(
      recordedAt,
      this.options.closedMonths?.() ?? NO_CLOSED_MONTHS,
      this.options.calendar,
    );
    const unflushed: PointsLedgerEntry[] = [];
    for (const op of operations) {
      const outcome = op.operate({ ...state, redemptionCounts: counts });
      outcomes.push(outcome);
      if (!outcome.ok || outcome.value.change.replay) continue;
      const { change, countDeltas = {} } = outcome.value;
      for (const [key, delta] of Object.entries(countDeltas)) counts[key] = (counts[key] ?? 0) + delta;
      state = applyWalletChange(state, change);
      const created = new Map(change.newLots.map((lot) => [lot.id, lot]));
      for (const { id, ...entry } of change.entries) {
        unflushed.push({
          _id: id,
          ...entry,
          sourceEventId: op.sourceEventId ?? id,
          availableAt: created.get(id)?.availableAt ?? entry.occurredAt,
          recordedAt,
          settlementMonth,
        });
      }
    }
    if (unflushed.length === 0) return { outcomes, next: null, version };
    const nextLots = state.lots as PointsLot[];
    const earned = unflushed.filter((e) => e.kind === 'earn').reduce((sum, e) => sum + e.points, 0);
    const next: WalletDocument = {
      _id: memberId,
      version: version + 1,
      lots: nextLots,
      lifetimeEarned: (doc?.lifetimeEarned ?? 0) + earned,
      nextExpiryAt: nextExpiry(nextLots),
      unflushed,
      flushPending: true,
      redemptionCounts: counts,
      changeId: randomUUID(),
    };
    return { outcomes, next, version };
  }

  private async applyNow<T extends WalletOperationResult>(
    memberId: string,
    operations: readonly WalletOperation<T>[],
  ): Promise<Outcome<T>[]> {
    const maxAttempts = this.options.maxAttempts ?? 20;
    const refs: EntryReferences[] = operations.map((op) => op.refs);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const doc = (await this.Wallets.findOne({ _id: memberId })) as WalletDocument | null;
      if (doc && doc.unflushed.length > 0) await this.flush(doc);
      const known = await this.ledger.referencedEntries(memberId, refs);
      const { outcomes, next, version } = this.plan(memberId, doc, known, operations);
      if (!next) return outcomes;
      if (await this.writeIfUnchanged(doc, next, version)) {
        try {
          this.options.afterStep?.('wallet-written', memberId);
          await this.flush(next);
        } finally {
          await this.options.onChanged?.(memberId); // the balance changed with the write, whatever follows
        }
        return outcomes;
      }
      await sleep(Math.random() * Math.min(50, attempt * 5));
    }
    throw new WalletContentionError(memberId, maxAttempts);
  }

  private async writeIfUnchanged(
    previous: WalletDocument | null,
    next: WalletDocument,
    version: number,
  ): Promise<boolean> {
    if (version === 0) {
      try {
        await this.Wallets.insertOne(next);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    const result = await this.Wallets.updateOne(
      { _id: next._id, version },
      { $set: changedFields(previous!, next) },
    );
    return result.modifiedCount === 1;
  }

  /** Appends the parked entries to the ledger, then clears them if no later change replaced them. */
  private async flush(doc: WalletDocument): Promise<void> {
    await this.ledger.appendMany(doc.unflushed);
    this.options.afterStep?.('ledger-appended', doc._id);
    await this.Wallets.updateOne(
      { _id: doc._id, version: doc.version },
      { $set: { unflushed: [], flushPending: false } },
    );
  }

  /** `flush` for many wallets: their entries appended in one write, their parking cleared in one more. */
  private async flushMany(docs: readonly WalletDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await this.ledger.appendMany(docs.flatMap((doc) => doc.unflushed));
    for (const doc of docs) this.options.afterStep?.('ledger-appended', doc._id);
    await this.Wallets.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id, version: doc.version },
          update: { $set: { unflushed: [], flushPending: false } },
        },
      })),
      { ordered: false },
    );
  }

  /** Writes the entries a crash left parked (every wallet with `flushPending`). Returns how many wallets. */
  async recoverUnflushed(limit = 1_000): Promise<number> {
    const docs = (await this.Wallets.find({ flushPending: true }).limit(limit).toArray()) as WalletDocument[];
    for (const doc of docs) await this.serial.run(doc._id, () => this.flush(doc));
    return docs.length;
  }

  /** Ids of wallets holding points whose expiry has come by `at`. */
  async walletsDueForExpiry(at: Date, limit: number): Promise<string[]> {
    const docs = await this.Wallets.find({ nextExpiryAt: { $lte: at } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }
}
