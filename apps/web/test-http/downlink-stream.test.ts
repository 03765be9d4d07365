// The meter host's downlink stream (`POST /api/dcc/downlinks/stream`) against the built app over
// HTTP, on its own database: a party's command reaches the host over the open stream as soon as it
// is queued, for the meter it is for only; what the host acknowledged is not sent again, what it
// did not is sent again on the next connection; the comms hub's HTTP transport takes its commands
// from the stream without a single wake request; bad requests are refused at the edge and recorded.
//
//   npm run build && npx vitest run -c apps/web/vitest.http.config.ts test-http/downlink-stream.test.ts
import { createHttpHubTransport, encodeEnvelope, HostDownlinkStream } from '@hydra/dcc';
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { base64UrlToBytes, bytesToHex, generateKeyPair } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecrets, startWeb, type PartySecrets, type WebServer } from './web-server';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'stream';
const meterIds = ['stream-m0001', 'stream-m0002'];

describe('POST /api/dcc/downlinks/stream', () => {
  let database: TestDatabase;
  let server: WebServer;
  let secrets: PartySecrets;
  const streams: HostDownlinkStream[] = [];

  const open = (ids: readonly string[] = meterIds) => {
    const stream = new HostDownlinkStream({ origin: server.origin, fetchImpl: fetch, worldId, meterIds: ids, decode: base64UrlToBytes, retryMs: 200 });
    streams.push(stream);
    return stream;
  };
  /** The supplier queues an opaque command for `meterId` (the relay cannot read it either). */
  const queueCommand = async (meterId: string) => {
    const messageId = bytesToHex(random(16));
    const envelope = encodeEnvelope({ messageId, worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass: 'applet-command', direction: 'downlink' }, random(300));
    const response = await fetch(`${server.origin}/api/dcc/downlink`, { method: 'POST', headers: { authorization: `Bearer ${secrets.supplier}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(envelope) });
    expect(response.status, await response.clone().text()).toBe(202);
    return { messageId, envelope };
  };
  const ack = async (meterId: string, messageIds: string[]) => {
    const response = await fetch(`${server.origin}/api/dcc/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ acks: [{ meterId, messageIds }] }) });
    expect(response.status).toBe(200);
  };
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(check(), what).toBe(true);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Stream', seed: 's', homeCount: 2, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await database.db.client.home.createMany({ data: meterIds.map((meterId, index) => ({ id: `${worldId}-h${index}`, worldId, index, meterId, archetype: 'family', feederId: 'f1' })) });
    secrets = makeSecrets();
    server = await startWeb({ databaseUrl: database.url, secrets, env: { HYDRA_RELAY_DRAIN_MS: '0', HYDRA_RELAY_DELIVERY: 'deferred' } });
    const domain = bytesToHex(generateKeyPair(random).publicKey);
    const registrations = meterIds.map((meterId) => ({ worldId, meterId, devicePublicKey: bytesToHex(generateKeyPair(random).publicKey), domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: domain }] }));
    const response = await fetch(`${server.origin}/api/dcc/meters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrations }) });
    expect(response.status, await response.clone().text()).toBe(200);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server?.kill();
    await database?.dispose();
  });

  it('pushes a command as soon as a party queues it, to the stream of the meter it is for', async () => {
    const stream = open();
    expect(await stream.ready(10_000)).toBe(true);
    const seen = new Set(stream.take(meterIds).map((d) => d.messageId));
    const arriving = stream.awaitNew(['stream-m0002'], 10_000);
    const command = await queueCommand('stream-m0002');
    await arriving;
    const pushed = stream.take(['stream-m0002']).filter((d) => !seen.has(d.messageId));
    expect(pushed.map((d) => d.messageId)).toEqual([command.messageId]);
    // The sealed bytes the supplier queued, unchanged.
    expect(Buffer.from(pushed[0]?.envelope ?? []).equals(Buffer.from(command.envelope))).toBe(true);
    expect(stream.take(['stream-m0001']).some((d) => d.messageId === command.messageId)).toBe(false);
  });

  it('sends again on the next connection what was not acknowledged, and never what was', async () => {
    const first = open(['stream-m0001']);
    expect(await first.ready(10_000)).toBe(true);
    const kept = await queueCommand('stream-m0001');
    const done = await queueCommand('stream-m0001');
    await until(() => first.take(['stream-m0001']).some((d) => d.messageId === done.messageId), 'both commands pushed');
    await ack('stream-m0001', [done.messageId]);
    first.acknowledged([done.messageId]);
    first.close();
    const second = open(['stream-m0001']);
    expect(await second.ready(10_000)).toBe(true);
    const ids = second.take(['stream-m0001']).map((d) => d.messageId);
    expect(ids).toContain(kept.messageId);
    expect(ids).not.toContain(done.messageId);
  });

  it('is what the comms hub’s HTTP transport wakes from: no wake request at all', async () => {
    const paths: string[] = [];
    const counting: typeof fetch = (input, init) => {
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const transport = createHttpHubTransport(server.origin, counting);
    try {
      const before = await transport.wake(worldId, meterIds);
      const command = await queueCommand('stream-m0001');
      await transport.awaitDownlinks?.(['stream-m0001'], 10_000);
      const after = await transport.wake(worldId, meterIds);
      expect(after.map((d) => d.messageId)).toContain(command.messageId);
      expect(before.map((d) => d.messageId)).not.toContain(command.messageId);
      expect(paths).not.toContain('/api/dcc/wake');
      expect(paths.filter((p) => p === '/api/dcc/downlinks/stream')).toHaveLength(1);
    } finally {
      transport.close();
    }
  });

  it('refuses a malformed request (400) and a meter it does not know (404, recorded); nothing changes', async () => {
    const messages = await database.db.client.dccMessage.count();
    const refusals = await database.db.client.dccRefusal.count();
    const post = (body: string) => fetch(`${server.origin}/api/dcc/downlinks/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post(JSON.stringify({ worldId, meterIds: [] }));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/meterIds/);
    expect((await post('{not json')).status).toBe(400);
    const unknown = await post(JSON.stringify({ worldId, meterIds: ['stream-m0099'] }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('METER_UNKNOWN');
    expect(await database.db.client.dccMessage.count()).toBe(messages);
    expect(await database.db.client.dccRefusal.count()).toBe(refusals + 1);
  });
});
