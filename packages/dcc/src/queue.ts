/**
 * The relay's store-and-forward queue (DESIGN.md Decision 15): one interface, `RelayQueue`, and
 * its implementation on the database as a transactional outbox (`createDatabaseQueue`). The relay
 * core only talks to the interface, so a broker can take the database's place at scale:
 *
 * | RelayQueue   | NATS JetStream                              | Redis Streams                          |
 * |--------------|---------------------------------------------|----------------------------------------|
 * | enqueue      | publish with `Nats-Msg-Id` = message id     | XADD (id dedupe in a SET NX first)     |
 * |              | (the stream's duplicate window dedupes)     |                                        |
 * | claim        | pull consumer fetch, `AckWait` = lease      | XREADGROUP / XAUTOCLAIM after the lease|
 * | ack          | ack                                          | XACK (+ XDEL)                          |
 * | nack         | nak with delay; `MaxDeliver` → advisory     | leave pending; XCLAIM counts deliveries|
 * | deadLetter   | republish to a `dead.>` subject             | XADD to a dead-letter stream           |
 * | retry        | republish from the dead subject             | XADD back, XDEL from the dead stream   |
 * | list / depth | the relay's metadata log (kept in the DB)   | idem; XLEN per channel stream          |
 *
 * Semantics every implementation keeps: a message id is accepted once (a byte-identical
 * re-enqueue is "already delivered", other bytes under the same id are refused); per channel
 * (meter, party, direction) messages are handed out in order and nothing behind an un-acked
 * message goes first; delivery is at least once — a claim whose holder dies expires with its
 * lease and the message is claimed again, and receivers dedupe on the message id.
 */
import { copyBytes } from '@hydra/globalplatform';
import type { DbClient } from '@hydra/db';
import { RelayError } from './errors';

/** Direction of a queued message. */
export type QueueDirection = 'uplink' | 'downlink';

/** Where a queued message is. */
export type QueueState = 'queued' | 'delivered' | 'dead';

/** A message to enqueue: routing metadata and the opaque sealed envelope. */
export interface QueueMessage {
  messageId: string;
  worldId: string;
  direction: QueueDirection;
  meterId: string;
  partyId: string;
  appletId: string;
  messageClass: string;
  /** SHA-256 of the envelope, hex: tells a byte-identical redelivery from a replay. */
  digest: string;
  envelope: Uint8Array;
  /** A response (uplink) that completes the downlink command it answers. */
  completes?: string;
}

/** A claimed message: what a deliverer needs. */
export interface ClaimedMessage {
  messageId: string;
  worldId: string;
  direction: QueueDirection;
  meterId: string;
  partyId: string;
  envelope: Uint8Array;
  /** Delivery attempts before this one. */
  attempts: number;
}

/** What to claim. */
export type ClaimRequest =
  | {
      direction: 'uplink';
      /** Only this message (still head of its channel). */
      messageId?: string;
      /** At most this many channels' heads. */
      limit?: number;
      /** How long the claim holds before another worker may take the message. */
      leaseMs: number;
    }
  | {
      direction: 'downlink';
      worldId: string;
      meterIds: readonly string[];
      /** 0 = hand out without holding (the meter dedupes commands by id). */
      leaseMs?: number;
    };

/** A metadata record: what the relay's consoles may show. Never the envelope. */
export interface QueueRecord {
  messageId: string;
  worldId: string;
  direction: string;
  meterId: string;
  partyId: string;
  appletId: string;
  messageClass: string;
  sizeBytes: number;
  state: string;
  attempts: number;
  lastError: string | null;
  worldTime: string;
  receivedAt: string;
  deliveredAt: string | null;
}

/** Filter for {@link RelayQueue.list}. */
export interface QueueListFilter {
  worldId?: string;
  meterId?: string;
  partyId?: string;
  messageClass?: string;
  state?: QueueState;
  direction?: QueueDirection;
  /** At most this many, newest first (default 200, at most 1000). */
  limit?: number;
}

/** Queued messages on one channel. */
export interface ChannelDepth {
  worldId: string;
  meterId: string;
  partyId: string;
  direction: string;
  queued: number;
}

/** The relay's queue. */
export interface RelayQueue {
  /**
   * Stores a message at the tail of its channel, atomically with completing the command it
   * answers. Idempotent by message id.
   * @throws {RelayError} MESSAGE_ID_REUSED for an id already accepted with other bytes;
   *   NOT_FOUND for an unknown world.
   */
  enqueue(message: QueueMessage): Promise<'accepted' | 'already-delivered'>;
  /** Claims the heads of channels (uplink) or a meter's commands (downlink), oldest first. */
  claim(request: ClaimRequest): Promise<ClaimedMessage[]>;
  /** Marks messages delivered and drops their sealed bytes. `meterId` scopes a hub's ack. */
  ack(messageIds: readonly string[], scope?: { meterId?: string; direction?: QueueDirection }): Promise<number>;
  /** Releases a failed claim; after the last attempt the message becomes a dead letter. */
  nack(messageId: string, error: string): Promise<QueueState>;
  /** Moves a message to the dead-letter list at once. */
  deadLetter(messageId: string, reason: string): Promise<void>;
  /** Puts a dead letter back at its channel's head (attempts reset). False when it is not dead. */
  retry(messageId: string): Promise<boolean>;
  /** Metadata of messages, newest first. */
  list(filter: QueueListFilter): Promise<QueueRecord[]>;
  /** Queued messages per channel (non-empty channels only). */
  depth(filter?: { worldId?: string }): Promise<ChannelDepth[]>;
}

/** Options for {@link createDatabaseQueue}. */
export interface DatabaseQueueOptions {
  db: DbClient;
  /** Wall clock for leases and delivery times. */
  now: () => Date;
  /** Delivery attempts before a message becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** Delay before a nacked message may be claimed again, by attempts so far (default 0: at once). */
  retryDelayMs?: (attempts: number) => number;
}

const MAX_ERROR_CHARS = 300;

/**
 * The queue on the relay's own tables: `DccMessage` is queue, outbox and metadata log at once, so
 * accepting a message and recording it are one transaction, and delivery marks the same row.
 */
export function createDatabaseQueue(options: DatabaseQueueOptions): RelayQueue {
  const { db, now } = options;
  const maxAttempts = options.maxAttempts ?? 8;

  const insert = async (message: QueueMessage): Promise<'accepted' | 'already-delivered'> =>
    db.$transaction(async (tx) => {
      const existing = await tx.dccMessage.findUnique({ where: { id: message.messageId }, select: { digest: true } });
      if (existing) return sameBytes(existing.digest, message);
      const world = await tx.world.findUnique({ where: { id: message.worldId }, select: { clock: true } });
      if (!world) throw new RelayError('NOT_FOUND', `world ${message.worldId} does not exist: create it (hydra seed) before its meters send`);
      const last = await tx.dccMessage.findFirst({
        where: { meterId: message.meterId, partyId: message.partyId, direction: message.direction },
        orderBy: { sequence: 'desc' },
        select: { sequence: true },
      });
      await tx.dccMessage.create({
        data: {
          id: message.messageId,
          worldId: message.worldId,
          direction: message.direction,
          meterId: message.meterId,
          partyId: message.partyId,
          appletId: message.appletId,
          messageClass: message.messageClass,
          sizeBytes: message.envelope.length,
          digest: message.digest,
          state: 'queued',
          envelope: copyBytes(message.envelope),
          sequence: (last?.sequence ?? 0) + 1,
          worldTime: world.clock,
        },
      });
      if (message.completes) {
        // A response is the meter's acknowledgement of the command it answers.
        await tx.dccMessage.updateMany({
          where: { id: message.completes, meterId: message.meterId, direction: 'downlink', state: 'queued' },
          data: { state: 'delivered', envelope: null, deliveredAt: now(), leaseUntil: null },
        });
      }
      return 'accepted' as const;
    });

  return {
    async enqueue(message) {
      try {
        return await insert(message);
      } catch (error) {
        // Two concurrent posts of one id: the loser sees the winner's row.
        if (!isUniqueViolation(error)) throw error;
        const existing = await db.dccMessage.findUnique({ where: { id: message.messageId }, select: { digest: true } });
        if (!existing) throw error;
        return sameBytes(existing.digest, message);
      }
    },

    async claim(request) {
      const at = now();
      if (request.direction === 'downlink') {
        const rows = await db.dccMessage.findMany({
          where: {
            worldId: request.worldId,
            direction: 'downlink',
            state: 'queued',
            meterId: { in: [...request.meterIds] },
            ...(request.leaseMs ? { OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }] } : {}),
          },
          orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }, { sequence: 'asc' }],
        });
        return rows.flatMap((row) => (row.envelope ? [toClaimed(row, row.envelope)] : []));
      }
      const limit = Math.min(Math.max(request.limit ?? 500, 1), 5000);
      // Scan metadata only (no envelopes); a channel whose head is leased (in delivery, or waiting
      // for its retry) is skipped as a whole, so nothing behind it goes first.
      const rows = await db.dccMessage.findMany({
        where: { direction: 'uplink', state: 'queued', ...(request.messageId ? { id: request.messageId } : {}) },
        orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }, { sequence: 'asc' }],
        take: request.messageId ? 1 : limit * 4,
        select: { id: true, meterId: true, partyId: true, sequence: true, leaseUntil: true },
      });
      const heads = new Map<string, (typeof rows)[number]>();
      for (const row of rows) {
        const channel = `${row.meterId}/${row.partyId}`;
        if (!heads.has(channel)) heads.set(channel, row);
      }
      const won: string[] = [];
      const leaseUntil = new Date(at.getTime() + request.leaseMs);
      for (const row of heads.values()) {
        if (won.length >= limit) break;
        if (row.leaseUntil && row.leaseUntil >= at) continue;
        if (request.messageId) {
          // Per-channel order: a single message is claimable only when nothing older waits.
          const older = await db.dccMessage.count({
            where: { meterId: row.meterId, partyId: row.partyId, direction: 'uplink', state: 'queued', sequence: { lt: row.sequence } },
          });
          if (older > 0) continue;
        }
        // Compare-and-set on the lease: of two workers, exactly one wins the row.
        const claimed = await db.dccMessage.updateMany({
          where: { id: row.id, state: 'queued', OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }] },
          data: { leaseUntil },
        });
        if (claimed.count === 1) won.push(row.id);
      }
      if (won.length === 0) return [];
      const full = await db.dccMessage.findMany({ where: { id: { in: won } }, orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }, { sequence: 'asc' }] });
      return full.flatMap((row) => (row.envelope ? [toClaimed(row, row.envelope)] : []));
    },

    async ack(messageIds, scope = {}) {
      if (messageIds.length === 0) return 0;
      const result = await db.dccMessage.updateMany({
        where: { id: { in: [...messageIds] }, state: 'queued', ...(scope.meterId ? { meterId: scope.meterId } : {}), ...(scope.direction ? { direction: scope.direction } : {}) },
        data: { state: 'delivered', envelope: null, deliveredAt: now(), leaseUntil: null, attempts: { increment: 1 } },
      });
      return result.count;
    },

    async nack(messageId, error) {
      const row = await db.dccMessage.findUnique({ where: { id: messageId }, select: { attempts: true, state: true } });
      if (!row || row.state !== 'queued') return (row?.state as QueueState | undefined) ?? 'delivered';
      const attempts = row.attempts + 1;
      const state: QueueState = attempts >= maxAttempts ? 'dead' : 'queued';
      const delay = state === 'queued' ? (options.retryDelayMs?.(attempts) ?? 0) : 0;
      await db.dccMessage.updateMany({
        where: { id: messageId, state: 'queued' },
        // The lease doubles as the retry delay: the message is not claimable before it ends.
        data: { attempts, state, lastError: error.slice(0, MAX_ERROR_CHARS), leaseUntil: delay > 0 ? new Date(now().getTime() + delay) : null },
      });
      return state;
    },

    async deadLetter(messageId, reason) {
      await db.dccMessage.updateMany({ where: { id: messageId, state: 'queued' }, data: { state: 'dead', lastError: reason.slice(0, MAX_ERROR_CHARS), leaseUntil: null } });
    },

    async retry(messageId) {
      const result = await db.dccMessage.updateMany({
        where: { id: messageId, state: 'dead', envelope: { not: null } },
        data: { state: 'queued', attempts: 0, leaseUntil: null },
      });
      return result.count === 1;
    },

    async list(filter) {
      const rows = await db.dccMessage.findMany({
        where: {
          ...(filter.worldId ? { worldId: filter.worldId } : {}),
          ...(filter.meterId ? { meterId: filter.meterId } : {}),
          ...(filter.partyId ? { partyId: filter.partyId } : {}),
          ...(filter.messageClass ? { messageClass: filter.messageClass } : {}),
          ...(filter.state ? { state: filter.state } : {}),
          ...(filter.direction ? { direction: filter.direction } : {}),
        },
        orderBy: [{ receivedAt: 'desc' }, { sequence: 'desc' }],
        take: Math.min(Math.max(filter.limit ?? 200, 1), 1000),
        omit: { envelope: true },
      });
      return rows.map((row) => ({
        messageId: row.id,
        worldId: row.worldId,
        direction: row.direction,
        meterId: row.meterId,
        partyId: row.partyId,
        appletId: row.appletId,
        messageClass: row.messageClass,
        sizeBytes: row.sizeBytes,
        state: row.state,
        attempts: row.attempts,
        lastError: row.lastError,
        worldTime: row.worldTime.toISOString(),
        receivedAt: row.receivedAt.toISOString(),
        deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
      }));
    },

    async depth(filter = {}) {
      const groups = await db.dccMessage.groupBy({
        by: ['worldId', 'meterId', 'partyId', 'direction'],
        where: { state: 'queued', ...(filter.worldId ? { worldId: filter.worldId } : {}) },
        _count: { _all: true },
        orderBy: [{ worldId: 'asc' }, { meterId: 'asc' }, { partyId: 'asc' }, { direction: 'asc' }],
      });
      return groups.map((group) => ({ worldId: group.worldId, meterId: group.meterId, partyId: group.partyId, direction: group.direction, queued: group._count._all }));
    },
  };
}

/**
 * Prisma's P2002 (unique violation), duck-typed as `@hydra/db`'s `isUniqueViolation` does. Not
 * imported from there: this package's index is also loaded by the browser's meter host (the comms
 * hub), which must not pull the database runtime into its bundle — type imports only.
 */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && error.name === 'PrismaClientKnownRequestError' && (error as { code?: unknown }).code === 'P2002';
}

function sameBytes(digest: string, message: QueueMessage): 'already-delivered' {
  // DESIGN.md Decision 7: a byte-identical redelivery is "already delivered"; other bytes under the same id are a replay.
  if (digest === message.digest) return 'already-delivered';
  throw new RelayError('MESSAGE_ID_REUSED', `message ${message.messageId} was already accepted with other bytes: send a new message id`);
}

function toClaimed(row: { id: string; worldId: string; direction: string; meterId: string; partyId: string; attempts: number }, envelope: Uint8Array): ClaimedMessage {
  return {
    messageId: row.id,
    worldId: row.worldId,
    direction: row.direction as QueueDirection,
    meterId: row.meterId,
    partyId: row.partyId,
    envelope: copyBytes(envelope),
    attempts: row.attempts,
  };
}
