import type { RequestIdentity } from '../shared/auth/subgraph-context.js';
import type { ProgrammeCalendar } from '../shared/domain/programme-calendar.js';
import type { BenefitLoaders } from './data/benefit-loaders.js';
import type { BenefitFeedbackStore } from './data/benefit-feedback-store.js';
import type { BenefitModel } from './data/catalogue-model.js';
import type { CampaignServices } from './data/campaigns/campaign-services.js';
import type { LedgerAnalytics } from './data/ledger-analytics.js';
import type { MembershipServices } from './data/membership/membership-services.js';
import type { PointsLedger } from './data/points-ledger.js';
import type { MemberTiers } from './data/member-tiers.js';
import type { MemberLinks } from './data/member-links.js';
import type { PartnerRegistry } from '../shared/config/partner-registry.js';
import type { PointsWallet } from './data/points-wallet.js';
import type { Redemptions } from './data/redemptions.js';
import type { SettlementStore } from './data/settlement-store.js';
import type { EarningRules } from './domain/earning-rules.js';

/** What the benefits subgraph's resolvers see: the verified identity, this request's loaders, the stores. */
export interface BenefitsContext extends RequestIdentity {
  loaders: BenefitLoaders;
  benefits: BenefitModel;
  ledger: PointsLedger;
  campaigns: CampaignServices;
  memberships: MembershipServices;
  feedback: BenefitFeedbackStore;
  analytics: LedgerAnalytics;
  wallet: PointsWallet;
  redemptions: Redemptions;
  settlement: SettlementStore;
  tiers: MemberTiers;
  memberLinks: MemberLinks;
  registry: PartnerRegistry;
  earningRules: EarningRules;
  calendar: ProgrammeCalendar;
  now: () => Date;
}
