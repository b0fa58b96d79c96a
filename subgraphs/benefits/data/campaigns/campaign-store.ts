import { randomBytes } from 'node:crypto';
import type { Principal } from '../../../shared/auth/principal.js';
import { newestFirstAfter } from '../../../shared/cursor-pagination.js';
import { AppError } from '../../../shared/errors.js';
import type { SharedSnapshotOptions } from '../../../shared/cache/shared-snapshot.js';
import { SharedSnapshot } from '../../../shared/cache/shared-snapshot.js';
import type { CampaignStatus, CampaignTerms } from '../../domain/campaigns/campaign.js';
import type { CampaignAuditDocument, CampaignDocument, CampaignModels } from './campaign-models.js';
import { toCampaign } from './campaign-models.js';

export type AuditAction = CampaignAuditDocument['action'];
export type StoredCampaign = ReturnType<typeof toCampaign>;

/** Where a process that changed a campaign tells the others (the message is the reason, for logs). */
export const CAMPAIGNS_CHANGED_TOPIC = 'benefits:campaigns-changed';

interface LastChange {
  action: AuditAction;
  actor: CampaignAuditDocument['actor'];
  at: Date;
  before: unknown;
}

type Stored = Omit<CampaignDocument, 'lastChange'> & { lastChange?: LastChange | null };

function actorOf(principal: Principal): CampaignAuditDocument['actor'] {
  return {
    role: principal.role,
    subject:
      'subject' in principal
        ? (principal.subject ?? null)
        : principal.role === 'member'
          ? principal.memberId
          : null,
    partner: 'partner' in principal ? principal.partner : null,
  };
}

/** What the audit shows of a campaign: everything but its bookkeeping. */
function auditView(doc: Stored | null): unknown {
  if (!doc) return null;
  const { lastChange: _l, createdAt: _c, updatedAt: _u, ...rest } = doc;
  return rest;
}

/**
 * Campaigns and their audit trail. Each change is a compare-and-set on the campaign's version that also
 * stores the change (who, when, what it was before) in the campaign document; the audit entry, keyed by
 * campaign and version, is then written from it, and written again by the next change if a crash lost it,
 * so the trail is complete without transactions.
 */
export class CampaignStore {
  /**
   * The campaigns not ended, held in memory for the benefits bundle (read on every dashboard): campaigns
   * change when an operator changes them, through `create` and `change` here, which drop it.
   */
  readonly notEnded: SharedSnapshot<readonly StoredCampaign[]>;

  constructor(
    private readonly models: Pick<CampaignModels, 'Campaigns' | 'Audit'>,
    snapshot: SharedSnapshotOptions = {},
  ) {
    this.notEnded = new SharedSnapshot(
      'campaign-snapshot',
      CAMPAIGNS_CHANGED_TOPIC,
      async () =>
        Object.freeze(
          (await this.models.Campaigns.find({ status: { $ne: 'ENDED' } }).lean<Stored[]>()).map((doc) =>
            Object.freeze(toCampaign(doc)),
          ),
        ),
      snapshot,
    );
  }

  private async audit(doc: Stored): Promise<void> {
    if (!doc.lastChange) return;
    const entry: CampaignAuditDocument = {
      _id: `${doc._id}:v${doc.version}`,
      campaignId: doc._id,
      partner: doc.partner,
      action: doc.lastChange.action,
      actor: doc.lastChange.actor,
      at: doc.lastChange.at,
      before: doc.lastChange.before,
      after: auditView(doc),
    };
    await this.models.Audit.updateOne({ _id: entry._id }, { $setOnInsert: entry }, { upsert: true });
  }

  async get(id: string): Promise<StoredCampaign | null> {
    const doc = await this.models.Campaigns.findById(id).lean<Stored>();
    return doc ? toCampaign(doc) : null;
  }

  async require(id: string): Promise<StoredCampaign> {
    const campaign = await this.get(id);
    if (!campaign) throw new AppError('NOT_FOUND', `No campaign "${id}".`);
    return campaign;
  }

  /**
   * A page of campaigns, newest first by (createdAt, id), after the (createdAt, id) of the previous page's
   * last one; `first + 1` rows, so the caller can tell whether another page follows, and the total count.
   */
  async page(
    filter: { status?: CampaignStatus | null; partner?: string | null },
    first: number,
    after?: { at: Date; id: string },
  ): Promise<{ rows: StoredCampaign[]; totalCount: number }> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.partner !== undefined) query.partner = filter.partner;
    const [docs, totalCount] = await Promise.all([
      this.models.Campaigns.find(after ? { ...query, ...newestFirstAfter('createdAt', after) } : query)
        .sort({ createdAt: -1, _id: -1 })
        .limit(first + 1)
        .lean<Stored[]>(),
      this.models.Campaigns.countDocuments(query),
    ]);
    return { rows: docs.map(toCampaign), totalCount };
  }

  /** Campaigns whose window had not closed at `since` and that were not ended before it (for earning). */
  async runningSince(since: Date): Promise<StoredCampaign[]> {
    const docs = await this.models.Campaigns.find({
      'window.endsAt': { $gt: since },
      $or: [{ endedAt: null }, { endedAt: { $gt: since } }],
    }).lean<Stored[]>();
    return docs.map(toCampaign);
  }

  /**
   * What `runningSince(at)` answers, less the campaigns ended (status), from the campaigns held in memory:
   * for the benefits bundle. Earning and checkout read the store (`runningSince`).
   */
  async runningAt(at: Date): Promise<StoredCampaign[]> {
    return (await this.notEnded.current()).filter(
      (c) => c.window.endsAt > at && (c.endedAt === null || c.endedAt === undefined || c.endedAt > at),
    );
  }

  async create(terms: CampaignTerms, principal: Principal, now: Date): Promise<StoredCampaign> {
    const doc: Stored = {
      _id: `cmp-${randomBytes(6).toString('hex')}`,
      ...terms,
      status: 'ACTIVE',
      pauses: [],
      endedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      lastChange: { action: 'CREATE', actor: actorOf(principal), at: now, before: null },
    };
    await this.models.Campaigns.create(doc);
    await this.notEnded.changed(`campaign ${doc._id} created`);
    await this.audit(doc);
    return toCampaign(doc);
  }

  /**
   * Applies `change` to the campaign's current state with a compare-and-set on its version; a concurrent
   * change makes it read again and re-apply (`change` may refuse by throwing).
   */
  async change(
    id: string,
    action: AuditAction,
    principal: Principal,
    now: Date,
    change: (current: StoredCampaign) => Partial<CampaignDocument>,
  ): Promise<StoredCampaign> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.models.Campaigns.findById(id).lean<Stored>();
      if (!current) throw new AppError('NOT_FOUND', `No campaign "${id}".`);
      await this.audit(current); // a change a crash left unaudited is audited before the next one
      const set = change(toCampaign(current));
      const lastChange: LastChange = {
        action,
        actor: actorOf(principal),
        at: now,
        before: auditView(current),
      };
      const updated = await this.models.Campaigns.findOneAndUpdate(
        { _id: id, version: current.version },
        { $set: { ...set, version: current.version + 1, updatedAt: now, lastChange } },
        { returnDocument: 'after' },
      ).lean<Stored>();
      if (updated) {
        await this.notEnded.changed(`campaign ${id} changed`);
        await this.audit(updated);
        return toCampaign(updated);
      }
    }
    throw new AppError('CONFLICT', `Campaign "${id}" is being changed by someone else; try again.`);
  }

  /** The audit trail of a campaign, newest first. */
  async auditTrail(campaignId: string, first: number): Promise<CampaignAuditDocument[]> {
    return this.models.Audit.find({ campaignId })
      .sort({ at: -1, _id: -1 })
      .limit(first)
      .lean<CampaignAuditDocument[]>();
  }
}
