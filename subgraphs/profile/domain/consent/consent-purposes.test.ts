import {
  LEGACY_NOTICE_VERSION,
  applyConsentAnswer,
  consentsOfLink,
  grantedPurposesOf,
  partnersConsentedFor,
} from './consent-purposes.js';

const at = new Date('2026-11-01T00:00:00Z');
const later = new Date('2026-11-20T00:00:00Z');

describe('consent purposes', () => {
  it('migrates a single-purpose consent to the two purposes it covered, never to marketing', () => {
    const link = { partner: 'inkwell', consent: { granted: true, purpose: 'old', updatedAt: at } };
    expect(consentsOfLink(link)).toEqual([
      { purpose: 'CROSS_BRAND_PROFILE', granted: true, noticeVersion: LEGACY_NOTICE_VERSION, updatedAt: at },
      {
        purpose: 'PERSONALISED_BENEFITS',
        granted: true,
        noticeVersion: LEGACY_NOTICE_VERSION,
        updatedAt: at,
      },
      { purpose: 'MARKETING', granted: false, noticeVersion: null, updatedAt: at },
    ]);
    expect(grantedPurposesOf({ partner: 'inkwell', consent: { granted: false, updatedAt: at } })).toEqual([]);
  });

  it('treats a purpose never answered as not granted', () => {
    const link = {
      partner: 'pulsefit',
      consents: [{ purpose: 'MARKETING' as const, granted: true, noticeVersion: 'v2', updatedAt: at }],
    };
    expect(grantedPurposesOf(link)).toEqual(['MARKETING']);
  });

  it('lists the partners consented for one purpose', () => {
    const links = [
      { partner: 'a', consent: { granted: true, updatedAt: at } },
      {
        partner: 'b',
        consents: [{ purpose: 'MARKETING' as const, granted: true, noticeVersion: 'v', updatedAt: at }],
      },
    ];
    expect(partnersConsentedFor(links, 'CROSS_BRAND_PROFILE')).toEqual(['a']);
    expect(partnersConsentedFor(links, 'MARKETING')).toEqual(['b']);
  });

  it('changes only the purposes answered, and records each change', () => {
    const link = { partner: 'inkwell', consent: { granted: true, updatedAt: at } };
    const { consents, changes } = applyConsentAnswer(link, {
      purposes: ['CROSS_BRAND_PROFILE'],
      granted: false,
      noticeVersion: null,
      at: later,
    });
    expect(consents.map((c) => [c.purpose, c.granted])).toEqual([
      ['CROSS_BRAND_PROFILE', false],
      ['PERSONALISED_BENEFITS', true],
      ['MARKETING', false],
    ]);
    // A withdrawal keeps the notice the consent was given under.
    expect(consents[0]).toEqual({
      purpose: 'CROSS_BRAND_PROFILE',
      granted: false,
      noticeVersion: LEGACY_NOTICE_VERSION,
      updatedAt: later,
    });
    expect(changes).toEqual([
      {
        partner: 'inkwell',
        purpose: 'CROSS_BRAND_PROFILE',
        granted: false,
        noticeVersion: LEGACY_NOTICE_VERSION,
        at: later,
      },
    ]);
  });

  it('is idempotent: the same answer again changes nothing, a new notice version is a new grant', () => {
    const link = {
      partner: 'inkwell',
      consents: [{ purpose: 'MARKETING' as const, granted: true, noticeVersion: 'v1', updatedAt: at }],
    };
    const again = applyConsentAnswer(link, {
      purposes: ['MARKETING'],
      granted: true,
      noticeVersion: 'v1',
      at: later,
    });
    expect(again.changes).toEqual([]);
    expect(again.consents[2].updatedAt).toBe(at);
    const renewed = applyConsentAnswer(link, {
      purposes: ['MARKETING'],
      granted: true,
      noticeVersion: 'v2',
      at: later,
    });
    expect(renewed.changes).toHaveLength(1);
    expect(renewed.consents[2]).toMatchObject({ granted: true, noticeVersion: 'v2', updatedAt: later });
  });
});
