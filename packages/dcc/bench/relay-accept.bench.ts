/**
 * The relay's accept path in-process — no HTTP, no Next.js — on a real migrated database, step by
 * step: what each piece of `Relay.acceptUplink` costs alone (decode, signature, each database
 * round trip), then the whole path one envelope at a time and, where the relay has it, a batch
 * per call. Delivery is deferred (the accept path alone).
 *
 *   npx tsx packages/dcc/bench/relay-accept.bench.ts [envelopes] [meters] [batch]
 *   HYDRA_TEST_DATABASE=postgresql HYDRA_PG_URL=… (same) — on PostgreSQL
 *
 * Prints a table of per-step means (µs) and one JSON line with the totals.
 */
import { createTestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage, verifyMessageFast } from '@hydra/globalplatform';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';
import { decodeEnvelope, encodeEnvelope } from '../src/envelope';
import { createManufacturerCa } from '../src/manufacturer-ca';
import { createDatabaseQueue } from '../src/queue';
import { Relay } from '../src/relay';

const total = Number(process.argv[2] ?? 2000);
const meters = Number(process.argv[3] ?? 200);
const batchSize = Number(process.argv[4] ?? 50);
const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'bench';
const meterIdOf = (i: number) => `${worldId}-m${String(i + 1).padStart(4, '0')}`;

const database = await createTestDatabase();
const db = database.db.client;
const start = new Date('2025-01-01T00:00:00Z');
await db.world.create({ data: { id: worldId, name: 'Bench', seed: 'bench', homeCount: meters, startDate: '2025-01-01', clock: start, hostProgress: start } });
await db.home.createMany({ data: Array.from({ length: meters }, (_, i) => ({ id: `${worldId}-h${i}`, worldId, index: i, meterId: meterIdOf(i), archetype: 'family', feederId: `f${i % 10}` })) });

const relay = new Relay({
  db,
  transport: { deliver: async () => 'accepted', announceMeter: async () => undefined, withdrawMeter: async () => undefined },
  random,
  now: () => new Date(),
  delivery: 'deferred',
  limits: { meter: { perSecond: 1e9, burst: 1e9 } },
  manufacturer: createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random }),
});
await relay.registerParty({ id: 'supplier', name: 'Supplier', role: 'supplier', publicKey: generateKeyPair(random).publicKey });
const devices = Array.from({ length: meters }, () => generateKeyPair(random));
const domain = bytesToHex(generateKeyPair(random).publicKey);
for (const [i, device] of devices.entries()) {
  await relay.registerMeter({ worldId, meterId: meterIdOf(i), devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: domain }] });
}
const sign = (n: number) => {
  const i = n % meters;
  const device = devices[i];
  if (!device) throw new RangeError(`meter ${i}: no device key`);
  return encodeEnvelope(
    { messageId: bytesToHex(random(16)), worldId, meterId: meterIdOf(i), partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink' },
    random(760),
    (bytes) => signMessage(bytes, device.privateKey),
  );
};
// Signed before timing (noble signs ~1,800/s; meters sign in their own hosts).
const batchRounds = Math.max(1, Math.floor(total / batchSize));
const envelopes = Array.from({ length: 100 + 1 + (total + 50) + (batchRounds + 2) * batchSize }, (_, n) => sign(n));
let cursor = 0;
const take = () => {
  const envelope = envelopes[cursor++];
  if (!envelope) throw new RangeError('bench: out of envelopes');
  return envelope;
};

/** Mean µs per call of `step` over `n` sequential calls (after `warm` calls to warm up). */
async function measure(n: number, step: (i: number) => Promise<unknown> | unknown, warm = 50): Promise<number> {
  for (let i = 0; i < warm; i++) await step(i);
  const began = performance.now();
  for (let i = 0; i < n; i++) await step(i);
  return ((performance.now() - began) * 1000) / n;
}

// Rows to make the table realistic before the per-step queries run.
for (let i = 0; i < 100; i++) await relay.acceptUplink(take());
const sample = take();
const decoded = decodeEnvelope(sample);
const device = devices[0];
if (!device) throw new RangeError('no device');
const meterId = meterIdOf(0);
const n = Math.min(total, 1000);
const steps: [string, number][] = [
  ['decode envelope (codec + zod)', await measure(n, () => decodeEnvelope(sample))],
  ['verify device signature (WebCrypto)', await measure(n, () => verifyMessageFast(decoded.signature ?? new Uint8Array(64), decoded.signedBytes, device.publicKey))],
  ['SHA-256 digest of the envelope', await measure(n, () => sha256(sample))],
  ['query: meter registration', await measure(n, () => db.dccMeter.findUnique({ where: { meterId } }))],
  ['query: security domain', await measure(n, () => db.dccSecurityDomain.findUnique({ where: { meterId_partyId: { meterId, partyId: 'supplier' } } }))],
  ['query: idempotency (message by id)', await measure(n, () => db.dccMessage.findUnique({ where: { id: bytesToHex(random(16)) }, select: { digest: true } }))],
  ['query: world clock', await measure(n, () => db.world.findUnique({ where: { id: worldId }, select: { clock: true } }))],
  [
    'query: channel last sequence',
    await measure(n, () => db.dccMessage.findFirst({ where: { meterId, partyId: 'supplier', direction: 'uplink' }, orderBy: { sequence: 'desc' }, select: { sequence: true } })),
  ],
  ['empty interactive transaction', await measure(n, () => db.$transaction(async () => undefined))],
];
// Storing rows: Prisma's createMany against the queue's one multi-row INSERT (both 50 rows of a
// real envelope's size per call), per row.
const row = () => ({
  messageId: bytesToHex(random(16)),
  worldId,
  direction: 'uplink' as const,
  meterId: meterIdOf(Math.floor(Math.random() * meters)),
  partyId: 'supplier',
  appletId: 'billing',
  messageClass: 'collect-response',
  digest: bytesToHex(random(32)),
  envelope: random(sample.length),
  worldTime: start,
});
const rounds = Math.max(4, Math.floor(n / 50));
steps.push([
  'store: Prisma createMany, 50 rows, per row',
  (await measure(rounds, () => db.dccMessage.createMany({ data: Array.from({ length: 50 }, row).map(({ messageId, envelope, ...rest }) => ({ ...rest, id: messageId, envelope, sizeBytes: envelope.length, state: 'queued' })) }), 2)) / 50,
]);
const queue = createDatabaseQueue({ db, now: () => new Date() });
steps.push(['store: queue.enqueueMany (one INSERT), 50 rows, per row', (await measure(rounds, () => queue.enqueueMany(Array.from({ length: 50 }, row)), 2)) / 50]);
const whole = await measure(total, () => relay.acceptUplink(take()));
steps.push(['whole acceptUplink, one envelope', whole]);
let batched: number | null = null;
const batchApi = (relay as unknown as { acceptUplinks?: (batch: Uint8Array[]) => Promise<unknown> }).acceptUplinks;
if (typeof batchApi === 'function') {
  const perBatch = await measure(batchRounds, () => batchApi.call(relay, Array.from({ length: batchSize }, take)), 2);
  batched = perBatch / batchSize;
  steps.push([`whole acceptUplinks, batches of ${batchSize}, per envelope`, batched]);
}
// Delivering what was accepted, to a party that takes every envelope at once (no HTTP): the
// relay's own cost per delivered message (claim, lease, ack).
const queued = await db.dccMessage.count({ where: { direction: 'uplink', state: 'queued' } });
const drainStarted = performance.now();
let delivered = 0;
for (;;) {
  const round = await relay.drain({ limit: 1000 });
  delivered += round.delivered;
  if (round.delivered + round.failed === 0) break;
}
const drainPer = ((performance.now() - drainStarted) * 1000) / Math.max(1, delivered);
steps.push([`drain: deliver ${delivered} of ${queued} queued, per message`, drainPer]);
const width = Math.max(...steps.map(([name]) => name.length));
for (const [name, us] of steps) process.stdout.write(`  ${name.padEnd(width)}  ${us.toFixed(0).padStart(6)} µs\n`);
console.log(
  JSON.stringify({
    database: database.provider,
    envelopes: total,
    meters,
    singlePerSecond: Math.round(1e6 / whole),
    ...(batched !== null ? { batchSize, batchedPerSecond: Math.round(1e6 / batched) } : {}),
    drainedPerSecond: Math.round(1e6 / drainPer),
  }),
);
await database.dispose();
