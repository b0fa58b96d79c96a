import { createHash } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { newestFirstAfter } from '../../shared/cursor-pagination.js';
import type { ProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import type { TierCode } from '../../shared/domain/tiers.js';
import { contentFingerprint } from '../domain/idempotency-fingerprint.js';
import type { PastRedemption, RedemptionPlan, StockUsage } from '../domain/redemption-decision.js';
import { decideRedemption, memberLimitPeriodKey } from '../domain/redemption-decision.js';
import type { RedemptionTerms } from '../domain/redemption-terms.js';
import type { Outcome, Refusal, RefusalCode } from '../domain/refusal.js';
import { accept } from '../domain/refusal.js';
import { applyReturn } from '../domain/return-points.js';
import type { WalletChange, WalletEntry } from '../domain/wallet-entry.js';
import { NO_CHANGE, completeChange, emptyEntryFields } from '../domain/wallet-entry.js';
import type { WalletStore, WalletView } from './wallet-store.js';

/**
 * Redemption without transactions: a redemption document keyed by the member and the idempotency key
 * (the unique `_id` is the guard against a double redemption), then a conditional stock reservation that
 * names the redemption, then the points and the member's limit counter in one conditional wallet write
 * keyed by the redemption, then `CONFIRMED`. Every step can be repeated and says whether it was done, so
 * a retry rolls a half-done redemption forward, and the recovery sweep rolls one left `PENDING` by a crash
 * forward (its points were taken) or back (they were not: the reservation is released).
 */

export type RedemptionStatus = 'PENDING' | 'CONFIRMED' | 'FAILED' | 'CANCELLING' | 'CANCELLED';

export interface RedemptionDocument {
  _id: string;
  memberId: string;
  idempotencyKey: string;
  benefitId: string;
  quantity: number;
  fingerprint: string;
  status: RedemptionStatus;
  createdAt: Date;
  redeemedAt: Date | null;
  pointsSpent: number;
  voucherCode: string;
  voucherExpiresAt: Date | null;
  honouredBy: string | null;
  /** The stock counters the reservation added to (null: the benefit has unlimited stock). */
  stock: { quantity: number; periodKey: string | null } | null;
  /** The member counter the redemption added to (null: no per-member limit). */
  limitKey: string | null;
  refusal: Refusal | null;
  cancelledAt: Date | null;
}

interface StockDocument {
  _id: string;
  used: number;
  byPeriod: Record<string, number>;
  /** Redemptions holding a reservation not yet confirmed or released. */
  reservations: string[];
  /** Cancelled redemptions whose units went back to the stock. */
  releases: string[];
}

export type RedemptionStep = 'created' | 'stock-reserved' | 'points-taken' | 'confirmed';

export interface RedemptionsOptions {
  calendar: ProgrammeCalendar;
  now: () => Date;
  afterStep?: (step: RedemptionStep, redemptionId: string) => void;
  /** A redemption can be cancelled for this long after it was confirmed (earning-rules.json `redemption`). */
  cancelWindowMs: number;
}

/** A refusal the resolver turns into a registry error. */
export class RedemptionRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export const redemptionIdOf = (memberId: string, idempotencyKey: string): string =>
  `R${createHash('sha256').update(`${memberId}\u0000${idempotencyKey}`).digest('hex').slice(0, 24)}`;

const redeemKey = (redemptionId: string): string => `redeem:${redemptionId}`;
const cancelKey = (redemptionId: string): string => `cancel:${redemptionId}`;

/** A voucher code derived from the redemption id: the same on every retry, unguessable from the outside. */
function voucherCodeOf(redemptionId: string): string {
  const hex = createHash('sha256').update(`voucher:${redemptionId}`).digest('hex').toUpperCase();
  return `V-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

export interface RedeemInput {
  memberId: string;
  benefitId: string;
  quantity: number;
  idempotencyKey: string;
}

export class Redemptions {
  readonly Redemptions: Collection<RedemptionDocument>;
  readonly Stock: Collection<StockDocument>;

  constructor(
    connection: Connection,
    private readonly wallets: WalletStore,
    private readonly options: RedemptionsOptions,
  ) {
    this.Redemptions = connection.collection<RedemptionDocument>('redemptions');
    this.Stock = connection.collection<StockDocument>('benefit_stock');
  }

  async init(): Promise<void> {
    await Promise.all([
      this.Redemptions.createIndex({ memberId: 1, createdAt: -1, _id: -1 }),
      this.Redemptions.createIndex({ status: 1, createdAt: 1 }),
    ]);
  }

  private step(step: RedemptionStep, id: string): void {
    this.options.afterStep?.(step, id);
  }

  /**
   * Redeems a benefit, or answers as before for a key already used with the same content. `terms` is
   * null when the benefit does not exist.
   */
  async redeem(
    input: RedeemInput,
    terms: RedemptionTerms | null,
    tier: TierCode,
  ): Promise<RedemptionDocument> {
    const now = this.options.now();
    const id = redemptionIdOf(input.memberId, input.idempotencyKey);
    const fingerprint = contentFingerprint({ benefitId: input.benefitId, quantity: input.quantity });
    const doc = await this.claim(id, input, fingerprint, now);
    if (doc.fingerprint !== fingerprint) {
      throw new RedemptionRefused({
        code: 'CONFLICT',
        message: `The key ${input.idempotencyKey} was used for another redemption; use a new key.`,
      });
    }
    if (doc.status === 'FAILED') throw new RedemptionRefused(doc.refusal!);
    if (doc.status !== 'PENDING') return doc;
    if (!terms) return this.fail(doc, { code: 'NOT_FOUND', message: `No benefit ${input.benefitId}.` });
    return this.rollForward(doc, terms, tier, now);
  }

  private async claim(
    id: string,
    input: RedeemInput,
    fingerprint: string,
    now: Date,
  ): Promise<RedemptionDocument> {
    const doc: RedemptionDocument = {
      _id: id,
      memberId: input.memberId,
      idempotencyKey: input.idempotencyKey,
      benefitId: input.benefitId,
      quantity: input.quantity,
      fingerprint,
      status: 'PENDING',
      createdAt: now,
      redeemedAt: null,
      pointsSpent: 0,
      voucherCode: voucherCodeOf(id),
      voucherExpiresAt: null,
      honouredBy: null,
      stock: null,
      limitKey: null,
      refusal: null,
      cancelledAt: null,
    };
    try {
      await this.Redemptions.insertOne(doc);
      this.step('created', id);
      return doc;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await this.Redemptions.findOne({ _id: id })) as RedemptionDocument;
    }
  }

  private async stockOf(benefitId: string): Promise<StockDocument> {
    await this.Stock.updateOne(
      { _id: benefitId },
      { $setOnInsert: { used: 0, byPeriod: {}, reservations: [], releases: [] } },
      { upsert: true },
    );
    return (await this.Stock.findOne({ _id: benefitId })) as StockDocument;
  }

  private decide(
    view: { lots: WalletView['lots']; redemptionCounts: WalletView['redemptionCounts'] },
    terms: RedemptionTerms,
    tier: TierCode,
    quantity: number,
    stockUsage: StockUsage,
    now: Date,
  ): Outcome<RedemptionPlan> {
    const pastRedemptions: PastRedemption[] = [];
    if (terms.perMemberLimit) {
      const key = `${terms.code}|${memberLimitPeriodKey(terms.perMemberLimit.period, now, this.options.calendar)}`;
      const used = view.redemptionCounts[key] ?? 0;
      if (used > 0)
        pastRedemptions.push({
          benefitCode: terms.code,
          quantity: used,
          redeemedAt: now,
          status: 'CONFIRMED',
        });
    }
    return decideRedemption(
      { terms, tier, lots: view.lots, pastRedemptions, stockUsage, quantity, now },
      this.options.calendar,
    );
  }

  private async rollForward(
    doc: RedemptionDocument,
    terms: RedemptionTerms,
    tier: TierCode,
    now: Date,
  ): Promise<RedemptionDocument> {
    const limited = terms.stockTotal !== null || terms.stockPerPeriod !== null;
    const stock = limited ? await this.stockOf(terms.code) : null;
    const reserved = stock?.reservations.includes(doc._id) ?? false;
    const usage: StockUsage =
      stock && !reserved ? { total: stock.used, byPeriod: stock.byPeriod } : { total: 0, byPeriod: {} };

    // Checked first against what is read, so the member hears the reason they can act on first.
    const wallet = (await this.wallets.lotsOf([doc.memberId])).get(doc.memberId);
    const view = { lots: wallet?.lots ?? [], redemptionCounts: wallet?.redemptionCounts ?? {} };
    const early = this.decide(view, terms, tier, doc.quantity, usage, now);
    if (!early.ok) return this.fail(doc, early.refusal);
    const plan = early.value;

    // What the later steps and the recovery sweep need, recorded before the stock and the points are
    // taken (a retry keeps what the first attempt recorded, e.g. the stock period it reserved in).
    const planned = {
      stock: doc.stock ?? (limited ? { quantity: plan.quantity, periodKey: plan.stock.periodKey } : null),
      limitKey:
        doc.limitKey ?? (plan.memberLimit ? `${plan.benefitCode}|${plan.memberLimit.periodKey}` : null),
      pointsSpent: plan.points,
      voucherExpiresAt: doc.voucherExpiresAt ?? plan.voucherExpiresAt,
      honouredBy: plan.honouredBy,
    };
    await this.Redemptions.updateOne({ _id: doc._id }, { $set: planned });
    if (limited && !reserved) {
      const taken = await this.reserve(doc._id, plan);
      if (!taken) {
        return this.fail(
          { ...doc, ...planned },
          { code: 'OUT_OF_STOCK', message: `${terms.title} is sold out.` },
        );
      }
      this.step('stock-reserved', doc._id);
    }
    const { limitKey } = planned;
    const outcome = await this.wallets.apply(doc.memberId, { ids: [redeemKey(doc._id)] }, (state) => {
      if (state.entries.some((e) => e.id === redeemKey(doc._id))) return accept({ change: NO_CHANGE });
      const decision = this.decide(state, terms, tier, doc.quantity, { total: 0, byPeriod: {} }, now);
      if (!decision.ok) return decision;
      return accept({
        change: this.redeemChange(doc, decision.value, now),
        countDeltas: limitKey ? { [limitKey]: doc.quantity } : {},
      });
    });
    if (!outcome.ok) return this.fail({ ...doc, ...planned }, outcome.refusal);
    this.step('points-taken', doc._id);
    return this.confirm({ ...doc, ...planned }, now);
  }

  private redeemChange(doc: RedemptionDocument, plan: RedemptionPlan, now: Date): WalletChange {
    const entry: WalletEntry = {
      ...emptyEntryFields,
      id: redeemKey(doc._id),
      memberId: doc.memberId,
      kind: 'redeem',
      points: -plan.points,
      partner: plan.honouredBy,
      occurredAt: now,
      orderRef: doc._id,
      allocations: plan.allocations,
      fingerprint: contentFingerprint({ op: 'redeem-benefit', id: doc._id, points: plan.points }),
    };
    return completeChange([entry], []);
  }

  private async reserve(id: string, plan: RedemptionPlan): Promise<boolean> {
    const { quantity, totalLimit, periodKey, periodLimit } = plan.stock;
    const filter: Record<string, unknown> = { _id: plan.benefitCode, reservations: { $ne: id } };
    const inc: Record<string, number> = { used: quantity };
    if (totalLimit !== null) filter.used = { $lte: totalLimit - quantity };
    if (periodKey !== null && periodLimit !== null) {
      const path = `byPeriod.${periodKey}`;
      filter.$or = [{ [path]: { $exists: false } }, { [path]: { $lte: periodLimit - quantity } }];
      inc[path] = quantity;
    }
    const result = await this.Stock.updateOne(filter, { $inc: inc, $push: { reservations: id } });
    if (result.modifiedCount === 1) return true;
    return (await this.Stock.countDocuments({ _id: plan.benefitCode, reservations: id })) === 1;
  }

  /** Gives a reservation back, once: the pull and the decrement are one conditional write. */
  private async releaseReservation(doc: RedemptionDocument): Promise<void> {
    if (!doc.stock) return;
    await this.Stock.updateOne(
      { _id: doc.benefitId, reservations: doc._id },
      { $inc: this.stockDecrement(doc), $pull: { reservations: doc._id } },
    );
  }

  private stockDecrement(doc: RedemptionDocument): Record<string, number> {
    const dec: Record<string, number> = { used: -doc.quantity };
    if (doc.stock?.periodKey) dec[`byPeriod.${doc.stock.periodKey}`] = -doc.quantity;
    return dec;
  }

  private async fail(doc: RedemptionDocument, refusal: Refusal): Promise<never> {
    await this.releaseReservation(doc);
    await this.Redemptions.updateOne(
      { _id: doc._id, status: 'PENDING' },
      { $set: { status: 'FAILED', refusal } },
    );
    throw new RedemptionRefused(refusal);
  }

  private async confirm(doc: RedemptionDocument, now: Date): Promise<RedemptionDocument> {
    const confirmed = { status: 'CONFIRMED' as const, redeemedAt: now };
    const result = await this.Redemptions.updateOne({ _id: doc._id, status: 'PENDING' }, { $set: confirmed });
    if (result.matchedCount === 0) {
      // The recovery sweep rolled this redemption back while it ran: give the points back.
      const current = (await this.Redemptions.findOne({ _id: doc._id })) as RedemptionDocument;
      if (current.status === 'FAILED') {
        await this.returnPoints({ ...doc, ...confirmed });
        throw new RedemptionRefused(current.refusal!);
      }
      return current;
    }
    this.step('confirmed', doc._id);
    if (doc.stock) await this.Stock.updateOne({ _id: doc.benefitId }, { $pull: { reservations: doc._id } });
    return { ...doc, ...confirmed };
  }

  /** Gives back the points and the limit counter of a redemption (cancelled, or rolled back late). */
  private async returnPoints(doc: RedemptionDocument): Promise<void> {
    const outcome = await this.wallets.apply(
      doc.memberId,
      { ids: [redeemKey(doc._id), cancelKey(doc._id)], referencing: redeemKey(doc._id) },
      (state) => {
        if (!state.entries.some((e) => e.id === redeemKey(doc._id))) return accept({ change: NO_CHANGE });
        const back = applyReturn(state, {
          key: cancelKey(doc._id),
          redeemEntryId: redeemKey(doc._id),
          points: doc.pointsSpent,
          occurredAt: this.options.now(),
        });
        if (!back.ok) return back;
        return accept({
          change: back.value,
          countDeltas: doc.limitKey && !back.value.replay ? { [doc.limitKey]: -doc.quantity } : {},
        });
      },
    );
    if (!outcome.ok) throw new RedemptionRefused(outcome.refusal);
  }

  /** Cancels a confirmed redemption of the member within the window: points back with their expiry, stock back. */
  async cancel(memberId: string, id: string): Promise<RedemptionDocument> {
    const doc = (await this.Redemptions.findOne({ _id: id, memberId })) as RedemptionDocument | null;
    const refused = (code: RefusalCode, message: string) => new RedemptionRefused({ code, message });
    if (!doc || doc.status === 'FAILED' || doc.status === 'PENDING') {
      throw refused('NOT_FOUND', `You have no redemption ${id} to cancel.`);
    }
    if (doc.status === 'CANCELLED') return doc;
    const window = this.options.cancelWindowMs;
    if (doc.status === 'CONFIRMED') {
      if (this.options.now().getTime() - doc.redeemedAt!.getTime() > window) {
        throw refused('NOT_ELIGIBLE', `Redemptions can be cancelled within ${window / 86_400_000} days.`);
      }
      await this.Redemptions.updateOne({ _id: id, status: 'CONFIRMED' }, { $set: { status: 'CANCELLING' } });
    }
    return this.finishCancel({ ...doc, status: 'CANCELLING' });
  }

  private async finishCancel(doc: RedemptionDocument): Promise<RedemptionDocument> {
    await this.returnPoints(doc);
    if (doc.stock) {
      await this.Stock.updateOne(
        { _id: doc.benefitId, releases: { $ne: doc._id } },
        { $inc: this.stockDecrement(doc), $push: { releases: doc._id }, $pull: { reservations: doc._id } },
      );
    }
    const cancelledAt = this.options.now();
    await this.Redemptions.updateOne(
      { _id: doc._id, status: 'CANCELLING' },
      { $set: { status: 'CANCELLED', cancelledAt } },
    );
    return (await this.Redemptions.findOne({ _id: doc._id })) as RedemptionDocument;
  }

  /**
   * Finishes what crashes left: a `PENDING` redemption older than `olderThanMs` is confirmed when its points
   * were taken and rolled back (reservation released, `FAILED`) when they were not; a `CANCELLING` one is
   * cancelled. Returns how many it settled.
   */
  async recover(
    olderThanMs = 120_000,
  ): Promise<{ confirmed: number; rolledBack: number; cancelled: number }> {
    const before = new Date(this.options.now().getTime() - olderThanMs);
    const report = { confirmed: 0, rolledBack: 0, cancelled: 0 };
    const stuck = (await this.Redemptions.find({
      status: { $in: ['PENDING', 'CANCELLING'] },
      createdAt: { $lte: before },
    })
      .limit(500)
      .toArray()) as RedemptionDocument[];
    for (const doc of stuck) {
      if (doc.status === 'CANCELLING') {
        await this.finishCancel(doc);
        report.cancelled += 1;
        continue;
      }
      await this.wallets.recoverUnflushed();
      const [taken] = await this.wallets.ledger.referencedEntries(doc.memberId, [
        { ids: [redeemKey(doc._id)] },
      ]);
      if (taken) {
        await this.Redemptions.updateOne(
          { _id: doc._id, status: 'PENDING' },
          { $set: { status: 'CONFIRMED', redeemedAt: taken.occurredAt } },
        );
        if (doc.stock)
          await this.Stock.updateOne({ _id: doc.benefitId }, { $pull: { reservations: doc._id } });
        report.confirmed += 1;
      } else {
        await this.releaseReservation(doc);
        await this.Redemptions.updateOne(
          { _id: doc._id, status: 'PENDING' },
          {
            $set: {
              status: 'FAILED',
              refusal: {
                code: 'CONFLICT',
                message:
                  'This redemption was interrupted and rolled back; nothing was charged. Use a new key.',
              },
            },
          },
        );
        report.rolledBack += 1;
      }
    }
    // A crash after confirming leaves the (already counted) reservation listed: drop it.
    const holding = await this.Stock.find({ 'reservations.0': { $exists: true } }).toArray();
    for (const stock of holding) {
      const done = await this.Redemptions.find(
        { _id: { $in: stock.reservations }, status: { $in: ['CONFIRMED', 'CANCELLING', 'CANCELLED'] } },
        { projection: { _id: 1 } },
      ).toArray();
      if (done.length > 0) {
        await this.Stock.updateOne(
          { _id: stock._id },
          { $pull: { reservations: { $in: done.map((d) => d._id) } } },
        );
      }
    }
    return report;
  }

  /** Units of a benefit taken (reserved or confirmed, less cancelled) in all. */
  async stockUsed(benefitId: string): Promise<number> {
    return (await this.Stock.findOne({ _id: benefitId }))?.used ?? 0;
  }

  /** The member's redemptions, newest first (failed ones are answers, not redemptions: left out). */
  async ofMember(
    memberId: string,
    first: number,
    after?: { at: Date; id: string },
  ): Promise<RedemptionDocument[]> {
    const base = { memberId, status: { $ne: 'FAILED' as const } };
    const filter = after ? { ...base, ...newestFirstAfter('createdAt', after) } : base;
    return (await this.Redemptions.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(first + 1)
      .toArray()) as RedemptionDocument[];
  }
}
