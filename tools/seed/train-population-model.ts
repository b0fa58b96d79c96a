import type { Connection } from 'mongoose';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { BrandBehaviour } from '../../subgraphs/shared/domain/behaviour.js';
import { summariseBehaviour } from '../../subgraphs/shared/domain/behaviour.js';
import { scoringMetrics } from '../../subgraphs/shared/domain/composite-score.js';
import { partnersConsentedFor } from '../../subgraphs/profile/domain/consent/consent-purposes.js';
import { consentedBehaviours } from '../../subgraphs/shared/domain/cross-brand-profile.js';
import type { PopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import { buildPopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import type { AccountDocument } from '../../subgraphs/brand/data/brand-models.js';
import { brandModels } from '../../subgraphs/brand/data/brand-models.js';
import type { MemberDocument } from '../../subgraphs/profile/data/member-model.js';
import { memberModel } from '../../subgraphs/profile/data/member-model.js';

/**
 * Fits the population model from the stores: every programme member's scoring metrics over the brands they
 * consented to share, exactly as the profile subgraph computes them at query time.
 */
export async function trainPopulationModel(
  registry: PartnerRegistry,
  profileDb: Connection,
  brandDbs: ReadonlyMap<string, Connection>,
  now: Date,
): Promise<PopulationModel> {
  const behaviours = new Map<string, BrandBehaviour[]>();
  for (const partner of registry.partners) {
    const { Account } = brandModels(brandDbs.get(partner.key)!);
    const cursor = Account.find({ memberId: { $type: 'string' } })
      .lean<AccountDocument[]>()
      .cursor();
    for await (const account of cursor as AsyncIterable<AccountDocument>) {
      const list = behaviours.get(account.memberId!) ?? [];
      list.push(
        summariseBehaviour(partner.key, account.days ?? {}, now, {
          firstPurchaseAt: account.firstPurchaseAt ?? null,
        }),
      );
      behaviours.set(account.memberId!, list);
    }
  }
  const samples = { spend: [] as number[], activity: [] as number[], interaction: [] as number[] };
  const members = memberModel(profileDb).find({}).lean<MemberDocument[]>().cursor();
  for await (const member of members as AsyncIterable<MemberDocument>) {
    const consented = partnersConsentedFor(member.links, 'CROSS_BRAND_PROFILE');
    const metrics = scoringMetrics(consentedBehaviours(behaviours.get(member._id) ?? [], consented));
    samples.spend.push(metrics.spend);
    samples.activity.push(metrics.activity);
    samples.interaction.push(metrics.interaction);
  }
  if (samples.spend.length === 0)
    throw new Error('Cannot train the population model: there are no members; run `npm run seed`.');
  return buildPopulationModel(samples);
}
