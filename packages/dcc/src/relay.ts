/**
 * The DCC relay core: registers meters and parties, accepts uplink and downlink envelopes,
 * queues them (store-and-forward, in order per channel), delivers uplinks to parties and hands
 * downlink commands to meters when they wake. It keeps metadata and, until delivery, the opaque
 * sealed envelope — never a payload in plain, because it holds no channel key.
 *
 * Transport-agnostic: parties are reached through a `PartyTransport` (HTTP in the web app,
 * direct calls in a headless run). Storage-agnostic for messages: every queue operation goes
 * through a `RelayQueue` (the database's transactional outbox by default; a broker later).
 * Per-meter and per-party token buckets refuse floods with RATE_LIMITED, recorded as refusals.
 */
import { bytesToHex, copyBytes, hexToBytes, verifyMessageFast, type RandomSource } from '@hydra/globalplatform';
import type { DbClient } from '@hydra/db';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeEnvelope, type Envelope } from './envelope';
import { parseConsentProof } from './consent-proof';
import { APPLET_OWNERS, CONSENT_PARTIES, downlinkRefusal, needsConsent, uplinkRefusal } from './eligibility';
import { DownlinkSignal } from './downlink-stream';
import { DeliveryRefusedError, RelayError, type RelayErrorCode } from './errors';
import { createDatabaseQueue, type ChannelDepth, type QueueListFilter, type QueueRecord, type RelayQueue } from './queue';
import { TokenBuckets, type RateLimit } from './rate-limit';
import type { IssuedCertificates, ManufacturerCa } from './manufacturer-ca';

/** What a party answers when the relay delivers an uplink. */
export type DeliveryOutcome = 'accepted' | 'already-delivered';

/** How the relay reaches parties. */
export interface PartyTransport {
  /**
   * Delivers an uplink envelope to its party. Throws when the party cannot be reached (retried),
   * or {@link DeliveryRefusedError} when the party refused it for good (dead-lettered at once).
   */
  deliver(partyId: string, envelope: Uint8Array): Promise<DeliveryOutcome>;
  /**
   * Tells a party that a meter with its security domain registered — for a party that needs the
   * householder's consent, only once the meter's proof of consent is in.
   */
  announceMeter(partyId: string, announcement: MeterAnnouncement): Promise<void>;
  /** Tells a consent-gated party that a meter's householder withdrew: the relay routes nothing more. */
  withdrawMeter(partyId: string, withdrawal: MeterWithdrawal): Promise<void>;
}

/** A meter whose householder withdrew a party's admission. */
export interface MeterWithdrawal {
  worldId: string;
  meterId: string;
}

/** One enrolment as the DCC's console shows it (the residual metadata leak the catalog names). */
export interface EnrolmentRecord {
  worldId: string;
  meterId: string;
  partyId: string;
  state: string;
  sequence: number;
  updatedAt: string;
}

/** The public facts a party learns when a meter with its domain registers. */
export interface MeterAnnouncement {
  worldId: string;
  meterId: string;
  aid: string;
  /** Hex, SEC 1 compressed. */
  domainPublicKey: string;
}

/** A meter's registration request: public keys only. */
export interface MeterRegistrationRequest {
  worldId: string;
  meterId: string;
  devicePublicKey: string;
  domains: { partyId: string; aid: string; publicKey: string }[];
}

/** The result of accepting an envelope. */
export interface AcceptResult {
  messageId: string;
  status: 'accepted' | 'already-delivered';
}

/** A downlink envelope waiting for a meter. */
export interface PendingDownlink {
  messageId: string;
  meterId: string;
  envelope: Uint8Array;
}

/** One row of the metadata log, as any console may show it. */
export interface MetadataRecord {
  messageId: string;
  direction: string;
  meterId: string;
  partyId: string;
  appletId: string;
  messageClass: string;
  sizeBytes: number;
  state: string;
  attempts: number;
  worldTime: string;
  receivedAt: string;
  deliveredAt: string | null;
}

/** Options for {@link Relay}. */
export interface RelayOptions {
  db: DbClient;
  transport: PartyTransport;
  random: RandomSource;
  /** Wall clock for the relay's own operational timestamps (delivery times). */
  now: () => Date;
  /** Attempts before an undeliverable uplink moves to the dead-letter list. */
  maxAttempts?: number;
  /**
   * The manufacturer CA's registration service that certifies meters' keys (Decision 3). The relay
   * registers the device certificate it returns; the CA's private key stays in this server process.
   */
  manufacturer: ManufacturerCa;
  /** The message queue (default: the database, as a transactional outbox). */
  queue?: RelayQueue;
  /**
   * Token-bucket limits: uplinks per meter, downlinks per party (`party` for every party, `parties`
   * to give one party its own allowance, e.g. a DNO pushing a campaign to a whole feeder).
   */
  limits?: { meter?: RateLimit; party?: RateLimit; parties?: Readonly<Record<string, RateLimit>> };
  /** How long a delivery attempt holds an uplink before another worker may retry it. */
  leaseMs?: number;
  /** Delay before a failed uplink is tried again, by attempts so far (default: at once). */
  retryDelayMs?: (attempts: number) => number;
  /**
   * When an accepted uplink is delivered: 'await' (default) before `acceptUplink` returns;
   * 'background' right after, without holding the meter's request (store-and-forward: the
   * envelope is already persisted, and a crash leaves it queued for the next drain); 'deferred'
   * only by a later `drain` / `deliverInBackground` (measuring the accept path alone).
   */
  delivery?: 'await' | 'background' | 'deferred';
  /** Reports a background delivery round that failed as a whole (e.g. the database went away). */
  onBackgroundError?: (error: unknown) => void;
}

/** One refused request as the relay's console shows it: metadata and why, never a payload. */
export interface RefusalRecord {
  id: string;
  worldId: string | null;
  meterId: string | null;
  partyId: string | null;
  messageId: string | null;
  code: string;
  reason: string;
  sizeBytes: number;
  receivedAt: string;
}

const DEAD_AFTER = 8;
/** Defaults: a meter answers a few commands per wake; a party arms one command per meter. */
export const DEFAULT_RATE_LIMITS: { meter: RateLimit; party: RateLimit } = {
  meter: { perSecond: 5, burst: 50 },
  party: { perSecond: 2000, burst: 20_000 },
};

/** The relay. */
export class Relay {
  private readonly db: DbClient;
  private readonly transport: PartyTransport;
  private readonly random: RandomSource;
  private readonly now: () => Date;
  private readonly manufacturer: ManufacturerCa;
  private readonly leaseMs: number;
  private readonly meterBuckets: TokenBuckets;
  private readonly partyBuckets: TokenBuckets;
  private readonly ownPartyBuckets: Map<string, TokenBuckets>;
  private readonly delivery: 'await' | 'background' | 'deferred';
  private readonly onBackgroundError: (error: unknown) => void;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  /** The relay's message queue. */
  readonly queue: RelayQueue;
  /** Tells hosts' downlink streams when a command for one of their meters is queued. */
  readonly downlinkSignal = new DownlinkSignal();

  constructor(options: RelayOptions) {
    this.manufacturer = options.manufacturer;
    this.db = options.db;
    this.transport = options.transport;
    this.random = options.random;
    this.now = options.now;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.delivery = options.delivery ?? 'await';
    this.onBackgroundError = options.onBackgroundError ?? (() => undefined);
    this.queue = options.queue ?? createDatabaseQueue({
        db: options.db,
        now: options.now,
        maxAttempts: options.maxAttempts ?? DEAD_AFTER,
        ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
      });
    const clock = () => options.now().getTime();
    this.meterBuckets = new TokenBuckets({ limit: options.limits?.meter ?? DEFAULT_RATE_LIMITS.meter, now: clock });
    this.partyBuckets = new TokenBuckets({ limit: options.limits?.party ?? DEFAULT_RATE_LIMITS.party, now: clock });
    this.ownPartyBuckets = new Map(Object.entries(options.limits?.parties ?? {}).map(([partyId, limit]) => [partyId, new TokenBuckets({ limit, now: clock })]));
  }

  /** Registers (or updates) a party and its channel public key. */
  async registerParty(party: { id: string; name: string; role: string; publicKey: Uint8Array | null }): Promise<void> {
    const data = { name: party.name, role: party.role, publicKey: party.publicKey ? copyBytes(party.publicKey) : null };
    await this.db.dccParty.upsert({ where: { id: party.id }, create: { id: party.id, ...data }, update: data });
  }

  /** Party public keys, for meters opening their channels. */
  async partyKeys(): Promise<{ partyId: string; publicKey: string }[]> {
    const parties = await this.db.dccParty.findMany({ orderBy: { id: 'asc' } });
    return parties.flatMap((party) => (party.publicKey ? [{ partyId: party.id, publicKey: bytesToHex(party.publicKey) }] : []));
  }

  /**
   * Registers a meter's device key and security domains: the manufacturer CA certifies the public
   * keys, the relay stores the device certificate, then announces each domain to its party.
   * Re-registering with the same keys is a no-op for the parties; new keys replace old ones, and
   * whatever was still queued for that meter and party (sealed for the old card) is dead-lettered.
   * @throws {RelayError} METER_UNKNOWN unless the world registry has a home with this meter;
   *   PARTY_UNKNOWN / ENVELOPE_MALFORMED for an unknown party or a malformed key.
   * @returns the certificates for the meter to install.
   */
  async registerMeter(request: MeterRegistrationRequest): Promise<{ certificates: IssuedCertificates }> {
    const devicePublicKey = parseKey('device public key', request.devicePublicKey);
    // Only a meter the public world registry places in one of the world's homes may register.
    const home = await this.db.home.findUnique({ where: { meterId: request.meterId }, select: { worldId: true } });
    if (!home || home.worldId !== request.worldId) {
      const error = new RelayError('METER_UNKNOWN', `meter ${request.meterId} is not the meter of any home in world ${request.worldId}: only meters of the world's published homes may register`);
      await this.recordRefusal(error, { worldId: request.worldId, meterId: request.meterId, partyId: null, messageId: null }, 0);
      throw error;
    }
    const parties = new Map((await this.db.dccParty.findMany()).map((party) => [party.id, party]));
    for (const domain of request.domains) {
      if (!parties.has(domain.partyId)) throw new RelayError('PARTY_UNKNOWN', `security domain for unknown party ${domain.partyId}`);
      parseKey(`${domain.partyId} domain public key`, domain.publicKey);
    }
    const certificates = this.manufacturer.certify({ meterId: request.meterId, devicePublicKey: request.devicePublicKey, domains: request.domains });
    const deviceCertificate = copyBytes(hexToBytes(certificates.deviceCertificate));
    const existing = await this.db.dccSecurityDomain.findMany({ where: { meterId: request.meterId } });
    const known = new Map(existing.map((domain) => [domain.partyId, bytesToHex(domain.publicKey)]));
    await this.db.$transaction(async (tx) => {
      await tx.dccMeter.upsert({
        where: { meterId: request.meterId },
        create: { meterId: request.meterId, worldId: request.worldId, devicePublicKey, deviceCertificate },
        update: { devicePublicKey, deviceCertificate },
      });
      for (const domain of request.domains) {
        const data = { aid: domain.aid, publicKey: copyBytes(hexToBytes(domain.publicKey)) };
        await tx.dccSecurityDomain.upsert({
          where: { meterId_partyId: { meterId: request.meterId, partyId: domain.partyId } },
          create: { meterId: request.meterId, partyId: domain.partyId, ...data },
          update: data,
        });
      }
    });
    for (const domain of request.domains) {
      const previous = known.get(domain.partyId);
      if (previous === domain.publicKey.toLowerCase()) continue;
      // A new card (new keys): what is still queued on this channel was sealed for, or answers, the
      // old one's sessions. Nothing can deliver it usefully, and it would hold up the channel.
      if (previous !== undefined) await this.supersede(request.meterId, domain.partyId);
      // A consent-gated party learns of the meter only once its householder admitted it (enrol).
      if (needsConsent(domain.partyId) && !(await this.admitted(request.meterId, domain.partyId))) continue;
      await this.transport.announceMeter(domain.partyId, { worldId: request.worldId, meterId: request.meterId, aid: domain.aid, domainPublicKey: domain.publicKey.toLowerCase() });
    }
    return { certificates };
  }

  /** Moves every queued message of one meter's channel with a party (both directions) to the dead-letter list. */
  private async supersede(meterId: string, partyId: string): Promise<void> {
    const queued = await this.queue.list({ meterId, partyId, state: 'queued', limit: 1000 });
    for (const message of queued) await this.queue.deadLetter(message.messageId, 'superseded: the meter re-registered with new keys (a new card)');
  }

  /**
   * Accepts a signed uplink envelope from a meter's comms hub, queues it and tries to deliver it.
   * @throws {RelayError} for malformed, unsigned, wrongly signed, mis-routed or replayed envelopes
   *   (each also recorded as a refusal).
   */
  async acceptUplink(bytes: Uint8Array): Promise<AcceptResult> {
    const result = await this.refusing(bytes, null, async () => {
      const envelope = decodeEnvelope(bytes);
      const { header } = envelope;
      if (header.direction !== 'uplink') throw new RelayError('ROUTE_INVALID', 'uplink: envelope direction must be "uplink"');
      const meter = await this.db.dccMeter.findUnique({ where: { meterId: header.meterId } });
      if (!meter || meter.worldId !== header.worldId) throw new RelayError('METER_UNKNOWN', `uplink: meter ${header.meterId} is not registered`);
      if (!envelope.signature || !(await verifyMessageFast(envelope.signature, envelope.signedBytes, meter.devicePublicKey))) {
        throw new RelayError('SIGNATURE_INVALID', 'uplink: the device signature does not verify against the registered certificate');
      }
      // Counted only once the signature verifies: nobody can spend another meter's allowance.
      this.limit(this.meterBuckets, `meter ${header.meterId}`, header.meterId, 'uplinks');
      const refusal = uplinkRefusal(header.partyId, header.appletId, header.messageClass);
      if (refusal) throw new RelayError('ROUTE_INVALID', `uplink: ${refusal}`);
      await this.requireDomain(header.meterId, header.partyId);
      await this.requireConsent(header.meterId, header.partyId, 'uplink');
      return this.enqueue(envelope, bytes);
    });
    if (result.status === 'accepted') {
      if (this.delivery === 'await') await this.drain({ messageId: result.messageId });
      else if (this.delivery === 'background') void this.deliverInBackground();
    }
    return result;
  }

  /**
   * Starts a drain unless one is running; one that is running drains once more when it ends, so
   * every accepted uplink is picked up by some round. Never rejects.
   */
  deliverInBackground(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    const round = async (): Promise<void> => {
      do {
        this.drainAgain = false;
        try {
          await this.drain({ limit: 1000 });
        } catch (error) {
          this.onBackgroundError(error);
        }
      } while (this.drainAgain);
    };
    this.draining = round().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /**
   * Accepts a downlink command from an authenticated party.
   * @param partyId - the party the caller authenticated as (from its credential, not the envelope).
   * @throws {RelayError} FORBIDDEN when the envelope claims another party; ROLE_NOT_ELIGIBLE when
   *   the party may not send that class; and the codec's errors.
   */
  async acceptDownlink(partyId: string, bytes: Uint8Array): Promise<AcceptResult> {
    return this.refusing(bytes, partyId, async () => {
      const envelope = decodeEnvelope(bytes);
      const { header } = envelope;
      if (header.direction !== 'downlink') throw new RelayError('ROUTE_INVALID', 'downlink: envelope direction must be "downlink"');
      if (header.partyId !== partyId) throw new RelayError('FORBIDDEN', `downlink: authenticated as ${partyId} but the envelope claims ${header.partyId}; send only your own party's envelopes`);
      this.limit(this.ownPartyBuckets.get(partyId) ?? this.partyBuckets, `party ${partyId}`, partyId, 'downlinks');
      if (envelope.signature) throw new RelayError('ENVELOPE_MALFORMED', 'downlink: party envelopes are not device-signed');
      const refusal = downlinkRefusal(partyId, header.appletId, header.messageClass);
      if (refusal) throw new RelayError('ROLE_NOT_ELIGIBLE', `downlink: ${refusal}`);
      const meter = await this.db.dccMeter.findUnique({ where: { meterId: header.meterId } });
      if (!meter || meter.worldId !== header.worldId) throw new RelayError('METER_UNKNOWN', `downlink: meter ${header.meterId} is not registered`);
      await this.requireDomain(header.meterId, partyId);
      await this.requireConsent(header.meterId, partyId, 'downlink');
      return this.enqueue(envelope, bytes);
    });
  }

  /**
   * Refuses meter ids that are not registered in `worldId` (a wake or an acknowledgement for a
   * meter the relay does not know is refused, and recorded).
   * @throws {RelayError} METER_UNKNOWN naming the first unknown meter.
   */
  async requireRegistered(worldId: string | null, meterIds: readonly string[], what: string): Promise<void> {
    const unique = [...new Set(meterIds)];
    const rows = await this.db.dccMeter.findMany({ where: { meterId: { in: unique } }, select: { meterId: true, worldId: true } });
    const known = new Map(rows.map((row) => [row.meterId, row.worldId]));
    const unknown = unique.find((meterId) => !known.has(meterId) || (worldId !== null && known.get(meterId) !== worldId));
    if (unknown === undefined) return;
    const error = new RelayError('METER_UNKNOWN', `${what}: meter ${unknown} is not registered${worldId ? ` in world ${worldId}` : ''}; register it first (POST /api/dcc/meters)`);
    await this.recordRefusal(error, { worldId, meterId: unknown, partyId: null, messageId: null }, 0);
    throw error;
  }

  /** Downlink commands queued for the given meters, oldest first per channel. */
  async pendingDownlinks(worldId: string, meterIds: readonly string[]): Promise<PendingDownlink[]> {
    const claimed = await this.queue.claim({ direction: 'downlink', worldId, meterIds });
    return claimed.map((message) => ({ messageId: message.messageId, meterId: message.meterId, envelope: message.envelope }));
  }

  /** Marks downlink commands a meter's hub took as delivered; their sealed bytes are dropped. */
  async acknowledgeDownlinks(meterId: string, messageIds: readonly string[]): Promise<number> {
    return this.queue.ack(messageIds, { meterId, direction: 'downlink' });
  }

  /**
   * Delivers queued uplinks to their parties, in order per channel. A failure leaves the message
   * queued (attempts counted); after `maxAttempts` it moves to the dead-letter list. A message the
   * party refused for good ({@link DeliveryRefusedError}) moves there at once, and its channel
   * carries on with the next.
   */
  async drain(filter: { messageId?: string; limit?: number } = {}): Promise<{ delivered: number; failed: number }> {
    let delivered = 0;
    let failed = 0;
    let refused = 0;
    const budget = filter.limit ?? 500;
    // Each round claims the head of every channel and delivers them concurrently. A failed head
    // is released by nack (with the queue's retry delay) and the drain stops after that round:
    // per-channel order means nothing behind a failed message may go first.
    for (;;) {
      const claimed = await this.queue.claim({ direction: 'uplink', leaseMs: this.leaseMs, limit: budget - delivered - failed - refused, ...(filter.messageId ? { messageId: filter.messageId } : {}) });
      if (claimed.length === 0) break;
      let roundFailed = 0;
      await Promise.all(
        claimed.map(async (message) => {
          try {
            await this.transport.deliver(message.partyId, message.envelope);
            await this.queue.ack([message.messageId], { direction: 'uplink' });
            delivered++;
          } catch (error) {
            if (error instanceof DeliveryRefusedError) {
              await this.queue.deadLetter(message.messageId, `refused by the party: ${describeError(error)}`);
              refused++;
            } else {
              await this.queue.nack(message.messageId, describeError(error));
              roundFailed++;
            }
          }
        }),
      );
      failed += roundFailed;
      if (roundFailed > 0 || filter.messageId || delivered + failed + refused >= budget) break;
    }
    return { delivered, failed: failed + refused };
  }

  /** The metadata log of a world, newest first. */
  async metadataLog(worldId: string, limit = 200): Promise<MetadataRecord[]> {
    return (await this.queue.list({ worldId, limit })).map(toMetadataRecord);
  }

  /** The metadata log across worlds, filtered (world, meter, party, class, state), newest first. */
  async messages(filter: QueueListFilter): Promise<QueueRecord[]> {
    return this.queue.list(filter);
  }

  /** Queued messages per channel. */
  async queueDepth(worldId?: string): Promise<ChannelDepth[]> {
    return this.queue.depth(worldId ? { worldId } : {});
  }

  /** Dead letters, newest first. */
  async deadLetters(filter: { worldId?: string; limit?: number } = {}): Promise<QueueRecord[]> {
    return this.queue.list({ ...filter, state: 'dead' });
  }

  /**
   * Puts a dead letter back in its queue and tries to deliver it at once.
   * @throws {RelayError} NOT_FOUND when `messageId` is not a dead letter with its bytes.
   */
  async retryDeadLetter(messageId: string): Promise<{ delivered: boolean }> {
    if (!(await this.queue.retry(messageId))) throw new RelayError('NOT_FOUND', `dead letter ${messageId} not found: it may have been retried already — reload the list`);
    const result = await this.drain({ messageId });
    return { delivered: result.delivered === 1 };
  }

  /** Refused requests, newest first (metadata and reason only). */
  async refusals(filter: { worldId?: string; code?: string; partyId?: string; limit?: number } = {}): Promise<RefusalRecord[]> {
    const rows = await this.db.dccRefusal.findMany({
      where: {
        ...(filter.worldId ? { worldId: filter.worldId } : {}),
        ...(filter.code ? { code: filter.code } : {}),
        ...(filter.partyId ? { partyId: filter.partyId } : {}),
      },
      orderBy: { receivedAt: 'desc' },
      take: Math.min(Math.max(filter.limit ?? 200, 1), 1000),
    });
    return rows.map((row) => ({ ...row, receivedAt: row.receivedAt.toISOString() }));
  }

  /** Message counts and bytes of a world by direction. */
  async stats(worldId: string): Promise<{ messages: number; bytes: number; queued: number; dead: number; refused: number }> {
    const [all, queued, dead, refused] = await Promise.all([
      this.db.dccMessage.aggregate({ where: { worldId }, _count: { _all: true }, _sum: { sizeBytes: true } }),
      this.db.dccMessage.count({ where: { worldId, state: 'queued' } }),
      this.db.dccMessage.count({ where: { worldId, state: 'dead' } }),
      this.db.dccRefusal.count({ where: { worldId } }),
    ]);
    return { messages: all._count._all, bytes: all._sum.sizeBytes ?? 0, queued, dead, refused };
  }

  /**
   * Records a party's enrolment on a meter from the meter's device-signed proof of consent (DESIGN.md
   * message catalog, "enrolment"), then tells the party: an admission announces the meter's domain,
   * a withdrawal retracts it and the relay routes nothing more between them.
   * @param partyId - the party the caller authenticated as; the statement must name it.
   * @throws {RelayError} ENVELOPE_MALFORMED for a malformed proof; FORBIDDEN for a statement about
   *   another party; ROLE_NOT_ELIGIBLE for a party that needs no consent; METER_UNKNOWN /
   *   ROUTE_INVALID for a meter not registered in that world or without the party's domain;
   *   SIGNATURE_INVALID when the signature does not verify against the meter's registered device
   *   key; CONSENT_STALE for a sequence not above the last one. Each is recorded; nothing changes.
   */
  async enrol(partyId: string, proof: unknown): Promise<{ meterId: string; state: 'admitted' | 'withdrawn' }> {
    const size = JSON.stringify(proof ?? null).length;
    let where: { worldId: string | null; meterId: string | null; partyId: string | null; messageId: string | null } = { worldId: null, meterId: null, partyId, messageId: null };
    try {
      const { statement, bytes, signature } = parseConsentProof(proof);
      where = { worldId: statement.worldId, meterId: statement.meterId, partyId, messageId: null };
      if (statement.partyId !== partyId) throw new RelayError('FORBIDDEN', `enrolment: authenticated as ${partyId} but the proof admits ${statement.partyId}; carry only proofs for your own service`);
      if (!needsConsent(partyId)) throw new RelayError('ROLE_NOT_ELIGIBLE', `enrolment: ${partyId} needs no householder consent; only ${CONSENT_PARTIES.join(', ')} enrol`);
      if (APPLET_OWNERS[statement.appletId] !== partyId) throw new RelayError('ROUTE_INVALID', `enrolment: ${statement.appletId} is not ${partyId}'s applet`);
      const meter = await this.db.dccMeter.findUnique({ where: { meterId: statement.meterId } });
      if (!meter || meter.worldId !== statement.worldId) throw new RelayError('METER_UNKNOWN', `enrolment: meter ${statement.meterId} is not registered in world ${statement.worldId}`);
      const domain = await this.db.dccSecurityDomain.findUnique({ where: { meterId_partyId: { meterId: statement.meterId, partyId } } });
      if (!domain) throw new RelayError('ROUTE_INVALID', `enrolment: meter ${statement.meterId} has no security domain for ${partyId}`);
      if (!(await verifyMessageFast(signature, bytes, meter.devicePublicKey))) {
        throw new RelayError('SIGNATURE_INVALID', `enrolment: the proof is not signed by meter ${statement.meterId}'s registered device key`);
      }
      const existing = await this.db.dccEnrolment.findUnique({ where: { meterId_partyId: { meterId: statement.meterId, partyId } } });
      if (existing && statement.sequence <= existing.sequence) {
        throw new RelayError('CONSENT_STALE', `enrolment: sequence ${statement.sequence} is not above ${existing.sequence}, the meter's last proof; ask the householder for a fresh one`);
      }
      const state = statement.admitted ? 'admitted' : 'withdrawn';
      await this.db.dccEnrolment.upsert({
        where: { meterId_partyId: { meterId: statement.meterId, partyId } },
        create: { meterId: statement.meterId, partyId, worldId: statement.worldId, sequence: statement.sequence, state },
        update: { sequence: statement.sequence, state },
      });
      if (statement.admitted) {
        await this.transport.announceMeter(partyId, { worldId: statement.worldId, meterId: statement.meterId, aid: domain.aid, domainPublicKey: bytesToHex(domain.publicKey) });
      } else {
        // Nothing more travels between them: what is still queued either way is stopped, visibly.
        for (const message of await this.queue.list({ meterId: statement.meterId, partyId, state: 'queued', limit: 1000 })) {
          await this.queue.deadLetter(message.messageId, `consent withdrawn: the householder of ${statement.meterId} withdrew ${partyId}; the relay routes nothing more between them`);
        }
        await this.transport.withdrawMeter(partyId, { worldId: statement.worldId, meterId: statement.meterId });
      }
      return { meterId: statement.meterId, state };
    } catch (error) {
      if (error instanceof RelayError) await this.recordRefusal(error, where, size);
      throw error;
    }
  }

  /** Enrolments (admitted and withdrawn), newest first. */
  async enrolments(filter: { worldId?: string; partyId?: string; limit?: number } = {}): Promise<EnrolmentRecord[]> {
    const rows = await this.db.dccEnrolment.findMany({
      where: { ...(filter.worldId ? { worldId: filter.worldId } : {}), ...(filter.partyId ? { partyId: filter.partyId } : {}) },
      orderBy: { updatedAt: 'desc' },
      take: Math.min(Math.max(filter.limit ?? 200, 1), 1000),
    });
    return rows.map((row) => ({ worldId: row.worldId, meterId: row.meterId, partyId: row.partyId, state: row.state, sequence: row.sequence, updatedAt: row.updatedAt.toISOString() }));
  }

  private async admitted(meterId: string, partyId: string): Promise<boolean> {
    const enrolment = await this.db.dccEnrolment.findUnique({ where: { meterId_partyId: { meterId, partyId } } });
    return enrolment?.state === 'admitted';
  }

  /** Only the householder's consent admits a consent-gated party (telecare) to a meter. */
  private async requireConsent(meterId: string, partyId: string, what: string): Promise<void> {
    if (!needsConsent(partyId) || (await this.admitted(meterId, partyId))) return;
    throw new RelayError('CONSENT_REQUIRED', `${what}: only the householder's consent admits ${partyId} to meter ${meterId}, and the meter has no standing proof of consent`);
  }

  private async requireDomain(meterId: string, partyId: string): Promise<void> {
    const domain = await this.db.dccSecurityDomain.findUnique({ where: { meterId_partyId: { meterId, partyId } } });
    if (!domain) throw new RelayError('ROUTE_INVALID', `meter ${meterId} has no security domain for ${partyId}`);
  }

  private async enqueue(envelope: Envelope, bytes: Uint8Array): Promise<AcceptResult> {
    const { header } = envelope;
    const status = await this.queue.enqueue({
      messageId: header.messageId,
      worldId: header.worldId,
      direction: header.direction,
      meterId: header.meterId,
      partyId: header.partyId,
      appletId: header.appletId,
      messageClass: header.messageClass,
      digest: bytesToHex(sha256(bytes)),
      envelope: bytes,
      ...(header.direction === 'uplink' && header.correlationId ? { completes: header.correlationId } : {}),
    });
    if (header.direction === 'downlink' && status === 'accepted') this.downlinkSignal.notify(header.worldId, header.meterId);
    return { messageId: header.messageId, status };
  }

  private limit(buckets: TokenBuckets, who: string, key: string, what: string): void {
    const taken = buckets.take(key);
    if (taken.ok) return;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    throw new RelayError('RATE_LIMITED', `${who} is sending ${what} faster than its allowance; wait ${seconds} s (Retry-After) and send again`, { retryAfterSeconds: seconds });
  }

  private async recordRefusal(
    error: RelayError,
    where: { worldId: string | null; meterId: string | null; partyId: string | null; messageId: string | null },
    sizeBytes: number,
  ): Promise<void> {
    await this.db.dccRefusal.create({
      data: { id: bytesToHex(this.random(16)), ...where, code: error.code satisfies RelayErrorCode, reason: error.message, sizeBytes },
    });
  }

  /** Runs `work`; a RelayError is recorded as a refusal (metadata only) and rethrown. */
  private async refusing<T>(bytes: Uint8Array, partyId: string | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RelayError) {
        let header: Partial<Envelope['header']> = {};
        try {
          header = decodeEnvelope(bytes).header;
        } catch {
          // An undecodable envelope is refused with no routing fields.
        }
        await this.recordRefusal(
          error,
          { worldId: header.worldId ?? null, meterId: header.meterId ?? null, partyId: partyId ?? header.partyId ?? null, messageId: header.messageId ?? null },
          bytes instanceof Uint8Array ? bytes.length : 0,
        );
      }
      throw error;
    }
  }
}

function parseKey(field: string, hex: string): Uint8Array<ArrayBuffer> {
  if (typeof hex !== 'string' || !/^(02|03)[0-9a-fA-F]{64}$/.test(hex)) throw new RelayError('ENVELOPE_MALFORMED', `${field}: expected a 33-byte compressed P-256 key in hex`);
  return copyBytes(hexToBytes(hex));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : 'delivery failed';
}

function toMetadataRecord(record: QueueRecord): MetadataRecord {
  return {
    messageId: record.messageId,
    direction: record.direction,
    meterId: record.meterId,
    partyId: record.partyId,
    appletId: record.appletId,
    messageClass: record.messageClass,
    sizeBytes: record.sizeBytes,
    state: record.state,
    attempts: record.attempts,
    worldTime: record.worldTime,
    receivedAt: record.receivedAt,
    deliveredAt: record.deliveredAt,
  };
}
