/**
 * Purposes a member consents to, separately for each partner (PIPL art. 23: sharing a partner's data with
 * others needs its own consent; GDPR recital 32: consent per purpose). Each purpose is one use of the
 * partner's data outside the partner's own system.
 */
export const CONSENT_PURPOSES = ['CROSS_BRAND_PROFILE', 'PERSONALISED_BENEFITS', 'MARKETING'] as const;

export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const isConsentPurpose = (value: unknown): value is ConsentPurpose =>
  typeof value === 'string' && (CONSENT_PURPOSES as readonly string[]).includes(value);

/** The member's current answer for one partner and purpose, with the notice they read when they gave it. */
export interface PurposeConsent {
  purpose: ConsentPurpose;
  granted: boolean;
  /** Version of the privacy notice shown when the member answered; null only for migrated records. */
  noticeVersion: string | null;
  updatedAt: Date;
}

/** The single-purpose consent links carried before purposes existed (`links[].consent`). */
export interface LegacyConsent {
  granted: boolean;
  purpose?: string;
  updatedAt: Date;
}

/** The notice version migrated records carry: the member agreed to the one combined notice of that time. */
export const LEGACY_NOTICE_VERSION = 'legacy-single-purpose';

/**
 * The old consent covered "cross-brand profile and benefit matching": it becomes those two purposes with its
 * answer and time. Marketing was never asked, so it is not granted.
 */
export function purposesFromLegacy(legacy: LegacyConsent): PurposeConsent[] {
  return CONSENT_PURPOSES.map((purpose) => ({
    purpose,
    granted: purpose === 'MARKETING' ? false : legacy.granted,
    noticeVersion: purpose === 'MARKETING' ? null : LEGACY_NOTICE_VERSION,
    updatedAt: legacy.updatedAt,
  }));
}

/** A partner link as stored, in either shape (migrated or not yet). */
export interface LinkConsents {
  partner: string;
  consents?: readonly PurposeConsent[] | null;
  consent?: LegacyConsent | null;
}

/** Every purpose's current answer for a link; a purpose never answered is not granted. */
export function consentsOfLink(link: LinkConsents): PurposeConsent[] {
  const stored = link.consents ?? (link.consent ? purposesFromLegacy(link.consent) : []);
  return CONSENT_PURPOSES.map(
    (purpose) =>
      stored.find((c) => c.purpose === purpose) ?? {
        purpose,
        granted: false,
        noticeVersion: null,
        updatedAt: new Date(0),
      },
  );
}

export const grantedPurposesOf = (link: LinkConsents): ConsentPurpose[] =>
  consentsOfLink(link)
    .filter((c) => c.granted)
    .map((c) => c.purpose);

/** Partners whose link holds consent for `purpose`. */
export const partnersConsentedFor = (links: readonly LinkConsents[], purpose: ConsentPurpose): string[] =>
  links.filter((l) => grantedPurposesOf(l).includes(purpose)).map((l) => l.partner);

/** One answer the member gave, kept in the consent history (what, for whom, which notice, when). */
export interface ConsentChange {
  partner: string;
  purpose: ConsentPurpose;
  granted: boolean;
  noticeVersion: string | null;
  at: Date;
}

/**
 * The link's consents after the member's answer for `purposes`: the others are kept. Answering what already
 * stands changes nothing (idempotent: the time and notice of the first answer stay), so `changes` lists only
 * the purposes whose answer changed.
 */
export function applyConsentAnswer(
  link: LinkConsents,
  answer: { purposes: readonly ConsentPurpose[]; granted: boolean; noticeVersion: string | null; at: Date },
): { consents: PurposeConsent[]; changes: ConsentChange[] } {
  const changes: ConsentChange[] = [];
  const consents = consentsOfLink(link).map((current) => {
    if (!answer.purposes.includes(current.purpose)) return current;
    const sameNotice = !answer.granted || current.noticeVersion === answer.noticeVersion;
    if (current.granted === answer.granted && sameNotice) return current;
    const next: PurposeConsent = {
      purpose: current.purpose,
      granted: answer.granted,
      // A withdrawal keeps the notice the consent was given under, so the record says what was withdrawn.
      noticeVersion: answer.granted ? answer.noticeVersion : current.noticeVersion,
      updatedAt: answer.at,
    };
    changes.push({
      partner: link.partner,
      purpose: current.purpose,
      granted: next.granted,
      noticeVersion: next.noticeVersion,
      at: answer.at,
    });
    return next;
  });
  return { consents, changes };
}
