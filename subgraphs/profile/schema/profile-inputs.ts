import type { BrandBehaviour } from '../../shared/domain/behaviour.js';

/**
 * What `Member.profile` resolved the cross-brand profile from, handed to the fields of `CrossBrandProfile`
 * that other features add (member intelligence): the member, the brands they consent to share and those
 * brands' behaviour. A symbol key, so it is never serialised into the cache or an answer.
 */
export const PROFILE_INPUTS = Symbol('profileInputs');

export interface ProfileInputs {
  memberId: string;
  consentedPartners: string[];
  /** Behaviour of the consented brands that answered. */
  behaviours: BrandBehaviour[];
}

export type WithProfileInputs = { [PROFILE_INPUTS]: ProfileInputs };

export function profileInputsOf(profile: unknown): ProfileInputs {
  const inputs = (profile as Partial<WithProfileInputs>)[PROFILE_INPUTS];
  if (!inputs) throw new Error('CrossBrandProfile resolved without its inputs');
  return inputs;
}
