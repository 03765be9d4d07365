/**
 * Independent reference implementations over node:crypto (OpenSSL), used to cross-check the noble
 * based library where no published vector exists and as the native side of the benchmark.
 */
import { createCipheriv, createECDH, createHash } from 'node:crypto';

/** RFC 4493 §2.3 subkeys and §2.4 MAC, with node:crypto's AES as the block cipher. */
export function nodeCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const algorithm = `aes-${key.length * 8}-cbc`;
  const encrypt = (block: Uint8Array) => {
    const cipher = createCipheriv(algorithm, key, Buffer.alloc(16));
    cipher.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
  };
  const double = (block: Uint8Array) => {
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = ((block[i]! << 1) | (i < 15 ? block[i + 1]! >> 7 : 0)) & 0xff;
    if (block[0]! & 0x80) out[15]! ^= 0x87;
    return out;
  };
  const k1 = double(encrypt(new Uint8Array(16)));
  const k2 = double(k1);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const last = new Uint8Array(16);
  last.set(message.subarray((n - 1) * 16));
  if (!complete) last[message.length - (n - 1) * 16] = 0x80;
  for (let i = 0; i < 16; i++) last[i]! ^= (complete ? k1 : k2)[i]!;
  const cipher = createCipheriv(algorithm, key, Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const body = Buffer.concat([Buffer.from(message.subarray(0, (n - 1) * 16)), Buffer.from(last)]);
  const out = Buffer.concat([cipher.update(body), cipher.final()]);
  return new Uint8Array(out.subarray(out.length - 16));
}

/** ANSI X9.63 KDF with SHA-256 (SEC 1 v2 §3.6.1) over node:crypto. */
export function nodeX963(z: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const parts: Buffer[] = [];
  for (let counter = 1; parts.length * 32 < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    parts.push(createHash('sha256').update(z).update(c).update(info).digest());
  }
  return new Uint8Array(Buffer.concat(parts).subarray(0, length));
}

/** P-256 ECDH over node:crypto: the x-coordinate shared secret. */
export function nodeEcdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateKey));
  return new Uint8Array(ecdh.computeSecret(Buffer.from(publicKey)));
}
