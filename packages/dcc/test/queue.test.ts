// The database queue (transactional outbox) against a real migrated database: idempotent
// enqueue, head-of-line claims per channel, leases that expire after a crash, nack → dead letter
// → retry, and the metadata it lists (never the envelope).
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { bytesToHex } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RelayError } from '../src/errors';
import { createDatabaseQueue, type QueueMessage, type RelayQueue } from '../src/queue';

const random = (n: number) => new Uint8Array(randomBytes(n));
const worldId = 'queue-test';

describe('database relay queue', () => {
  let database: TestDatabase;
  let queue: RelayQueue;
  let now: number;

  const message = (meterId: string, overrides: Partial<QueueMessage> = {}): QueueMessage => {
    const envelope = random(64);
    return {
      messageId: bytesToHex(random(16)),
      worldId,
      direction: 'uplink',
      meterId,
      partyId: 'supplier',
      appletId: 'billing',
      messageClass: 'collect-response',
      digest: bytesToHex(envelope.slice(0, 32)),
      envelope,
      ...overrides,
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Queue test', seed: 's', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start } });
  });
  afterAll(async () => database?.dispose());
  beforeEach(async () => {
    await database.db.client.dccMessage.deleteMany();
    now = Date.parse('2026-01-01T00:00:00Z');
    queue = createDatabaseQueue({ db: database.db.client, now: () => new Date(now), maxAttempts: 2 });
  });

  it('accepts an id once: byte-identical again is "already-delivered", other bytes are refused', async () => {
    const m = message('q-m1');
    expect(await queue.enqueue(m)).toBe('accepted');
    expect(await queue.enqueue(m)).toBe('already-delivered');
    await expect(queue.enqueue({ ...m, digest: 'ff'.repeat(32) })).rejects.toSatisfy((e) => e instanceof RelayError && e.code === 'MESSAGE_ID_REUSED');
    // Concurrent posts of one new id: one row, both succeed.
    const n = message('q-m1');
    expect((await Promise.all([queue.enqueue(n), queue.enqueue(n)])).sort()).toEqual(['accepted', 'already-delivered']);
    expect(await database.db.client.dccMessage.count()).toBe(2);
  });

  it('hands out only the head of each channel, and each head to one claimer', async () => {
    const a1 = message('q-m1');
    const a2 = message('q-m1');
    const b1 = message('q-m2');
    for (const m of [a1, a2, b1]) await queue.enqueue(m);
    const [first, second] = await Promise.all([queue.claim({ direction: 'uplink', leaseMs: 1000 }), queue.claim({ direction: 'uplink', leaseMs: 1000 })]);
    const ids = [...first!, ...second!].map((c) => c.messageId).sort();
    expect(ids).toEqual([a1.messageId, b1.messageId].sort());
    // a2 waits behind a1 even when asked for by id.
    expect(await queue.claim({ direction: 'uplink', leaseMs: 1000, messageId: a2.messageId })).toEqual([]);
    expect(await queue.ack([a1.messageId])).toBe(1);
    expect((await queue.claim({ direction: 'uplink', leaseMs: 1000 })).map((c) => c.messageId)).toEqual([a2.messageId]);
  });

  it('gives a message back when its claimer dies (the lease expires)', async () => {
    const m = message('q-m1');
    await queue.enqueue(m);
    expect(await queue.claim({ direction: 'uplink', leaseMs: 5000 })).toHaveLength(1);
    now += 4000;
    expect(await queue.claim({ direction: 'uplink', leaseMs: 5000 })).toEqual([]);
    now += 2000;
    const again = await queue.claim({ direction: 'uplink', leaseMs: 5000 });
    expect(again.map((c) => c.messageId)).toEqual([m.messageId]);
    expect(again[0]!.envelope).toEqual(m.envelope);
  });

  it('moves a message to the dead letters after the last attempt, and retry puts it back at the head', async () => {
    const m = message('q-m1');
    await queue.enqueue(m);
    await queue.claim({ direction: 'uplink', leaseMs: 1000 });
    expect(await queue.nack(m.messageId, 'party unreachable')).toBe('queued');
    await queue.claim({ direction: 'uplink', leaseMs: 1000 });
    expect(await queue.nack(m.messageId, 'party unreachable')).toBe('dead');
    expect(await queue.claim({ direction: 'uplink', leaseMs: 1000 })).toEqual([]);
    const dead = await queue.list({ state: 'dead' });
    expect(dead.map((d) => [d.messageId, d.attempts, d.lastError])).toEqual([[m.messageId, 2, 'party unreachable']]);
    expect(JSON.stringify(dead)).not.toContain('envelope');
    expect(await queue.retry(m.messageId)).toBe(true);
    expect(await queue.retry(m.messageId)).toBe(false);
    expect((await queue.claim({ direction: 'uplink', leaseMs: 1000 })).map((c) => c.messageId)).toEqual([m.messageId]);
  });

  it('lists with filters and reports depth per channel; a response completes its command', async () => {
    const command = message('q-m1', { direction: 'downlink', messageClass: 'collect' });
    await queue.enqueue(command);
    await queue.enqueue(message('q-m2'));
    await queue.enqueue(message('q-m2'));
    expect(await queue.depth({ worldId })).toEqual([
      { worldId, meterId: 'q-m1', partyId: 'supplier', direction: 'downlink', queued: 1 },
      { worldId, meterId: 'q-m2', partyId: 'supplier', direction: 'uplink', queued: 2 },
    ]);
    expect((await queue.list({ meterId: 'q-m2', messageClass: 'collect-response' })).length).toBe(2);
    expect(await queue.list({ partyId: 'dno' })).toEqual([]);
    await queue.enqueue(message('q-m1', { completes: command.messageId }));
    expect((await queue.list({ messageClass: 'collect' }))[0]!.state).toBe('delivered');
    expect(await queue.claim({ direction: 'downlink', worldId, meterIds: ['q-m1'] })).toEqual([]);
  });
});
