import { grantedPurposesOf } from '../domain/consent/consent-purposes.js';
import type { Connection } from 'mongoose';
import type { PartnerRegistry } from '../../shared/config/partner-registry.js';
import type { BrandBehaviour } from '../../shared/domain/behaviour.js';
import { BEHAVIOUR_WINDOW_DAYS, summariseBehaviour } from '../../shared/domain/behaviour.js';
import type { NotificationChannel } from '../../shared/notifications/notification-channel.js';
import { brandModels } from '../../brand/data/brand-models.js';
import type { IntelligenceStore, MemberFeaturesDocument, StoredSegment } from '../data/intelligence-store.js';
import type { MemberDocument } from '../data/member-model.js';
import { memberModel } from '../data/member-model.js';
import { announceIntelligenceModel } from '../data/intelligence-model-source.js';
import type { MemberTrainingRow } from '../domain/fit-intelligence-model.js';
import { fitIntelligenceModel } from '../domain/fit-intelligence-model.js';
import { memberSegment } from '../domain/member-intelligence.js';
import type { IntelligenceModel, PartnerPurchaseDays } from '../domain/intelligence-model.js';
import type { AccountWindowRow } from './consented-behaviour-pipeline.js';
import { consentedBehaviourPipeline } from './consented-behaviour-pipeline.js';
import type { TierEvaluationSummary, TierEvaluationSettings } from './evaluate-member-tiers.js';
import { evaluateMemberTiers } from './evaluate-member-tiers.js';

export interface TrainIntelligenceOptions {
  registry: PartnerRegistry;
  profileDb: Connection;
  brandDbs: ReadonlyMap<string, Connection>;
  store: IntelligenceStore;
  /** Where running services hear of the new version (they also poll for it). */
  notifications?: NotificationChannel;
  now: Date;
  seed: number;
  /** Also evaluate and store every member's tier against the frozen population model (the schedule's run). */
  tiers?: TierEvaluationSettings;
  /** Members per aggregation: the `$in` list of one pipeline run. */
  batchSize?: number;
  onProgress?: (line: string) => void;
}

export interface TrainingSummary {
  model: IntelligenceModel;
  /** Whether the version was new (false: the same data, time and seed gave the version already current). */
  changed: boolean;
  members: number;
  consentedLinks: number;
  pipelineRuns: number;
  tiers: TierEvaluationSummary | null;
  timingsMs: { read: number; fit: number; write: number; total: number };
}

/**
 * `npm run train`: reads every member's consented links from the profile database, runs the behaviour
 * pipeline in each brand's database for the members who consent to share that brand, fits the models, writes
 * the new version with the members' features, switches the services to it and announces it.
 */
/** The segment as benefit rules read it: from the brands the member shared at training (none: no segment). */
function storedSegmentOf(model: IntelligenceModel, row: MemberTrainingRow, now: Date): StoredSegment | null {
  if (row.behaviours.length === 0) return null;
  const { id, label } = memberSegment(model, row.behaviours, now);
  return { id, label, partners: row.behaviours.map((b) => b.partner) };
}

export async function trainIntelligence(options: TrainIntelligenceOptions): Promise<TrainingSummary> {
  const progress = options.onProgress ?? (() => undefined);
  const batchSize = options.batchSize ?? 500;
  const started = Date.now();

  const consenting = new Map<string, string[]>(options.registry.partners.map((p) => [p.key, []]));
  const rows = new Map<string, MemberTrainingRow>();
  let consentedLinks = 0;
  const members = memberModel(options.profileDb)
    .find({}, { links: 1 })
    .sort({ _id: 1 })
    .lean<MemberDocument[]>()
    .cursor();
  for await (const member of members as AsyncIterable<MemberDocument>) {
    rows.set(member._id, { memberId: member._id, behaviours: [], purchaseDays: [] });
    for (const link of member.links) {
      if (!grantedPurposesOf(link).includes('CROSS_BRAND_PROFILE') || !consenting.has(link.partner)) continue;
      consenting.get(link.partner)!.push(member._id);
      consentedLinks += 1;
    }
  }
  progress(`${rows.size} members, ${consentedLinks} consented links`);

  let pipelineRuns = 0;
  for (const partner of options.registry.partners) {
    const ids = consenting.get(partner.key)!;
    const { Account } = brandModels(options.brandDbs.get(partner.key)!);
    let read = 0;
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      const accounts = await Account.aggregate<AccountWindowRow>(
        consentedBehaviourPipeline(batch, options.now, BEHAVIOUR_WINDOW_DAYS),
      );
      pipelineRuns += 1;
      for (const account of accounts) {
        const row = rows.get(account.memberId);
        if (!row) continue;
        const { behaviour, purchaseDays } = accountFeatures(partner.key, account, options.now);
        row.behaviours.push(behaviour);
        if (purchaseDays.days.length > 0) row.purchaseDays.push(purchaseDays);
        read += 1;
      }
      progress(
        `${partner.key}: ${Math.min(i + batch.length, ids.length)}/${ids.length} consenting members read (${read} accounts)`,
      );
    }
  }
  const readMs = Date.now() - started;

  const fitStarted = Date.now();
  const { model, churnScores } = fitIntelligenceModel([...rows.values()], {
    now: options.now,
    seed: options.seed,
    onStep: (step) => progress(`fitting ${step}`),
  });
  const fitMs = Date.now() - fitStarted;

  const writeStarted = Date.now();
  const previous = await options.store.currentVersion();
  const churnById = new Map(churnScores.map(({ memberId, ...churn }) => [memberId, churn]));
  const features: Omit<MemberFeaturesDocument, 'modelVersion'>[] = [...rows.values()].map((row) => ({
    _id: row.memberId,
    purchaseDays: row.purchaseDays,
    churn: churnById.get(row.memberId) ?? null,
    segment: storedSegmentOf(model, row, options.now),
  }));
  // Tiers first: publishing (and announcing) is what tells running services that cached answers are stale.
  const tiers = options.tiers
    ? await evaluateMemberTiers([...rows.values()], options.tiers, options.now, progress)
    : null;
  await options.store.publish(model, features, new Date(), (written) =>
    progress(`writing member features: ${written}/${features.length}`),
  );
  if (options.notifications) await announceIntelligenceModel(options.notifications, model.version);
  const writeMs = Date.now() - writeStarted;

  return {
    model,
    changed: previous !== model.version,
    members: rows.size,
    consentedLinks,
    pipelineRuns,
    tiers,
    timingsMs: { read: readMs, fit: fitMs, write: writeMs, total: Date.now() - started },
  };
}

/** One account's behaviour summary (the same function the brand subgraph serves it with) and purchase days. */
function accountFeatures(
  partner: string,
  account: AccountWindowRow,
  now: Date,
): { behaviour: BrandBehaviour; purchaseDays: PartnerPurchaseDays } {
  const days = Object.fromEntries(account.days.map((d) => [d.k, d.v]));
  const behaviour = summariseBehaviour(partner, days, now, {
    firstPurchaseAt: account.firstPurchaseAt ?? null,
  });
  const purchaseDays: PartnerPurchaseDays = {
    partner,
    days: account.days
      .filter((d) => (d.v.purchaseCount ?? 0) > 0)
      .map((d) => [d.k, d.v.spendMinor ?? 0] as [string, number])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return { behaviour, purchaseDays };
}
