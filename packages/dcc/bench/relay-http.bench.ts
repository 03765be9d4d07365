/**
 * Relay throughput over loopback HTTP: signed uplink envelopes posted concurrently to the built
 * web app's `POST /api/dcc/uplink`, each going through the whole relay path — parse, verify the
 * device signature against the registered key, rate-limit, enqueue in one database transaction,
 * deliver to the supplier's inbox over HTTP, record the outcome — before the relay answers.
 * The payloads are random bytes of a real statement's size, so the supplier refuses each at its
 * MAC check and the relay records a failed attempt (one more write); the figure is therefore
 * relay work plus a minimal party hop, not bill processing.
 *
 *   npm run build && npx tsx packages/dcc/bench/relay-http.bench.ts [envelopes] [concurrency] [meters] [background|deferred]
 *   HYDRA_TEST_DATABASE=postgresql HYDRA_PG_URL=… (same) — on PostgreSQL
 *
 * Prints one JSON line: envelopes/s, p50/p99 latency, and multiples of GB's ~850 messages/s.
 */
import { createTestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { makeSecrets, startWeb } from '../../../apps/web/test-http/web-server';
import { encodeEnvelope } from '../src/envelope';

const GB_MESSAGES_PER_SECOND = 850;
const total = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 32);
const meters = Number(process.argv[4] ?? 200);
/** 'background': the relay delivers each envelope right after accepting it (the web app's mode); 'deferred': accept path alone. */
const delivery = process.argv[5] ?? 'background';
const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'bench';
const meterIdOf = (i: number) => `${worldId}-m${String(i + 1).padStart(4, '0')}`;

const database = await createTestDatabase();
const secrets = makeSecrets();
const start = new Date('2025-01-01T00:00:00Z');
await database.db.client.world.create({ data: { id: worldId, name: 'Bench', seed: 'bench', homeCount: meters, startDate: '2025-01-01', clock: start, hostProgress: start } });
await database.db.client.home.createMany({
  data: Array.from({ length: meters }, (_, i) => ({ id: `${worldId}-h${i}`, worldId, index: i, meterId: meterIdOf(i), archetype: 'family', feederId: `f${i % 10}` })),
});
// No limits in the way (the defaults allow a meter 5 uplinks/s), no background retries.
const server = await startWeb({ databaseUrl: database.url, secrets, env: { HYDRA_RELAY_METER_RATE: '1000000/1000000', HYDRA_RELAY_PARTY_RATE: '1000000/1000000', HYDRA_RELAY_DRAIN_MS: '0', HYDRA_RELAY_DELIVERY: delivery } });
try {
  const devices = Array.from({ length: meters }, () => generateKeyPair(random));
  const domain = bytesToHex(generateKeyPair(random).publicKey);
  for (let i = 0; i < meters; i += 100) {
    const registrations = devices.slice(i, i + 100).map((device, j) => ({
      worldId,
      meterId: meterIdOf(i + j),
      devicePublicKey: bytesToHex(device.publicKey),
      domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: domain }],
    }));
    const response = await fetch(`${server.origin}/api/dcc/meters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrations }) });
    if (!response.ok) throw new Error(`registration: HTTP ${response.status} ${await response.text()}`);
  }
  // Signed before timing (noble signs ~1,800/s; the meters sign in their own hosts).
  const envelopes = Array.from({ length: total + concurrency * 4 }, (_, n) => {
    const i = n % meters;
    const device = devices[i];
    if (!device) throw new RangeError(`meter ${i}: no device key`);
    return encodeEnvelope(
      { messageId: bytesToHex(random(16)), worldId, meterId: meterIdOf(i), partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink' },
      random(760),
      (bytes) => signMessage(bytes, device.privateKey),
    );
  });
  const post = async (envelope: Uint8Array) => {
    const response = await fetch(`${server.origin}/api/dcc/uplink`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(envelope) });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`uplink: HTTP ${response.status}`);
  };
  // Warm-up: JIT, connection pool, prepared statements.
  const warm = envelopes.splice(0, concurrency * 4);
  await Promise.all(warm.map(post));

  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const envelope = envelopes[next++];
        if (!envelope) break;
        const t0 = performance.now();
        await post(envelope);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const perSecond = latencies.length / seconds;
  const stored = await database.db.client.dccMessage.count({ where: { worldId, direction: 'uplink' } });
  console.log(
    JSON.stringify({
      database: database.provider,
      delivery,
      envelopes: latencies.length,
      concurrency,
      meters,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(perSecond),
      p50ms: Number(pct(0.5).toFixed(1)),
      p99ms: Number(pct(0.99).toFixed(1)),
      gbMultiple: Number((perSecond / GB_MESSAGES_PER_SECOND).toFixed(2)),
      storedUplinks: stored,
    }),
  );
} finally {
  await server.kill('SIGTERM');
  await database.dispose();
}
