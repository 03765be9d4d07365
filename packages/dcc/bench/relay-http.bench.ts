/**
 * Relay throughput over loopback HTTP: signed uplink envelopes posted concurrently to the built
 * web app — one per request to `POST /api/dcc/uplink`, or a comms hub's batch per request to
 * `POST /api/dcc/uplink/batch` — each going through the whole accept path: parse, verify the
 * device signature against the registered key, rate-limit, store (one multi-row insert per
 * request). `deferred` measures the accept path alone. In `background` mode (the app's) the relay
 * also delivers each envelope to its party over HTTP while accepting more:
 *   - party `supplier` (default): the app's own supplier inbox. The payloads are random bytes of a
 *     real statement's size, so the supplier refuses each at its check; the relay records the
 *     failed attempt and retries it after a back-off, and per-channel order holds everything
 *     behind a refused head — so most of a long run is never attempted (reported).
 *   - party `accepting`: a loopback HTTP server stands in for the party's inbox and answers 202 at
 *     once (HYDRA_INTERNAL_URL points the relay there), so every envelope is delivered: the
 *     relay's own forwarding capacity, and the end-to-end rate (accepted and delivered).
 *
 *   npm run build && npx tsx packages/dcc/bench/relay-http.bench.ts [envelopes] [concurrency] [meters] [background|deferred] [batch] [supplier|accepting]
 *   HYDRA_TEST_DATABASE=postgresql HYDRA_PG_URL=… (same) — on PostgreSQL
 *
 * Prints one JSON line: envelopes/s accepted, p50/p99 latency of a request, multiples of GB's
 * ~850 messages/s, how many uplinks were never attempted when the clients finished, and with an
 * accepting party the end-to-end rate once every envelope was delivered.
 */
import { createTestDatabase } from '@hydra/db/testing';
import { bytesToBase64Url, bytesToHex, generateKeyPair } from '@hydra/globalplatform';
import { createServer, type Server } from 'node:http';
import { makeSecrets, startWeb } from '../../../apps/web/test-http/web-server';
import { meterIdOf, random, seedBenchWorld, signUplinks, worldId } from './bench-fleet';

const GB_MESSAGES_PER_SECOND = 850;
const total = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 32);
const meters = Number(process.argv[4] ?? 200);
/** 'background': the relay delivers each envelope right after accepting it (the web app's mode); 'deferred': accept path alone. */
const delivery = process.argv[5] ?? 'background';
/** Envelopes per request: 1 posts to /api/dcc/uplink; more posts batches to /api/dcc/uplink/batch. */
const batch = Math.max(1, Number(process.argv[6] ?? 1));
/** Who receives the deliveries (background mode): the app's supplier, or a stub that accepts everything. */
const party = process.argv[7] ?? 'supplier';
if (party !== 'supplier' && party !== 'accepting') throw new RangeError(`party: expected supplier or accepting, got ${party}`);
const database = await createTestDatabase();
const secrets = makeSecrets();
const devices = await seedBenchWorld(database.db.client, meters);
// Signed before timing, and before the server starts, so no idle pause lets it drop the client's
// kept-alive connections.
const warmCount = Math.max(concurrency * 4, batch * 4);
const envelopes = signUplinks(devices, total + warmCount);
// The stand-in party: takes every delivery (inbox) and announcement (meters) at once.
let stub: Server | null = null;
let stubDelivered = 0;
if (party === 'accepting') {
  stub = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const inbox = request.url?.endsWith('/inbox') ?? false;
      if (inbox) stubDelivered++;
      response.writeHead(inbox ? 202 : 201, { 'content-type': 'application/json' });
      response.end(inbox ? '{"status":"accepted"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => stub?.listen(0, '127.0.0.1', resolve));
}
const stubAddress = stub?.address();
const stubOrigin = stubAddress && typeof stubAddress === 'object' ? `http://127.0.0.1:${stubAddress.port}` : null;
// No limits in the way (the defaults allow a meter 5 uplinks/s), no background retries.
const server = await startWeb({
  databaseUrl: database.url,
  secrets,
  env: {
    HYDRA_RELAY_METER_RATE: '1000000/1000000',
    HYDRA_RELAY_PARTY_RATE: '1000000/1000000',
    HYDRA_RELAY_DRAIN_MS: '0',
    HYDRA_RELAY_DELIVERY: delivery,
    ...(stubOrigin ? { HYDRA_INTERNAL_URL: stubOrigin } : {}),
  },
});
try {
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
  // With a party that takes everything: wait until all is delivered, for the end-to-end rate.
  let endToEnd: number | null = null;
  if (party === 'accepting' && delivery === 'background') {
    const deadline = performance.now() + 300_000;
    while (performance.now() < deadline && (await database.db.client.dccMessage.count({ where: { worldId, direction: 'uplink', state: 'queued' } })) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    endToEnd = sent / ((performance.now() - began) / 1000);
  }
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
      party,
      ...(endToEnd !== null ? { deliveredToStub: stubDelivered, endToEndPerSecond: Math.round(endToEnd), endToEndGbMultiple: Number((endToEnd / GB_MESSAGES_PER_SECOND).toFixed(2)) } : {}),
    }),
  );
} catch (error) {
  process.stderr.write(`the web app's last output:\n${server.output()}\n`);
  throw error;
} finally {
  await server.kill('SIGTERM');
  stub?.close();
  await database.dispose();
}
