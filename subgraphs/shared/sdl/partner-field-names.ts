/**
 * The fields one partner's brand subgraph contributes to `Member`, named by the partner key (docs/architecture.md §4).
 * The one place that spells the rule: the generated SDL, the brand resolvers and permissions, and the
 * readers of `@requires` inputs all ask here.
 */
export interface PartnerFieldNames {
  /** Public: the member's account at the brand, e.g. `Member.mindspark`. */
  membership: string;
  /** `@inaccessible`: the behaviour summary the cross-brand models require, e.g. `Member.mindsparkBehaviour`. */
  behaviour: string;
  /** Operators only: the partner's purchase figures in `ProgrammeAnalytics`, e.g. `ProgrammeAnalytics.mindspark`. */
  analytics: string;
  /**
   * `@inaccessible`, part of the brand's key: the purposes the member consented to for this partner, e.g.
   * `Member.mindsparkConsent`, resolved by the profile subgraph and sent with every fetch of the brand's
   * fields, so the brand serves behaviour only for a purpose consented to (docs/architecture.md §7).
   */
  consent: string;
  /**
   * `@inaccessible`, part of the brand's key: the member's linked account at this partner (null when none),
   * e.g. `Member.mindsparkAccount`, resolved by the profile subgraph from the member's links: the brand
   * serves the account the programme links, so linking and unlinking take effect there at once.
   */
  account: string;
  /**
   * `@inaccessible`: everything the brand holds about the member (account, orders, events) as JSON, e.g.
   * `Member.mindsparkExport`, the input of the profile's `Member.dataExport` (docs/architecture.md §7).
   */
  export: string;
}

export type PartnerFieldRole = keyof PartnerFieldNames;

export function partnerFieldNames(partnerKey: string): PartnerFieldNames {
  return {
    membership: partnerKey,
    behaviour: `${partnerKey}Behaviour`,
    analytics: partnerKey,
    consent: `${partnerKey}Consent`,
    account: `${partnerKey}Account`,
    export: `${partnerKey}Export`,
  };
}

export const isPartnerFieldRole = (name: string): name is PartnerFieldRole =>
  ['membership', 'behaviour', 'analytics', 'consent', 'account', 'export'].includes(name);
