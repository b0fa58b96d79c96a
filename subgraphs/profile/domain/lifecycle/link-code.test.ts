import { generateLinkCode, isLinkCodeCurrent, linkCodeId, normaliseLinkCode } from './link-code.js';

describe('link codes', () => {
  it('generates readable 8-character codes that normalise to themselves', () => {
    for (let i = 0; i < 50; i++) {
      const code = generateLinkCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
      expect(normaliseLinkCode(code)).toBe(code);
    }
  });

  it('accepts codes typed in lower case with spaces or dashes, and refuses anything else', () => {
    expect(normaliseLinkCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normaliseLinkCode(' k7m2 p9qr ')).toBe('K7M2P9QR');
    expect(normaliseLinkCode('ABCDEFG')).toBeNull();
    expect(normaliseLinkCode('ABCDEFG0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseLinkCode('ABCDEFGHJ')).toBeNull();
  });

  it('binds a code to its partner', () => {
    expect(linkCodeId('inkwell', 'ABCDEFGH')).not.toBe(linkCodeId('pulsefit', 'ABCDEFGH'));
    expect(linkCodeId('inkwell', 'ABCDEFGH')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is current until its expiry instant, not at it', () => {
    const expiresAt = new Date('2026-12-01T10:00:00Z');
    expect(isLinkCodeCurrent(expiresAt, new Date('2026-12-01T09:59:59Z'))).toBe(true);
    expect(isLinkCodeCurrent(expiresAt, expiresAt)).toBe(false);
  });
});
