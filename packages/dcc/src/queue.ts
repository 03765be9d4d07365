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
 * (meter, party, direction) messages are handed out in the order they were accepted (a batch's in
 * its own order) and nothing behind an un-acked message goes first; delivery is at least once — a
 * claim whose holder dies expires with its lease and the message is claimed again, and receivers
 * dedupe on the message id.
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
  /** The world's clock when the relay accepted it (metadata the consoles show). */
  worldTime: Date;
  /** A response (uplink) that completes the downlink command it answers. */
  completes?: string;
}

/** What enqueuing one message of a batch came to: stored, already stored, or refused. */
export type EnqueueOutcome = 'accepted' | 'already-delivered' | RelayError;

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
   * @throws {RelayError} MESSAGE_ID_REUSED for an id already accepted with other bytes.
   */
  enqueue(message: QueueMessage): Promise<'accepted' | 'already-delivered'>;
  /**
   * Stores several messages at once, in their order (per channel, a later item goes after an
   * earlier one), atomically with completing the commands they answer. Each id is answered on its
   * own: 'accepted', 'already-delivered' for a byte-identical id already stored (or earlier in the
   * batch), or a MESSAGE_ID_REUSED error for one stored (or earlier in the batch) with other bytes
   * — which changes nothing for that item and does not hold back the others.
   * @returns one outcome per message, in order.
   */
  enqueueMany(messages: readonly QueueMessage[]): Promise<EnqueueOutcome[]>;
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

  // One multi-row INSERT per batch: the database assigns each row its sequence in the order given,
  // so a batch keeps its per-channel order and no "last sequence" query is needed. With responses
  // in it, the commands they answer are completed in the same transaction.
  const insert = async (messages: readonly QueueMessage[]): Promise<void> => {
    const receivedAt = now();
    const statements = [];
    for (let i = 0; i < messages.length; i += MAX_ROWS_PER_INSERT) statements.push(insertStatement(db, messages.slice(i, i + MAX_ROWS_PER_INSERT), receivedAt));
    const answers = messages.flatMap((message) => (message.completes ? [{ id: message.completes, meterId: message.meterId }] : []));
    if (answers.length > 0) {
      statements.push(
        // A response is the meter's acknowledgement of the command it answers.
        db.dccMessage.updateMany({
          where: { direction: 'downlink', state: 'queued', OR: answers },
          data: { state: 'delivered', envelope: null, deliveredAt: receivedAt, leaseUntil: null },
        }),
      );
    }
    if (statements.length === 1) await statements[0];
    else await db.$transaction(statements);
  };

  const enqueueMany = async (messages: readonly QueueMessage[]): Promise<EnqueueOutcome[]> => {
    const outcomes: (EnqueueOutcome | undefined)[] = new Array(messages.length);
    // An id the batch carries twice is stored once; the repeat is answered after the first.
    const first = new Map<string, number>();
    let pending: number[] = [];
    messages.forEach((message, i) => {
      if (first.has(message.messageId)) return;
      first.set(message.messageId, i);
      pending.push(i);
    });
    // Optimistic: insert everything; a redelivered id makes the INSERT fail as a whole (nothing is
    // stored), then those ids are answered from their rows and the rest inserted again. Bounded,
    // as concurrent posts of the same ids can race more than once.
    for (let attempt = 1; pending.length > 0; attempt++) {
      const batch = pending.map((i) => messages[i] as QueueMessage);
      try {
        await insert(batch);
        for (const i of pending) outcomes[i] = 'accepted';
        break;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 4) throw error;
        const stored = await db.dccMessage.findMany({ where: { id: { in: batch.map((message) => message.messageId) } }, select: { id: true, digest: true } });
        if (stored.length === 0) throw error;
        const digests = new Map(stored.map((row) => [row.id, row.digest]));
        pending = pending.filter((i) => {
          const message = messages[i] as QueueMessage;
          const digest = digests.get(message.messageId);
          if (digest === undefined) return true;
          outcomes[i] = sameBytes(digest, message);
          return false;
        });
      }
    }
    return messages.map((message, i) => {
      const j = first.get(message.messageId) ?? i;
      if (j === i) return outcomes[i] ?? 'accepted';
      const earlier = messages[j] as QueueMessage;
      if (earlier.digest !== message.digest) return reused(message);
      const outcome = outcomes[j];
      return outcome instanceof RelayError ? outcome : 'already-delivered';
    });
  };

  return {
    async enqueue(message) {
      const [outcome] = await enqueueMany([message]);
      if (outcome instanceof RelayError) throw outcome;
      return outcome ?? 'accepted';
    },

    enqueueMany,

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
      const leaseUntil = new Date(at.getTime() + request.leaseMs);
      const free = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: at } }] };
      if (request.messageId) {
        const row = await db.dccMessage.findFirst({ where: { id: request.messageId, direction: 'uplink', state: 'queued' }, select: { meterId: true, partyId: true, sequence: true } });
        if (!row) return [];
        // Per-channel order: a single message is claimable only when nothing older waits.
        const older = await db.dccMessage.count({ where: { meterId: row.meterId, partyId: row.partyId, direction: 'uplink', state: 'queued', sequence: { lt: row.sequence } } });
        if (older > 0) return [];
        const won = await db.dccMessage.updateManyAndReturn({ where: { id: request.messageId, state: 'queued', ...free }, data: { leaseUntil } });
        return won.flatMap((claimed) => (claimed.envelope ? [toClaimed(claimed, claimed.envelope)] : []));
      }
      // Each channel's head: its oldest queued message (one row per channel, however deep the queue).
      const heads = await db.dccMessage.groupBy({
        by: ['meterId', 'partyId'],
        where: { direction: 'uplink', state: 'queued' },
        _min: { sequence: true },
        orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }],
        // More channels than the limit: some heads may be leased (in delivery, or waiting for a retry).
        take: limit * 4,
      });
      const sequences = heads.flatMap((head) => (head._min.sequence === null ? [] : [head._min.sequence]));
      if (sequences.length === 0) return [];
      // A leased head holds its whole channel: nothing behind it goes first.
      const leases = await db.dccMessage.findMany({ where: { sequence: { in: sequences } }, select: { sequence: true, leaseUntil: true } });
      const claimable = leases.filter((head) => !head.leaseUntil || head.leaseUntil < at).map((head) => head.sequence).slice(0, limit);
      if (claimable.length === 0) return [];
      // Compare-and-set on the leases in one statement: of two workers exactly one wins each row,
      // and the rows won come back with their envelopes.
      const won = await db.dccMessage.updateManyAndReturn({ where: { sequence: { in: claimable }, state: 'queued', ...free }, data: { leaseUntil } });
      return won
        .sort((a, b) => a.sequence - b.sequence)
        .flatMap((claimed) => (claimed.envelope ? [toClaimed(claimed, claimed.envelope)] : []));
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

/** Rows per INSERT statement (13 parameters each: well within SQLite's and PostgreSQL's limits). */
const MAX_ROWS_PER_INSERT = 500;

/** The columns an accepted message is inserted with; the rest take their defaults. */
const INSERT_COLUMNS = ['id', 'worldId', 'direction', 'meterId', 'partyId', 'appletId', 'messageClass', 'sizeBytes', 'digest', 'state', 'envelope', 'worldTime', 'receivedAt'] as const;

/**
 * A multi-row `INSERT INTO "DccMessage"` as one parameterised statement through Prisma's raw-query
 * API: only the constant column list is SQL text, every value a bound parameter, and Prisma writes
 * the placeholders its provider needs (`?` or `$n`) and encodes dates and bytes as its model API
 * does (the queue tests read rows back through the model API on both databases). Why not
 * `createMany`: Prisma 6's client plans each query in its wasm query compiler from a JSON form of
 * the data (bytes as base64), which cost ≈ 0.6 ms per row on the benchmark machine — most of an
 * accepted envelope's cost — against ≈ 0.2 ms per row for this (BENCHMARKS.md, "Relay over loopback HTTP").
 */
function insertStatement(db: DbClient, messages: readonly QueueMessage[], receivedAt: Date) {
  const values = messages.flatMap((message) => [
    message.messageId,
    message.worldId,
    message.direction,
    message.meterId,
    message.partyId,
    message.appletId,
    message.messageClass,
    message.envelope.length,
    message.digest,
    'queued',
    copyBytes(message.envelope),
    message.worldTime,
    receivedAt,
  ]);
  // The template's literal parts around the values: "(" v, v, … "), (" v, … ")".
  const parts = [`INSERT INTO "DccMessage" (${INSERT_COLUMNS.map((column) => `"${column}"`).join(', ')}) VALUES (`];
  for (let i = 1; i < values.length; i++) parts.push(i % INSERT_COLUMNS.length === 0 ? '), (' : ', ');
  parts.push(')');
  const template = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
  return db.$executeRaw(template, ...values);
}

/**
 * A unique violation, duck-typed as `@hydra/db`'s `isUniqueViolation` does: P2002 from the model
 * API, or P2010 (a raw query failed) whose driver-adapter cause is a unique-constraint violation,
 * as the multi-row INSERT raises it on both databases. Not imported from there: this package's
 * index is also loaded by the browser's meter host (the comms hub), which must not pull the
 * database runtime into its bundle — type imports only.
 */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'PrismaClientKnownRequestError') return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}

function sameBytes(digest: string, message: QueueMessage): 'already-delivered' | RelayError {
  // DESIGN.md Decision 7: a byte-identical redelivery is "already delivered"; other bytes under the same id are a replay.
  return digest === message.digest ? 'already-delivered' : reused(message);
}

function reused(message: QueueMessage): RelayError {
  return new RelayError('MESSAGE_ID_REUSED', `message ${message.messageId} was already accepted with other bytes: send a new message id`);
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
