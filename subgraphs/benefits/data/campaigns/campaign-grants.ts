import type { Campaign } from '../../domain/campaigns/campaign.js';
import type { CampaignModels, CampaignParticipantDocument } from './campaign-models.js';

const DUPLICATE_KEY = 11000;
/** Conditional writes retried this often under contention before the batch is left for redelivery. */
const MAX_ATTEMPTS = 20;

export interface CampaignGrantRequest {
  campaign: Pick<Campaign, 'id' | 'budget'>;
  memberId: string;
  /** The event's idempotency key. */
  key: string;
  group: 'TREATED' | 'CONTROL';
  spendMinor: number;
  /** What the campaign would issue for the event (0 for the control group). */
  wanted: number;
  /** For purchases, `partner:orderId` (see `grantOrderKey`), so that a refund finds the grant. */
  order?: string | null;
}

export interface CampaignReversalRequest {
  campaignId: string;
  memberId: string;
  /** The refund event's idempotency key. */
  key: string;
  /** Points the refund takes back from the member's grant (0 for the control group). */
  points: number;
  refundMinor: number;
  /** The order (`partner:orderId`) whose grant it takes back, so later reversals know what is left of it. */
  order?: string | null;
}

/** A member's grant for an order, as a refund of it needs it. */
export interface OrderGrant {
  campaignId: string;
  group: 'TREATED' | 'CONTROL';
  points: number;
}

const isDuplicate = (error: unknown): boolean => (error as { code?: number }).code === DUPLICATE_KEY;

/**
 * Budgets and participation, without transactions. The total budget is one document that every event
 * races on with a conditional increment (`issued ≤ total − points`), so concurrent events can never take
 * it past its total; the member's share is a compare-and-set on their participant document, which also
 * records the event's key and grant in the same write. A redelivered event finds its key and gets the
 * same grant back (its new reservation is released); a crash between the two writes can only leave
 * points reserved and unissued, never issue more than the budget.
 */
export class CampaignGrants {
  constructor(private readonly models: Pick<CampaignModels, 'Budgets' | 'Participants'>) {}

  async openBudget(campaignId: string): Promise<void> {
    await this.models.Budgets.updateOne(
      { _id: campaignId },
      { $setOnInsert: { issued: 0 } },
      { upsert: true },
    );
  }

  async issued(campaignId: string): Promise<number> {
    return (await this.models.Budgets.findById(campaignId).lean())?.issued ?? 0;
  }

  /** Takes up to `wanted` points from the total budget; returns what it took (0 when spent). */
  private async reserve(campaign: CampaignGrantRequest['campaign'], wanted: number): Promise<number> {
    const total = campaign.budget.totalPoints;
    let points = wanted;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && points > 0; attempt++) {
      const filter =
        total === null ? { _id: campaign.id } : { _id: campaign.id, issued: { $lte: total - points } };
      const result = await this.models.Budgets.updateOne(filter, { $inc: { issued: points } });
      if (result.modifiedCount === 1) return points;
      if (total === null) throw new Error(`campaign ${campaign.id} has no budget document`);
      const issued = (await this.models.Budgets.findById(campaign.id).lean())?.issued ?? total;
      points = Math.min(points, total - issued);
    }
    return 0;
  }

  private async release(campaignId: string, points: number): Promise<void> {
    if (points > 0) await this.models.Budgets.updateOne({ _id: campaignId }, { $inc: { issued: -points } });
  }

  /** Records the event for the member and returns the points it is given (the same on every delivery). */
  async grant(request: CampaignGrantRequest): Promise<number> {
    const { campaign, memberId, key } = request;
    const id = `${campaign.id}|${memberId}`;
    const recorded = (doc: CampaignParticipantDocument | null) =>
      doc?.eventKeys.includes(key) ? (doc.grants.find((g) => g.key === key)?.points ?? 0) : null;
    const before = await this.models.Participants.findById(id).lean<CampaignParticipantDocument>();
    const known = recorded(before);
    if (known !== null) return known;

    const reserved = request.wanted > 0 ? await this.reserve(campaign, request.wanted) : 0;
    let doc = before;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const again = recorded(doc);
      if (again !== null) {
        await this.release(campaign.id, reserved);
        return again;
      }
      const cap = campaign.budget.perMemberPoints;
      // Points a refund took back no longer count against the member's share.
      const kept = (doc?.pointsIssued ?? 0) - (doc?.pointsReversed ?? 0);
      const room = cap === null ? reserved : Math.max(0, cap - kept);
      const points = Math.min(reserved, room);
      const change = {
        $inc: { events: 1, spendMinor: request.spendMinor, pointsIssued: points },
        $push: { eventKeys: key, grants: { key, points, order: request.order ?? null } },
      };
      try {
        if (doc) {
          const result = await this.models.Participants.updateOne(
            { _id: id, pointsIssued: doc.pointsIssued, eventKeys: { $ne: key } },
            change,
          );
          if (result.modifiedCount === 1) {
            await this.release(campaign.id, reserved - points);
            return points;
          }
        } else {
          await this.models.Participants.create({
            _id: id,
            campaignId: campaign.id,
            memberId,
            group: request.group,
            events: 1,
            spendMinor: request.spendMinor,
            pointsIssued: points,
            eventKeys: [key],
            grants: [{ key, points, order: request.order ?? null }],
            reversals: [],
            pointsReversed: 0,
            refundedMinor: 0,
          });
          await this.release(campaign.id, reserved - points);
          return points;
        }
      } catch (error) {
        if (!isDuplicate(error)) {
          await this.release(campaign.id, reserved);
          throw error;
        }
      }
      doc = await this.models.Participants.findById(id).lean<CampaignParticipantDocument>();
    }
    await this.release(campaign.id, reserved);
    throw new Error(`campaign ${campaign.id}: member ${memberId} kept changing; the event will be retried`);
  }

  /** The member's grants for an order (`partner:orderId`), one per campaign that counted the purchase. */
  async grantsForOrder(memberId: string, order: string): Promise<OrderGrant[]> {
    const docs = await this.models.Participants.find({ memberId, 'grants.order': order })
      .select({ campaignId: 1, group: 1, grants: 1 })
      .lean<Pick<CampaignParticipantDocument, 'campaignId' | 'group' | 'grants'>[]>();
    return docs.map((doc) => ({
      campaignId: doc.campaignId,
      group: doc.group,
      points: doc.grants.filter((g) => g.order === order).reduce((sum, g) => sum + g.points, 0),
    }));
  }

  /**
   * What is left of the member's grants in a campaign, per order: granted less what reversals took back,
   * leaving out the reversals keyed `except…` (a redelivered reversal must see what it saw the first time).
   */
  async keptByOrder(campaignId: string, memberId: string, except: string): Promise<Map<string, number>> {
    const doc = await this.models.Participants.findById(
      `${campaignId}|${memberId}`,
    ).lean<CampaignParticipantDocument>();
    const kept = new Map<string, number>();
    for (const grant of doc?.grants ?? []) {
      if (grant.order) kept.set(grant.order, (kept.get(grant.order) ?? 0) + grant.points);
    }
    for (const reversal of doc?.reversals ?? []) {
      if (!reversal.order || reversal.key.startsWith(except)) continue;
      kept.set(reversal.order, (kept.get(reversal.order) ?? 0) - reversal.points);
    }
    return kept;
  }

  /**
   * Records a refund against the member's part in a campaign, once per refund event: what it took back and
   * the spend it removed (so results compare spend kept), and returns those points to the total budget.
   * Returns the points recorded for the refund (the same on every delivery). A crash between the two writes
   * can only leave points unreturned to the budget, never return them twice.
   */
  async reverse(request: CampaignReversalRequest): Promise<number> {
    const id = `${request.campaignId}|${request.memberId}`;
    const result = await this.models.Participants.updateOne(
      { _id: id, 'reversals.key': { $ne: request.key } },
      {
        $inc: { pointsReversed: request.points, refundedMinor: request.refundMinor },
        $push: {
          reversals: {
            key: request.key,
            points: request.points,
            refundMinor: request.refundMinor,
            order: request.order ?? null,
          },
        },
      },
    );
    if (result.modifiedCount === 1) {
      await this.release(request.campaignId, request.points);
      return request.points;
    }
    const doc = await this.models.Participants.findById(id).lean<CampaignParticipantDocument>();
    return doc?.reversals.find((r) => r.key === request.key)?.points ?? 0;
  }
}
