import { createHash } from 'node:crypto';
import type { BrandBehaviour } from '../domain/behaviour.js';
import type { CrossBrandProfile } from '../domain/cross-brand-profile.js';
import {
  consentedBehaviours,
  crossBrandProfileFromInputs,
  unavailablePartners,
} from '../domain/cross-brand-profile.js';
import type { PopulationModel } from '../domain/population-model.js';
import type { TierCode } from '../domain/tiers.js';

/** The inputs of one cross-brand profile, as both subgraphs receive them (see `crossBrandProfileFromInputs`). */
export interface CrossBrandProfileInputs {
  /** The required behaviour summaries, in registry order (null: the brand did not answer). */
  behaviours: readonly (BrandBehaviour | null | undefined)[];
  partners: readonly string[];
  consentedPartners: readonly string[];
  storedTier: TierCode | null;
}

export interface FingerprintedProfile {
  profile: CrossBrandProfile;
  /** A hash of everything the profile was computed from: the same fingerprint, the same profile. */
  fingerprint: string;
}

/** Profiles kept per population model (about 2 KB each). */
const DEFAULT_MAX_ENTRIES = 20_000;

/**
 * Cross-brand profiles computed in this process, keyed by the fingerprint of their inputs: the consented
 * behaviour summaries, the brands that did not answer, the stored tier and the population model's version.
 * The profile and the benefits subgraphs ask for the same member's profile in the same client request; the
 * first computes it and the second is handed the same object. An entry can never be stale, since different
 * inputs make a different key; the least recently used entries go first. A profile missing a brand that
 * did not answer is not kept. The profiles handed out are shared: callers must not change them.
 */
export class CrossBrandProfiles {
  private readonly entries = new Map<string, CrossBrandProfile>();
  /** How many profiles were computed and how many were handed out again (for tests and the bench). */
  readonly counts = { computed: 0, shared: 0 };

  constructor(
    private readonly model: PopulationModel,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  fingerprint(inputs: CrossBrandProfileInputs): string {
    const unavailable = unavailablePartners(inputs.behaviours, inputs.partners, inputs.consentedPartners);
    const consented = consentedBehaviours(inputs.behaviours, inputs.consentedPartners);
    return createHash('sha256')
      .update(JSON.stringify([this.model.version, inputs.storedTier, unavailable, consented]))
      .digest('base64url');
  }

  /** The kept profile of `fingerprint`, if any (and it becomes the most recently used). */
  get(fingerprint: string): CrossBrandProfile | undefined {
    const profile = this.entries.get(fingerprint);
    if (profile === undefined) return undefined;
    this.entries.delete(fingerprint);
    this.entries.set(fingerprint, profile);
    this.counts.shared += 1;
    return profile;
  }

  /** Keeps a profile computed elsewhere (read from a cache) for its fingerprint. */
  remember(fingerprint: string, profile: CrossBrandProfile): void {
    if (profile.unavailablePartners.length > 0) return;
    this.entries.delete(fingerprint);
    this.entries.set(fingerprint, profile);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The profile of these inputs (whose fingerprint the caller may have taken): the kept one, or computed now. */
  profileOf(inputs: CrossBrandProfileInputs, fingerprint = this.fingerprint(inputs)): FingerprintedProfile {
    const known = this.get(fingerprint);
    if (known) return { profile: known, fingerprint };
    const profile = crossBrandProfileFromInputs(
      inputs.behaviours,
      inputs.partners,
      inputs.consentedPartners,
      this.model,
      inputs.storedTier,
    );
    this.counts.computed += 1;
    this.remember(fingerprint, profile);
    return { profile, fingerprint };
  }
}

const byModel = new WeakMap<PopulationModel, CrossBrandProfiles>();

/**
 * The profiles of one population model in this process: the subgraphs given the same model (both under
 * `npm start` and in tests) share them; subgraphs in processes of their own each compute once.
 */
export function crossBrandProfilesOf(model: PopulationModel): CrossBrandProfiles {
  let profiles = byModel.get(model);
  if (!profiles) byModel.set(model, (profiles = new CrossBrandProfiles(model)));
  return profiles;
}
