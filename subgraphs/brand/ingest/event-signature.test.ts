import { SIGNATURE_HEADER, signEventBody, verifyEventSignature } from './event-signature.js';

const SECRET = 'partner-secret-pulsefit';
const BODY = Buffer.from('[{"eventId":"pf-1","type":"interaction"}]');

describe('signEventBody', () => {
  it('is sha256=<hex HMAC-SHA256> (RFC 4231 test case 2)', () => {
    expect(signEventBody('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs a Buffer and the same text alike', () => {
    expect(signEventBody(BODY, SECRET)).toBe(signEventBody(BODY.toString('utf8'), SECRET));
  });

  it('is sent in the x-signature header', () => {
    expect(SIGNATURE_HEADER).toBe('x-signature');
  });
});

describe('verifyEventSignature', () => {
  const signature = signEventBody(BODY, SECRET);

  it('accepts the signature of the exact raw body, in either hex case', () => {
    expect(verifyEventSignature(BODY, signature, SECRET)).toBe(true);
    expect(verifyEventSignature(BODY, `sha256=${signature.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyEventSignature(BODY, signEventBody(BODY, 'partner-secret-inkwell'), SECRET)).toBe(false);
  });

  it('refuses a body changed after signing, even by one byte or by whitespace', () => {
    expect(
      verifyEventSignature(Buffer.from(BODY.toString().replace('pf-1', 'pf-2')), signature, SECRET),
    ).toBe(false);
    expect(verifyEventSignature(Buffer.concat([BODY, Buffer.from('\n')]), signature, SECRET)).toBe(false);
  });

  it('refuses a missing, empty or malformed header', () => {
    const hex = signature.slice('sha256='.length);
    for (const header of [
      undefined,
      '',
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(2)}`,
      `sha256=${hex}00`,
      'sha256=',
    ]) {
      expect(verifyEventSignature(BODY, header, SECRET)).toBe(false);
    }
    expect(verifyEventSignature(BODY, `sha256=${'z'.repeat(64)}`, SECRET)).toBe(false);
  });
});
