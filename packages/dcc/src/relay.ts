/**
 * The DCC relay core: registers meters and parties, accepts uplink and downlink envelopes,
 * queues them (store-and-forward, in order per channel), delivers uplinks to parties and hands
 * downlink commands to meters when they wake. It keeps metadata and, until delivery, the opaque
 * sealed envelope — never a payload in plain, because it holds no channel key.
 *
 * Transport-agnostic: parties are reached through a `PartyTransport` (HTTP in the web app,
 * direct calls in a headless run).
 */
import { bytesToHex, copyBytes, hexToBytes, verifyMessageFast, type RandomSource } from '@hydra/globalplatform';
import type { DbClient } from '@hydra/db';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeEnvelope, type Envelope } from './envelope';
import { downlinkRefusal, uplinkRefusal } from './eligibility';
import { RelayError } from './errors';
import type { IssuedCertificates, ManufacturerCa } from './manufacturer-ca';

/** What a party answers when the relay delivers an uplink. */
export type DeliveryOutcome = 'accepted' | 'already-delivered';

/** How the relay reaches parties. */
export interface PartyTransport {
  /** Delivers an uplink envelope to its party. Throws when the party cannot be reached. */
  deliver(partyId: string, envelope: Uint8Array): Promise<DeliveryOutcome>;
  /** Tells a party that a meter with its security domain registered. */
  announceMeter(partyId: string, announcement: MeterAnnouncement): Promise<void>;
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
}

const DEAD_AFTER = 8;

/** The relay. */
export class Relay {
  private readonly db: DbClient;
  private readonly transport: PartyTransport;
  private readonly random: RandomSource;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly manufacturer: ManufacturerCa;

  constructor(options: RelayOptions) {
    this.manufacturer = options.manufacturer;
    this.db = options.db;
    this.transport = options.transport;
    this.random = options.random;
    this.maxAttempts = options.maxAttempts ?? DEAD_AFTER;
    this.now = options.now;
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
   * Re-registering with the same keys is a no-op for the parties; new keys replace old ones.
   * @returns the certificates for the meter to install.
   */
  async registerMeter(request: MeterRegistrationRequest): Promise<{ certificates: IssuedCertificates }> {
    const devicePublicKey = parseKey('device public key', request.devicePublicKey);
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
      if (known.get(domain.partyId) === domain.publicKey.toLowerCase()) continue;
      await this.transport.announceMeter(domain.partyId, { worldId: request.worldId, meterId: request.meterId, aid: domain.aid, domainPublicKey: domain.publicKey.toLowerCase() });
    }
    return { certificates };
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
      const refusal = uplinkRefusal(header.partyId, header.appletId, header.messageClass);
      if (refusal) throw new RelayError('ROUTE_INVALID', `uplink: ${refusal}`);
      await this.requireDomain(header.meterId, header.partyId);
      return this.enqueue(envelope, bytes, false);
    });
    if (result.status === 'accepted') await this.drain({ messageId: result.messageId });
    return result;
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
      if (header.partyId !== partyId) throw new RelayError('FORBIDDEN', `downlink: authenticated as ${partyId} but the envelope claims ${header.partyId}`);
      if (envelope.signature) throw new RelayError('ENVELOPE_MALFORMED', 'downlink: party envelopes are not device-signed');
      const refusal = downlinkRefusal(partyId, header.appletId, header.messageClass);
      if (refusal) throw new RelayError('ROLE_NOT_ELIGIBLE', `downlink: ${refusal}`);
      const meter = await this.db.dccMeter.findUnique({ where: { meterId: header.meterId } });
      if (!meter || meter.worldId !== header.worldId) throw new RelayError('METER_UNKNOWN', `downlink: meter ${header.meterId} is not registered`);
      await this.requireDomain(header.meterId, partyId);
      return this.enqueue(envelope, bytes, true);
    });
  }

  /** Downlink commands queued for the given meters, oldest first per channel. */
  async pendingDownlinks(worldId: string, meterIds: readonly string[]): Promise<PendingDownlink[]> {
    const rows = await this.db.dccMessage.findMany({
      where: { worldId, direction: 'downlink', state: 'queued', meterId: { in: [...meterIds] } },
      orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }, { sequence: 'asc' }],
    });
    return rows.flatMap((row) => (row.envelope ? [{ messageId: row.id, meterId: row.meterId, envelope: copyBytes(row.envelope) }] : []));
  }

  /** Marks downlink commands a meter's hub took as delivered; their sealed bytes are dropped. */
  async acknowledgeDownlinks(meterId: string, messageIds: readonly string[]): Promise<number> {
    const result = await this.db.dccMessage.updateMany({
      where: { meterId, direction: 'downlink', state: 'queued', id: { in: [...messageIds] } },
      data: { state: 'delivered', envelope: null, deliveredAt: this.now() },
    });
    return result.count;
  }

  /**
   * Delivers queued uplinks to their parties, in order per channel. A failure leaves the message
   * queued (attempts counted); after `maxAttempts` it moves to the dead-letter list.
   */
  async drain(filter: { messageId?: string; limit?: number } = {}): Promise<{ delivered: number; failed: number }> {
    const rows = await this.db.dccMessage.findMany({
      where: { direction: 'uplink', state: 'queued', ...(filter.messageId ? { id: filter.messageId } : {}) },
      orderBy: [{ meterId: 'asc' }, { partyId: 'asc' }, { sequence: 'asc' }],
      take: filter.limit ?? 500,
    });
    let delivered = 0;
    let failed = 0;
    const blocked = new Set<string>();
    for (const row of rows) {
      const channel = `${row.meterId}/${row.partyId}`;
      if (blocked.has(channel) || !row.envelope) continue;
      try {
        await this.transport.deliver(row.partyId, copyBytes(row.envelope));
        await this.db.dccMessage.update({ where: { id: row.id }, data: { state: 'delivered', envelope: null, deliveredAt: this.now(), attempts: row.attempts + 1 } });
        delivered++;
      } catch (error) {
        const attempts = row.attempts + 1;
        const dead = attempts >= this.maxAttempts;
        await this.db.dccMessage.update({
          where: { id: row.id },
          data: { attempts, state: dead ? 'dead' : 'queued', lastError: describeError(error) },
        });
        // Keep per-channel order: nothing behind a failed message goes first.
        blocked.add(channel);
        failed++;
      }
    }
    return { delivered, failed };
  }

  /** The metadata log of a world, newest first. */
  async metadataLog(worldId: string, limit = 200): Promise<MetadataRecord[]> {
    const rows = await this.db.dccMessage.findMany({ where: { worldId }, orderBy: [{ receivedAt: 'desc' }, { sequence: 'desc' }], take: limit });
    return rows.map((row) => ({
      messageId: row.id,
      direction: row.direction,
      meterId: row.meterId,
      partyId: row.partyId,
      appletId: row.appletId,
      messageClass: row.messageClass,
      sizeBytes: row.sizeBytes,
      state: row.state,
      attempts: row.attempts,
      worldTime: row.worldTime.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
      deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
    }));
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

  private async requireDomain(meterId: string, partyId: string): Promise<void> {
    const domain = await this.db.dccSecurityDomain.findUnique({ where: { meterId_partyId: { meterId, partyId } } });
    if (!domain) throw new RelayError('ROUTE_INVALID', `meter ${meterId} has no security domain for ${partyId}`);
  }

  private async enqueue(envelope: Envelope, bytes: Uint8Array, downlink: boolean): Promise<AcceptResult> {
    const { header } = envelope;
    const digest = bytesToHex(sha256(bytes));
    return this.db.$transaction(async (tx) => {
      const existing = await tx.dccMessage.findUnique({ where: { id: header.messageId } });
      if (existing) {
        // DESIGN.md Decision 7: a byte-identical redelivery is "already delivered"; other bytes under the same id are a replay.
        if (existing.digest === digest) return { messageId: header.messageId, status: 'already-delivered' as const };
        throw new RelayError('MESSAGE_ID_REUSED', `message ${header.messageId} was already accepted with other bytes`);
      }
      const world = await tx.world.findUnique({ where: { id: header.worldId }, select: { clock: true } });
      if (!world) throw new RelayError('NOT_FOUND', `world ${header.worldId} does not exist`);
      const last = await tx.dccMessage.findFirst({
        where: { meterId: header.meterId, partyId: header.partyId, direction: header.direction },
        orderBy: { sequence: 'desc' },
        select: { sequence: true },
      });
      await tx.dccMessage.create({
        data: {
          id: header.messageId,
          worldId: header.worldId,
          direction: header.direction,
          meterId: header.meterId,
          partyId: header.partyId,
          appletId: header.appletId,
          messageClass: header.messageClass,
          sizeBytes: bytes.length,
          digest,
          state: 'queued',
          envelope: copyBytes(bytes),
          sequence: (last?.sequence ?? 0) + 1,
          worldTime: world.clock,
        },
      });
      if (!downlink && header.correlationId) {
        // A response is the meter's acknowledgement of the command it answers.
        await tx.dccMessage.updateMany({
          where: { id: header.correlationId, meterId: header.meterId, direction: 'downlink', state: 'queued' },
          data: { state: 'delivered', envelope: null, deliveredAt: this.now() },
        });
      }
      return { messageId: header.messageId, status: 'accepted' as const };
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
        await this.db.dccRefusal.create({
          data: {
            id: bytesToHex(this.random(16)),
            worldId: header.worldId ?? null,
            meterId: header.meterId ?? null,
            partyId: partyId ?? header.partyId ?? null,
            messageId: header.messageId ?? null,
            code: error.code,
            reason: error.message,
            sizeBytes: bytes instanceof Uint8Array ? bytes.length : 0,
          },
        });
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
