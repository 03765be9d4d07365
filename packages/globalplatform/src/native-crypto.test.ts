import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, signMessage, verifyMessage } from './keys';
import { verifyMessageFast } from './native-crypto';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const N = p256.Point.CURVE().n;

function toHighS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Array.from(signature.slice(32), (b) => b.toString(16).padStart(2, '0')).join('')}`);
  const high = (N - s).toString(16).padStart(64, '0');
  const out = signature.slice();
  for (let i = 0; i < 32; i++) out[32 + i] = Number.parseInt(high.slice(i * 2, i * 2 + 2), 16);
  return out;
}

describe('native ECDSA fast path, cross-checked against noble', () => {
  it('agrees with noble on valid, tampered, high-S, wrong-key and malformed inputs', async () => {
    for (let round = 0; round < 40; round++) {
      const pair = generateKeyPair(random);
      const other = generateKeyPair(random);
      const message = random(1 + round * 7);
      const signature = signMessage(message, pair.privateKey);
      const tampered = message.slice();
      tampered[round % tampered.length]! ^= 1;
      const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
        [signature, message, pair.publicKey],
        [signature, tampered, pair.publicKey],
        [toHighS(signature), message, pair.publicKey],
        [signature, message, other.publicKey],
        [signature.slice(0, 63), message, pair.publicKey],
        [random(64), message, pair.publicKey],
      ];
      for (const [sig, msg, key] of cases) expect(await verifyMessageFast(sig, msg, key)).toBe(verifyMessage(sig, msg, key));
    }
  });

  it('accepts exactly the valid signatures', async () => {
    const pair = generateKeyPair(random);
    const message = random(100);
    expect(await verifyMessageFast(signMessage(message, pair.privateKey), message, pair.publicKey)).toBe(true);
    expect(await verifyMessageFast(signMessage(message, pair.privateKey), random(100), pair.publicKey)).toBe(false);
    expect(await verifyMessageFast(signMessage(message, pair.privateKey), message, random(33))).toBe(false);
  });
});
