import { canonicalJson, contentFingerprint, idempotencyVerdict } from './idempotency-fingerprint.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, writes dates as ISO and drops undefined', () => {
    expect(
      canonicalJson({
        b: 1,
        a: { d: [2, { z: true, y: null }], c: new Date('2025-07-01T00:00:00Z') },
        u: undefined,
      }),
    ).toBe('{"a":{"c":"2025-07-01T00:00:00.000Z","d":[2,{"y":null,"z":true}]},"b":1}');
  });

  it('refuses what JSON cannot carry exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN');
    expect(() => canonicalJson({ at: new Date('x') })).toThrow('invalid date');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function');
  });
});

describe('contentFingerprint', () => {
  it('is the same for the same content in any key order', () => {
    expect(contentFingerprint({ benefit: 'MS-TRIAL-PRO', quantity: 1 })).toBe(
      contentFingerprint({ quantity: 1, benefit: 'MS-TRIAL-PRO' }),
    );
  });

  it('differs when any value differs', () => {
    expect(contentFingerprint({ benefit: 'MS-TRIAL-PRO', quantity: 1 })).not.toBe(
      contentFingerprint({ benefit: 'MS-TRIAL-PRO', quantity: 2 }),
    );
    expect(contentFingerprint({ q: '1' })).not.toBe(contentFingerprint({ q: 1 }));
  });

  it('is a 64-character hex SHA-256', () => {
    expect(contentFingerprint({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('idempotencyVerdict', () => {
  const first = contentFingerprint({ benefit: 'MS-TRIAL-PRO', quantity: 1 });

  it('is NEW for an unseen key, REPLAY for the same content and CONFLICT for different content', () => {
    expect(idempotencyVerdict(null, first)).toBe('NEW');
    expect(idempotencyVerdict({ fingerprint: first }, first)).toBe('REPLAY');
    expect(
      idempotencyVerdict(
        { fingerprint: first },
        contentFingerprint({ benefit: 'MS-TRIAL-PRO', quantity: 2 }),
      ),
    ).toBe('CONFLICT');
  });
});
