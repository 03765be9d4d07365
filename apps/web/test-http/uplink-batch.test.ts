// `POST /api/dcc/uplink/batch` against the built app over HTTP, on its own database: a comms hub's
// batch is checked envelope by envelope (each refused one answered and recorded on its own,
// nothing stored for it), stored in its order, exactly once across a re-post; a batch over the
// limits is refused whole (413, recorded, nothing stored); a body that is not a batch is refused at
// the edge (400, nothing changes). And the relay's cached registrations: an envelope signed with a
// meter's old key is refused as soon as the meter has re-registered with new keys.
//
//   npm run build && npx vitest run -c apps/web/vitest.http.config.ts test-http/uplink-batch.test.ts
import { createHttpHubTransport, decodeEnvelope, encodeEnvelope, MAX_BATCH_ENVELOPES, type UplinkItemResult } from '@hydra/dcc';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToBase64Url, bytesToHex, generateKeyPair, signMessage, type KeyPair, type RoutingHeader } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecrets, startWeb, type WebServer } from './web-server';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'batch';
const meterIds = ['batch-m0001', 'batch-m0002'];
const supplierDomain = bytesToHex(generateKeyPair(random).publicKey);

describe('POST /api/dcc/uplink/batch', () => {
  let database: TestDatabase;
  let server: WebServer;
  const devices = new Map<string, KeyPair>();

  const uplink = (meterId: string, overrides: Partial<RoutingHeader> = {}, payload = random(200), key = devices.get(meterId)?.privateKey) =>
    encodeEnvelope(
      { messageId: bytesToHex(random(16)), worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink', ...overrides },
      payload,
      (bytes) => signMessage(bytes, key ?? new Uint8Array(32)),
    );
  const post = async (body: unknown) => {
    const response = await fetch(`${server.origin}/api/dcc/uplink/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { results?: UplinkItemResult[]; error?: { code: string; message: string } } };
  };
  const batch = (envelopes: Uint8Array[]) => ({ envelopes: envelopes.map((envelope) => bytesToBase64Url(envelope)) });
  const register = async (meterId: string, device: KeyPair) => {
    const registrations = [{ worldId, meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: supplierDomain }] }];
    const response = await fetch(`${server.origin}/api/dcc/meters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrations }) });
    expect(response.status, await response.clone().text()).toBe(200);
    devices.set(meterId, device);
  };
  const counts = async () => ({ messages: await database.db.client.dccMessage.count(), refusals: await database.db.client.dccRefusal.count() });
  const codes = (results: UplinkItemResult[] | undefined) => (results ?? []).map((r) => (r.status === 'refused' ? r.code : r.status));

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Batch', seed: 'b', homeCount: 2, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await database.db.client.home.createMany({ data: meterIds.map((meterId, index) => ({ id: `${worldId}-h${index}`, worldId, index, meterId, archetype: 'family', feederId: 'f1' })) });
    // Deferred delivery: the tests look at what the relay stored, not at the supplier's answers to random payloads.
    server = await startWeb({ databaseUrl: database.url, secrets: makeSecrets(), env: { HYDRA_RELAY_DRAIN_MS: '0', HYDRA_RELAY_DELIVERY: 'deferred', HYDRA_RELAY_METER_RATE: '1000/1000' } });
    for (const meterId of meterIds) await register(meterId, generateKeyPair(random));
  });
  afterAll(async () => {
    await server?.kill();
    await database?.dispose();
  });

  it('accepts a good batch: one answer per envelope, stored in the batch’s order', async () => {
    const envelopes = [uplink('batch-m0001'), uplink('batch-m0002'), uplink('batch-m0001')];
    const before = await counts();
    const { status, body } = await post(batch(envelopes));
    expect(status).toBe(200);
    expect(codes(body.results)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await counts()).toEqual({ messages: before.messages + 3, refusals: before.refusals });
    const ids = (body.results ?? []).map((r) => r.messageId ?? '');
    const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: ids } }, orderBy: { sequence: 'asc' }, select: { id: true, state: true } });
    expect(rows).toEqual(ids.map((id) => ({ id, state: 'queued' })));
  });

  it('refuses a malformed, tampered or wrongly routed envelope on its own — recorded, nothing stored for it — and accepts the rest', async () => {
    const tampered = uplink('batch-m0001');
    tampered[tampered.length - 70]! ^= 1;
    const envelopes = [uplink('batch-m0001'), random(120), tampered, uplink('batch-m0002', { partyId: 'dno' }), uplink('batch-m0002')];
    const before = await counts();
    const { status, body } = await post(batch(envelopes));
    expect(status).toBe(200);
    expect(codes(body.results)).toEqual(['accepted', 'ENVELOPE_MALFORMED', 'SIGNATURE_INVALID', 'ROUTE_INVALID', 'accepted']);
    const refused = (body.results ?? []).filter((r) => r.status === 'refused');
    expect(refused.every((r) => r.status === 'refused' && r.message.length > 10)).toBe(true);
    expect(await counts()).toEqual({ messages: before.messages + 2, refusals: before.refusals + 3 });
  });

  it('has one effect per message id: a re-posted batch is "already delivered", a replayed id refused', async () => {
    const envelopes = [uplink('batch-m0001'), uplink('batch-m0002')];
    expect(codes((await post(batch(envelopes))).body.results)).toEqual(['accepted', 'accepted']);
    const before = await counts();
    expect(codes((await post(batch(envelopes))).body.results)).toEqual(['already-delivered', 'already-delivered']);
    expect(await counts()).toEqual(before);
    const first = (await post(batch([uplink('batch-m0001')]))).body.results?.[0];
    const replay = uplink('batch-m0001', { messageId: first?.messageId ?? '' });
    const { body } = await post(batch([replay, envelopes[0]!]));
    expect(codes(body.results)).toEqual(['MESSAGE_ID_REUSED', 'already-delivered']);
    expect(await counts()).toEqual({ messages: before.messages + 1, refusals: before.refusals + 1 });
  });

  it('refuses a batch over the limits as a whole: 413, recorded, nothing stored', async () => {
    const before = await counts();
    const tooMany = Array.from({ length: MAX_BATCH_ENVELOPES + 1 }, () => uplink('batch-m0001', {}, random(8)));
    const many = await post(batch(tooMany));
    expect(many.status).toBe(413);
    expect(many.body.error).toMatchObject({ code: 'BATCH_OVERSIZED', message: expect.stringMatching(/send smaller batches/) });
    const tooLarge = Array.from({ length: 18 }, () => uplink('batch-m0002', {}, random(60_000)));
    expect((await post(batch(tooLarge))).status).toBe(413);
    expect(await counts()).toEqual({ messages: before.messages, refusals: before.refusals + 2 });
  });

  it('refuses at the edge a body that is not a batch: 400 naming what is wrong, nothing changes', async () => {
    const before = await counts();
    for (const body of ['not json', { envelopes: [] }, { envelopes: ['not base64!'] }, { envelopes: 'SFk' }, { envelopes: [bytesToBase64Url(uplink('batch-m0001'))], more: 1 }]) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.message).toMatch(/body|envelopes|JSON/);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses an envelope signed with a meter’s old key as soon as it has re-registered with new keys', async () => {
    const old = devices.get('batch-m0002');
    // Accepted first, so the relay holds the old registration in memory.
    expect(codes((await post(batch([uplink('batch-m0002')]))).body.results)).toEqual(['accepted']);
    await register('batch-m0002', generateKeyPair(random));
    const { body } = await post(batch([uplink('batch-m0002', {}, random(200), old?.privateKey), uplink('batch-m0002')]));
    expect(codes(body.results)).toEqual(['SIGNATURE_INVALID', 'accepted']);
  });

  it('carries a comms hub’s uplinks in batches through the browser’s transport, each meter’s in order', async () => {
    const transport = createHttpHubTransport(server.origin, fetch, { uplinkBatch: 7 });
    const envelopes = Array.from({ length: 20 }, (_, i) => uplink(meterIds[i % 2] ?? ''));
    envelopes[5] = random(50);
    const results = await transport.post(envelopes);
    expect(results.map((r) => r.status)).toEqual(envelopes.map((_, i) => (i === 5 ? 'refused' : 'accepted')));
    for (const meterId of meterIds) {
      const sent = envelopes.flatMap((envelope, i) => (i !== 5 && meterIds[i % 2] === meterId ? [decodeEnvelope(envelope).header.messageId] : []));
      const rows = await database.db.client.dccMessage.findMany({ where: { id: { in: sent } }, orderBy: { sequence: 'asc' }, select: { id: true } });
      expect(rows.map((row) => row.id)).toEqual(sent);
    }
  });
});
