/**
 * Relay throughput over loopback HTTP: signed uplink envelopes posted concurrently to the built
 * web app — one per request to `POST /api/dcc/uplink`, or a comms hub's batch per request to
 * `POST /api/dcc/uplink/batch` — each going through the whole accept path: parse, verify the
 * device signature against the registered key, rate-limit, store (one multi-row insert per
 * request). In `background` mode (the app's) the relay then delivers each to the supplier's inbox
 * over HTTP; the payloads are random bytes of a real statement's size, so the supplier refuses
 * each at its check and the relay records the failed attempt and retries it later — relay work
 * plus a minimal party hop, not bill processing. `deferred` measures the accept path alone.
 *
 *   npm run build && npx tsx packages/dcc/bench/relay-http.bench.ts [envelopes] [concurrency] [meters] [background|deferred] [batch]
 *   HYDRA_TEST_DATABASE=postgresql HYDRA_PG_URL=… (same) — on PostgreSQL
 *
 * Prints one JSON line: envelopes/s, p50/p99 latency of a request, multiples of GB's ~850
 * messages/s, and how many uplinks were still waiting for delivery when the clients finished.
 */
import { createTestDatabase } from '@hydra/db/testing';
import { bytesToHex, generateKeyPair, signMessage } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { makeSecrets, startWeb } from '../../../apps/web/test-http/web-server';
import { bytesToBase64Url } from '@hydra/globalplatform';
import { encodeEnvelope } from '../src/envelope';

const GB_MESSAGES_PER_SECOND = 850;
const total = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 32);
const meters = Number(process.argv[4] ?? 200);
/** 'background': the relay delivers each envelope right after accepting it (the web app's mode); 'deferred': accept path alone. */
const delivery = process.argv[5] ?? 'background';
/** Envelopes per request: 1 posts to /api/dcc/uplink; more posts batches to /api/dcc/uplink/batch. */
const batch = Math.max(1, Number(process.argv[6] ?? 1));
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
  const warmCount = Math.max(concurrency * 4, batch * 4);
  const envelopes = Array.from({ length: total + warmCount }, (_, n) => {
    const i = n % meters;
    const device = devices[i];
    if (!device) throw new RangeError(`meter ${i}: no device key`);
    return encodeEnvelope(
      { messageId: bytesToHex(random(16)), worldId, meterId: meterIdOf(i), partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink' },
      random(760),
      (bytes) => signMessage(bytes, device.privateKey),
    );
  });
  const post = async (group: Uint8Array[]) => {
    if (batch === 1 && group[0]) {
      const response = await fetch(`${server.origin}/api/dcc/uplink`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(group[0]) });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`uplink: HTTP ${response.status}`);
      return;
    }
    const response = await fetch(`${server.origin}/api/dcc/uplink/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ envelopes: group.map((envelope) => bytesToBase64Url(envelope)) }),
    });
    const body = (await response.json()) as { results?: { status: string }[] };
    const accepted = body.results?.filter((result) => result.status === 'accepted').length ?? 0;
    if (response.status !== 200 || accepted !== group.length) throw new Error(`uplink batch: HTTP ${response.status}, ${accepted} of ${group.length} accepted`);
  };
  // Warm-up: JIT, connection pool, prepared statements.
  const warm = envelopes.splice(0, warmCount);
  for (let i = 0; i < warm.length; i += batch * concurrency) {
    await Promise.all(Array.from({ length: concurrency }, (_, c) => warm.slice(i + c * batch, i + (c + 1) * batch)).filter((g) => g.length > 0).map(post));
  }

  const latencies: number[] = [];
  let next = 0;
  let sent = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const group = envelopes.slice(next, Math.min(total, next + batch));
        next += group.length;
        if (group.length === 0) break;
        const t0 = performance.now();
        await post(group);
        latencies.push(performance.now() - t0);
        sent += group.length;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const perSecond = sent / seconds;
  const stored = await database.db.client.dccMessage.count({ where: { worldId, direction: 'uplink' } });
  const waiting = await database.db.client.dccMessage.count({ where: { worldId, direction: 'uplink', state: 'queued', attempts: 0 } });
  console.log(
    JSON.stringify({
      database: database.provider,
      delivery,
      batch,
      envelopes: sent,
      requests: latencies.length,
      concurrency,
      meters,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(perSecond),
      p50ms: Number(pct(0.5).toFixed(1)),
      p99ms: Number(pct(0.99).toFixed(1)),
      gbMultiple: Number((perSecond / GB_MESSAGES_PER_SECOND).toFixed(2)),
      storedUplinks: stored,
      neverAttemptedAtEnd: waiting,
    }),
  );
} finally {
  await server.kill('SIGTERM');
  await database.dispose();
}
