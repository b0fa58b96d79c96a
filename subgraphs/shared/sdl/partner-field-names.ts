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
}

export type PartnerFieldRole = keyof PartnerFieldNames;

export function partnerFieldNames(partnerKey: string): PartnerFieldNames {
  return { membership: partnerKey, behaviour: `${partnerKey}Behaviour`, analytics: partnerKey };
}

export const isPartnerFieldRole = (name: string): name is PartnerFieldRole =>
  name === 'membership' || name === 'behaviour' || name === 'analytics';
