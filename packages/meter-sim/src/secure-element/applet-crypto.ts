/**
 * The `crypto` capability the card manager hands an applet that declares it (DESIGN.md Decision
 * 10): ECDSA P-256 verification, the X9.63 KDF, P-256 key generation from the card's secure random
 * source and ECDH — all through @hydra/globalplatform, hex in and hex out so keys can live in the
 * applet's JSON storage. The applet never sees the random source itself.
 */
import { bytesToHex, ecdhSharedSecret, generateKeyPair, hexToBytes, utf8ToBytes, verifyMessage, wipe, x963Kdf, type RandomSource } from '@hydra/globalplatform';
import type { AppletCrypto } from './applet';

/**
 * Creates the crypto capability over a random source.
 * @param random - the card's secure random source (never a seeded PRNG).
 * @returns plain functions; the runtime hardens them before an applet sees them.
 */
export function createAppletCrypto(random: RandomSource): AppletCrypto {
  return {
    verify(signatureHex, message, publicKeyHex) {
      try {
        return verifyMessage(hexToBytes(signatureHex), utf8ToBytes(message), hexToBytes(publicKeyHex));
      } catch {
        // Fails closed: one answer for any malformed signature, message or key.
        return false;
      }
    },
    kdf(secretHex, info, lengthBytes) {
      return bytesToHex(x963Kdf(hexToBytes(secretHex), utf8ToBytes(info), lengthBytes));
    },
    generateKeyPair() {
      const pair = generateKeyPair(random);
      const result = { privateKey: bytesToHex(pair.privateKey), publicKey: bytesToHex(pair.publicKey) };
      wipe(pair.privateKey);
      return result;
    },
    ecdh(privateKeyHex, publicKeyHex) {
      if (typeof privateKeyHex !== 'string' || typeof publicKeyHex !== 'string') throw new TypeError('ecdh: expected hex strings');
      const privateKey = hexToBytes(privateKeyHex);
      try {
        return bytesToHex(ecdhSharedSecret(privateKey, hexToBytes(publicKeyHex)));
      } finally {
        wipe(privateKey);
      }
    },
  };
}
