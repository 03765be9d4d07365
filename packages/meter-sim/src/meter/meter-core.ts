/// <reference types="ses" />
/**
 * The meter core: one home's secure element as the walking skeleton needs it — a device key, one
 * security domain per party with its own channel keys, the applets installed in those domains
 * (each in its own SES compartment), the metrology feed, and the command path. The core only
 * answers: every uplink item is the response to a party's command (DESIGN.md Decision 5).
 *
 * Its whole state is a plain JSON object (`MeterState`) so a host can persist it (IndexedDB in the
 * browser, a file for the CLI) after each step: outbox, applet storage and pending uplinks change
 * together (Decision 7).
 */
import {
  bytesToBase64Url,
  bytesToHex,
  createEcdhChannel,
  generateKeyPair,
  hexToBytes,
  routingHeaderAad,
  decodePayload,
  encodePayload,
  PayloadError,
  signMessage,
  type RandomSource,
  type RoutingHeader,
  type SecureChannel,
} from '@hydra/globalplatform';
import { addDays, londonDay, type LocalDate } from '../calendar';
import type { AppletInstance, AppletManifest, Json } from '../secure-element/applet';
import { instantiateApplet, type AppletModule } from '../secure-element/applet-runtime';


/** One party's security domain on the card. Keys are hex; the state never leaves the host. */
export interface SecurityDomainState {
  partyId: string;
  aid: string;
  privateKey: string;
  publicKey: string;
  /** The party's channel public key, learned at registration. */
  partyPublicKey: string | null;
}

/** An item waiting in an applet's outbox for its owner's next collect command. */
export interface OutboxItem {
  messageClass: string;
  body: { [key: string]: Json };
}

/** An installed applet instance's persistent state. */
export interface AppletState {
  appletId: string;
  version: string;
  domain: string;
  storage: { [key: string]: Json };
  outbox: OutboxItem[];
}

/** A sealed response waiting to be accepted by the relay; redelivered byte-identical until then. */
export interface PendingUplink {
  header: RoutingHeader;
  /** base64url of the sealed payload. */
  sealed: string;
}

/** Everything the core keeps. Plain JSON. */
export interface MeterState {
  version: 1;
  worldId: string;
  meterId: string;
  device: { privateKey: string; publicKey: string };
  domains: { [partyId: string]: SecurityDomainState };
  applets: { [appletId: string]: AppletState };
  /** First local date not yet fed to the applets. */
  nextDate: LocalDate;
  /** Recently handled command ids, newest last (dedupe of redelivered commands). */
  handledCommands: string[];
  pendingUplinks: PendingUplink[];
  /** Refused commands, newest last (kept short): what came and why. */
  refusals: { messageId: string; partyId: string; reason: string }[];
}

/** What the relay needs to register a meter: public keys only. */
export interface MeterRegistration {
  worldId: string;
  meterId: string;
  devicePublicKey: string;
  domains: { partyId: string; aid: string; publicKey: string }[];
}

/** A downlink message as the comms hub hands it to the core. */
export interface SealedMessage {
  header: RoutingHeader;
  sealed: Uint8Array;
}

/** The metrology source for one home: integer Wh per half hour for a local day. */
export type MetrologySource = (date: LocalDate) => { importWh: ArrayLike<number>; exportWh: ArrayLike<number> };

/** Options for {@link createMeterState}. */
export interface CreateMeterOptions {
  worldId: string;
  meterId: string;
  startDate: LocalDate;
  /** Party id → AID of its security domain. */
  parties: { partyId: string; aid: string }[];
  /** Applets to install at manufacture: id, version and owning party. */
  applets: { appletId: string; version: string; domain: string }[];
  random: RandomSource;
}

const MAX_HANDLED = 256;
const MAX_REFUSALS = 32;

/** Generates a fresh meter's state: device and domain keys from the secure random source, never the seed. */
export function createMeterState(options: CreateMeterOptions): MeterState {
  const device = generateKeyPair(options.random);
  const domains: MeterState['domains'] = {};
  for (const { partyId, aid } of options.parties) {
    const keys = generateKeyPair(options.random);
    domains[partyId] = { partyId, aid, privateKey: bytesToHex(keys.privateKey), publicKey: bytesToHex(keys.publicKey), partyPublicKey: null };
  }
  const applets: MeterState['applets'] = {};
  for (const { appletId, version, domain } of options.applets) {
    if (!domains[domain]) throw new RangeError(`applet ${appletId}: no security domain for party ${domain}`);
    applets[appletId] = { appletId, version, domain, storage: {}, outbox: [] };
  }
  return {
    version: 1,
    worldId: options.worldId,
    meterId: options.meterId,
    device: { privateKey: bytesToHex(device.privateKey), publicKey: bytesToHex(device.publicKey) },
    domains,
    applets,
    nextDate: options.startDate,
    handledCommands: [],
    pendingUplinks: [],
    refusals: [],
  };
}

/** Error for a command the core refuses; `status` is the ISO 7816-4 status word it answers with. */
export class MeterCommandError extends Error {
  readonly code = 'METER_COMMAND_REFUSED';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MeterCommandError';
  }
}

/** Options for {@link MeterCore}. */
export interface MeterCoreOptions {
  state: MeterState;
  /** Published applet modules by id (already verified by the host). */
  modules: { [appletId: string]: AppletModule };
  metrology: MetrologySource;
  random: RandomSource;
}

/**
 * A running meter core around a `MeterState`. Methods mutate `state` in place; the host persists
 * `state` after each call returns (a call either completes or throws before changing anything
 * that matters).
 */
export class MeterCore {
  readonly state: MeterState;
  private readonly random: RandomSource;
  private readonly metrology: MetrologySource;
  private readonly instances = new Map<string, { manifest: AppletManifest; instance: AppletInstance }>();
  private readonly channels = new Map<string, SecureChannel>();

  constructor(options: MeterCoreOptions) {
    this.state = options.state;
    this.random = options.random;
    this.metrology = options.metrology;
    for (const applet of Object.values(this.state.applets)) {
      const module = options.modules[applet.appletId];
      if (!module) throw new RangeError(`applet ${applet.appletId}: no published module available`);
      this.instances.set(applet.appletId, instantiateApplet(module, this.capabilitiesFor(applet)));
    }
  }

  /** The public half of the meter's identity, for registration with the relay. */
  registration(): MeterRegistration {
    return {
      worldId: this.state.worldId,
      meterId: this.state.meterId,
      devicePublicKey: this.state.device.publicKey,
      domains: Object.values(this.state.domains).map(({ partyId, aid, publicKey }) => ({ partyId, aid, publicKey })),
    };
  }

  /** Records a party's channel public key (from the relay's party registry). */
  setPartyKey(partyId: string, publicKeyHex: string): void {
    const domain = this.state.domains[partyId];
    if (!domain) throw new RangeError(`party ${partyId}: no security domain on meter ${this.state.meterId}`);
    if (domain.partyPublicKey !== publicKeyHex) {
      domain.partyPublicKey = publicKeyHex;
      this.channels.delete(partyId);
    }
  }

  /** Signs envelope bytes with the device key (the relay checks it against the registered certificate). */
  sign(bytes: Uint8Array): Uint8Array {
    return signMessage(bytes, hexToBytes(this.state.device.privateKey));
  }

  /**
   * Feeds every complete local day before `untilDate` (exclusive) to the applets holding the
   * metrology capability. Returns the number of days fed.
   */
  advanceTo(untilDate: LocalDate): number {
    let days = 0;
    while (this.state.nextDate < untilDate) {
      const date = this.state.nextDate;
      const day = londonDay(date);
      const reads = this.metrology(date);
      const feed = harden({
        date,
        startUtc: day.startUtc,
        halfHours: day.halfHours,
        weekday: day.weekday,
        importWh: Array.from(reads.importWh),
        exportWh: Array.from(reads.exportWh),
      });
      for (const [appletId, { manifest, instance }] of this.instances) {
        if (manifest.capabilities.includes('metrology') && instance.onMetrology) {
          this.runInApplet(appletId, () => instance.onMetrology?.(feed));
        }
      }
      this.state.nextDate = addDays(date, 1);
      days++;
    }
    return days;
  }

  /**
   * Handles one downlink command and queues its sealed response in `pendingUplinks`.
   * A command already handled (redelivery) queues nothing new. A refused command queues nothing
   * and is recorded in `refusals`.
   * @returns the response header, or null for a redelivered or refused command.
   */
  handleDownlink(message: SealedMessage): RoutingHeader | null {
    const { header } = message;
    if (this.state.handledCommands.includes(header.messageId)) return null;
    try {
      const response = this.process(message);
      this.remember(header.messageId);
      return response;
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'refused';
      this.state.refusals.push({ messageId: header.messageId, partyId: header.partyId, reason });
      if (this.state.refusals.length > MAX_REFUSALS) this.state.refusals.shift();
      return null;
    }
  }

  /** Drops pending uplinks the relay has accepted. */
  acknowledgeUplinks(messageIds: readonly string[]): void {
    const accepted = new Set(messageIds);
    this.state.pendingUplinks = this.state.pendingUplinks.filter((uplink) => !accepted.has(uplink.header.messageId));
  }

  private process(message: SealedMessage): RoutingHeader {
    const { header, sealed } = message;
    if (header.direction !== 'downlink' || header.meterId !== this.state.meterId || header.worldId !== this.state.worldId) {
      throw new MeterCommandError(0x6a88, 'command: not addressed to this meter');
    }
    const applet = this.state.applets[header.appletId];
    const domain = this.state.domains[header.partyId];
    // Firewall: a party's channel reaches only the applets in that party's own security domain.
    if (!applet || !domain || applet.domain !== header.partyId) {
      throw new MeterCommandError(0x6a82, `command: applet ${header.appletId} is not reachable through ${header.partyId}'s security domain`);
    }
    const channel = this.channel(header.partyId);
    let document: { [key: string]: Json };
    try {
      document = decodePayload(channel.open(sealed, routingHeaderAad(header)));
    } catch (error) {
      if (error instanceof PayloadError) throw new MeterCommandError(0x6a80, error.message);
      throw new MeterCommandError(0x6982, 'command: failed channel authentication');
    }
    const name = document.command;
    const body = document.body;
    if (typeof name !== 'string' || !body || typeof body !== 'object' || Array.isArray(body)) {
      throw new MeterCommandError(0x6a80, 'command: expected { command, body }');
    }
    let responseBody: { [key: string]: Json };
    if (name === 'collect') {
      // The card manager answers a collect with the applet's outbox, drained in one step.
      responseBody = { status: 0x9000, items: applet.outbox.map((item) => ({ messageClass: item.messageClass, body: item.body })) };
      applet.outbox = [];
    } else {
      const running = this.instances.get(applet.appletId);
      if (!running?.instance.process) throw new MeterCommandError(0x6d00, `command: applet ${applet.appletId} takes no commands`);
      const result = this.runInApplet(applet.appletId, () => running.instance.process?.(harden({ name, body })));
      responseBody = { status: result?.status ?? 0x6f00, body: result?.body ?? {} };
    }
    const responseHeader: RoutingHeader = {
      messageId: bytesToHex(this.random(16)),
      worldId: this.state.worldId,
      meterId: this.state.meterId,
      partyId: header.partyId,
      appletId: header.appletId,
      messageClass: name === 'collect' ? 'collect-response' : `${name}-response`,
      direction: 'uplink',
      correlationId: header.messageId,
    };
    const payload = encodePayload({ command: name, response: responseBody });
    const responseSealed = channel.seal(payload, routingHeaderAad(responseHeader));
    this.state.pendingUplinks.push({ header: responseHeader, sealed: bytesToBase64Url(responseSealed) });
    return responseHeader;
  }

  /** Runs applet code; if it throws, its storage and outbox are rolled back to before the call. */
  private runInApplet<T>(appletId: string, run: () => T): T {
    const applet = this.state.applets[appletId];
    if (!applet) throw new RangeError(`applet ${appletId}: not installed`);
    const before = JSON.stringify({ storage: applet.storage, outbox: applet.outbox });
    try {
      return run();
    } catch (error) {
      const restored = JSON.parse(before) as { storage: AppletState['storage']; outbox: OutboxItem[] };
      applet.storage = restored.storage;
      applet.outbox = restored.outbox;
      throw error;
    }
  }

  private remember(messageId: string): void {
    this.state.handledCommands.push(messageId);
    if (this.state.handledCommands.length > MAX_HANDLED) this.state.handledCommands.shift();
  }

  private channel(partyId: string): SecureChannel {
    const cached = this.channels.get(partyId);
    if (cached) return cached;
    const domain = this.state.domains[partyId];
    if (!domain?.partyPublicKey) throw new MeterCommandError(0x6985, `command: no channel to ${partyId} yet`);
    const channel = createEcdhChannel({
      role: 'card',
      privateKey: hexToBytes(domain.privateKey),
      peerPublicKey: hexToBytes(domain.partyPublicKey),
      context: `${this.state.meterId}/${partyId}`,
      random: this.random,
    });
    this.channels.set(partyId, channel);
    return channel;
  }

  private capabilitiesFor(applet: AppletState) {
    const state = this.state;
    const current = () => {
      const found = state.applets[applet.appletId];
      if (!found) throw new RangeError(`applet ${applet.appletId}: uninstalled`);
      return found;
    };
    const copy = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;
    return {
      storage: {
        get: (key: string) => {
          const value = current().storage[key];
          return value === undefined ? undefined : harden(copy(value));
        },
        set: (key: string, value: Json) => {
          current().storage[key] = copy(value);
        },
        delete: (key: string) => {
          delete current().storage[key];
        },
        keys: () => harden(Object.keys(current().storage)),
      },
      outbox: {
        put: (messageClass: string, body: { [key: string]: Json }) => {
          // The privacy contract: an applet may queue only the message classes its manifest declares.
          const sends = this.instances.get(applet.appletId)?.manifest.sends ?? [];
          if (!sends.includes(messageClass)) throw new RangeError(`applet ${applet.appletId}: may not send ${messageClass}`);
          current().outbox.push({ messageClass, body: copy(body) as { [key: string]: Json } });
        },
        size: () => current().outbox.length,
      },
      clock: { now: () => londonDay(state.nextDate).startUtc },
    };
  }
}
