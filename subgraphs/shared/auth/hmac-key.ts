import { webcrypto } from 'node:crypto';

/**
 * An HS256 key for jose, imported once per secret. jose imports the raw bytes of a Uint8Array or a secret
 * `KeyObject` into WebCrypto on every signature and verification (more work than the HMAC itself); a
 * `CryptoKey` it uses as it is.
 */
const imported = new Map<string, Promise<webcrypto.CryptoKey>>();

export function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      Buffer.from(secret, 'utf8'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    imported.set(secret, key);
  }
  return key;
}
