// A meter host's keys for specs that stand in for a meter (node:crypto, P-256): the device key that
// signs envelopes and proofs of consent, and security-domain keys, in the forms the relay takes —
// SEC 1 compressed public keys in hex, ECDSA signatures as r‖s (low-S) in hex.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A P-256 key pair with its compressed public key. */
export interface SpecKey {
  privateKey: KeyObject;
  publicKeyHex: string;
}

/** A fresh P-256 key pair. */
export function specKey(): SpecKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return { privateKey, publicKeyHex: `${(y[31] ?? 0) & 1 ? '03' : '02'}${x.toString('hex')}` };
}

/** ECDSA P-256 / SHA-256 over `bytes`, r‖s with s in the lower half (as noble signs). */
export function signLowS(key: SpecKey, bytes: Uint8Array): string {
  const signature = sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  const r = signature.subarray(0, 32);
  let s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  if (s > N / 2n) s = N - s;
  return `${r.toString('hex')}${s.toString(16).padStart(64, '0')}`;
}

/** The proof of consent a meter gives its householder (packages/dcc consent-proof.ts: one encoding). */
export function consentProof(device: SpecKey, statement: { worldId: string; meterId: string; sequence: number; admitted: boolean }): { statement: string; signature: string } {
  const text = JSON.stringify({ kind: 'hydra-consent/v1', worldId: statement.worldId, meterId: statement.meterId, partyId: 'telecare', appletId: 'telecare', sequence: statement.sequence, admitted: statement.admitted });
  return { statement: text, signature: signLowS(device, Buffer.from(text, 'utf8')) };
}
