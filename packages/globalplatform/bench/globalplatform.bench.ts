/**
 * Benchmark of the GlobalPlatform library: SCP11b channel establishments per second (noble, both
 * ends: two key generations and four ECDH), SCP03 level-33 APDU round trips per second (host wrap,
 * card unwrap, card wrap, host unwrap), and the underlying primitives with node:crypto (OpenSSL) as
 * the native reference in the same run, with the native ÷ noble ratio.
 *
 *   npx tsx packages/globalplatform/bench/globalplatform.bench.ts [--json]
 *
 * Each measurement runs for BENCH_SECONDS (default 2) seconds; the whole run stays under ~30 s.
 */
import { createCipheriv, createECDH, randomBytes } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { aesCmac } from '../src/aes-cmac';
import { generateKeyPair } from '../src/keys';
import { scp11CardAuthenticate, scp11HostFinish, scp11HostStart } from '../src/scp11';
import { scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse } from '../src/secure-messaging';
import type { Scp03Session } from '../src/scp03-session';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const json = process.argv.includes('--json');
const random = (n: number) => new Uint8Array(randomBytes(n));

function measure(run: () => void): number {
  for (let i = 0; i < 20; i++) run(); // warm up
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < SECONDS * 1000) {
    run();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

// SCP11b establishment, both ends, noble only.
const sd = generateKeyPair(random);
const keys = { keyVersion: 1, sdPrivateKey: sd.privateKey, sdCertificates: [], oceTrustAnchors: [] };
let last: { host: Scp03Session; card: Scp03Session } | undefined;
const scp11b = measure(() => {
  const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: sd.publicKey, random });
  const [authenticate] = start.output;
  if (!authenticate) throw new Error('SCP11b produced no command');
  const card = scp11CardAuthenticate(null, authenticate, { keys, random });
  last = { host: scp11HostFinish(start.state, card.output).state, card: card.state };
});

// SCP03 level 33 round trips on the session just opened: 64-byte command data, 64-byte response data.
if (!last) throw new Error('no SCP11b session was opened');
let { host, card } = last;
const command = { cla: 0x80, ins: 0xe2, p1: 0x80, p2: 0x00, data: random(64), ne: 256 };
const answer = { data: random(64), sw: 0x9000 };
const apdus = measure(() => {
  const w = scp03WrapCommand(host, command);
  const u = scp03UnwrapCommand(card, w.output);
  const r = scp03WrapResponse(u.state, answer);
  const o = scp03UnwrapResponse(w.state, r.output);
  host = o.state;
  card = r.state;
});

// Primitives: P-256 ECDH and AES-CMAC (64-byte message), noble vs node:crypto.
const peer = p256.getPublicKey(p256.utils.randomSecretKey(), false);
const mine = p256.utils.randomSecretKey();
const ecdhNoble = measure(() => p256.getSharedSecret(mine, peer));
const nodeEcdh = createECDH('prime256v1');
nodeEcdh.setPrivateKey(Buffer.from(mine));
const peerBuffer = Buffer.from(peer);
const ecdhNative = measure(() => nodeEcdh.computeSecret(peerBuffer));

const cmacKey = random(16);
const message = random(64);
const cmacNoble = measure(() => aesCmac(cmacKey, message));
// CMAC built from node:crypto AES-CBC (RFC 4493 §2.4): subkeys precomputed once, as a real implementation would.
const k1 = (() => {
  const c = createCipheriv('aes-128-ecb', cmacKey, null);
  c.setAutoPadding(false);
  const l = c.update(Buffer.alloc(16));
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = ((l.readUInt8(i) << 1) | (i < 15 ? l.readUInt8(i + 1) >> 7 : 0)) & 0xff;
  if (l.readUInt8(0) & 0x80) out.writeUInt8(out.readUInt8(15) ^ 0x87, 15);
  return out;
})();
const messageBuffer = Buffer.from(message);
const cmacNative = measure(() => {
  const last = Buffer.from(messageBuffer.subarray(48));
  for (let i = 0; i < 16; i++) last.writeUInt8(last.readUInt8(i) ^ k1.readUInt8(i), i);
  const cipher = createCipheriv('aes-128-cbc', cmacKey, Buffer.alloc(16));
  cipher.setAutoPadding(false);
  cipher.update(messageBuffer.subarray(0, 48));
  return cipher.update(last);
});

const rows = [
  { operation: 'SCP11b establishment (host + card)', noble: scp11b, native: undefined },
  { operation: 'SCP03 level 33 APDU round trip', noble: apdus, native: undefined },
  { operation: 'P-256 ECDH', noble: ecdhNoble, native: ecdhNative },
  { operation: 'AES-128-CMAC, 64 B', noble: cmacNoble, native: cmacNative },
];

if (json) {
  for (const row of rows) {
    console.log(JSON.stringify({ operation: row.operation, nobleOpsPerSecond: Math.round(row.noble), nativeOpsPerSecond: row.native === undefined ? null : Math.round(row.native), nativeOverNoble: row.native === undefined ? null : Number((row.native / row.noble).toFixed(2)) }));
  }
} else {
  const fmt = (n: number | undefined) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-GB'));
  console.log(`@hydra/globalplatform benchmark (Node ${process.version}, ${SECONDS} s per measurement)`);
  console.log('operation                              noble /s    node:crypto /s   native ÷ noble');
  for (const row of rows) {
    const ratio = row.native === undefined ? '—' : `${(row.native / row.noble).toFixed(1)}×`;
    console.log(`${row.operation.padEnd(38)} ${fmt(row.noble).padStart(9)}   ${fmt(row.native).padStart(14)}   ${ratio.padStart(14)}`);
  }
  console.log('SCP11b establishment = 2 P-256 key generations + 4 ECDH + X9.63 + receipt; the native column is per primitive.');
}
