/**
 * The meter core: one home's GlobalPlatform secure element (`SecureElement`, card manager and
 * security domains in `../secure-element`) plus what the meter host keeps around it — the device
 * key that signs uplink envelopes, the metrology feed, and the uplinks not yet accepted by the
 * relay. The core only answers: every uplink is the response APDU to a party's command APDU
 * (DESIGN.md Decision 5), carried opaquely by the relay.
 *
 * Manufacture (DESIGN.md Decisions 2, 3): every key from the injected secure random source, never
 * the seed; one supplementary security domain per party, personalised with the controlling
 * authority's DAP key; the factory applets loaded and installed through real INSTALL [for load],
 * LOAD and INSTALL [for install] APDUs under SCP03 (the card verifies each package's DAP); the
 * domains' SCP11 keys certified later, at registration, by the manufacturer CA server-side.
 *
 * Routing headers are bound at the APDU level (see `bindingRefusal`): the session keys bind the
 * meter and the party's own domain, the C-MAC chain binds order and makes each wrapped command
 * single-use, and the message class must match the APDU header the C-MAC covers.
 *
 * The whole state is plain JSON (`MeterState`, the secure element's state inside): the host
 * persists it after each step, so applet storage, outbox, session counters and pending uplinks
 * change together (Decision 7).
 */
import {
  bytesToBase64Url,
  bytesToHex,
  encodeResponseApdu,
  generateKeyPair,
  hexToBytes,
  nameSubjectId,
  parseCommandApdu,
  parseResponseApdu,
  signMessage,
  verifyCertificateChain,
  type CommandApdu,
  type Json,
  type RandomSource,
  type RoutingHeader,
} from '@hydra/globalplatform';
import { addDays, londonDay, type LocalDate } from '../calendar';
import { traceExchange, type ApduExchange } from './apdu-trace';
import type { AppletResponse, LoadControlWindow } from '../secure-element/applet';
import { type AppletCompiler } from '../secure-element/applet-instances';
import type { CryptoPrimitives } from '../secure-element/applet-crypto';
import { installDomainCertificates } from '../secure-element/certification';
import { appletCommand, installForInstallCommand, installForLoadCommand, loadCommands, MAX_LOAD_BLOCK, parseAppletResponse, selectCommand, storeDataCommands } from '../secure-element/commands';
import { openScp03 } from '../secure-element/host-channel';
import { appletSourceHash, buildLoadFile } from '../secure-element/load-file';
import type { Privilege } from '../secure-element/privileges';
import type { DomainRecord, Party, SecureElementState } from '../secure-element/registry';
import { hydraAid, ISSUER_AID } from '../secure-element/registry';
import { createSecureElement, SecureElement, type MetrologyInput, type ProcessResult } from '../secure-element/secure-element';
import type { MetrologyReadings } from '../host/metrology-feed';

/** A sealed response waiting to be accepted by the relay; redelivered byte-identical until then. */
export interface PendingUplink {
  header: RoutingHeader;
  /** base64url of the response APDU (wrapped under the party's SCP03 session where one is open). */
  sealed: string;
}

/** The data-sharing presets of DESIGN.md Decision 11: Hydra (monthly) or GB licence defaults (daily). */
export type SharingPreset = 'hydra' | 'gb-licence';

/** The meter state's format version; older states are re-manufactured by the host. */
export const METER_STATE_VERSION = 3;

/** Everything the core keeps. Plain JSON. */
export interface MeterState {
  version: typeof METER_STATE_VERSION;
  worldId: string;
  meterId: string;
  /** The device key pair (signs uplink envelopes) and its certificate from the manufacturer CA. */
  device: { privateKey: string; publicKey: string; certificate: string | null };
  /**
   * The householder's key pair, held by the meter host for the in-home display: it signs the
   * householder's consent decisions (data sharing, telecare), which the card checks against the
   * public half personalised at manufacture. `sequence` numbers the documents it signed, so each
   * is above every one before it (the card refuses replays).
   */
  householder: { privateKey: string; publicKey: string; sequence: number };
  /** The secure element's whole state (registry, keys, sessions, applet storage and outboxes). */
  se: SecureElementState;
  /** First local date not yet fed to the applets. */
  nextDate: LocalDate;
  /** Recently handled command ids, newest last (dedupe of redelivered commands). */
  handledCommands: string[];
  pendingUplinks: PendingUplink[];
  /** Refused commands, newest last (kept short): what came and why. */
  refusals: { messageId: string; partyId: string; reason: string }[];
}

/** What the relay needs to register and certify a meter: public keys only. */
export interface MeterRegistration {
  worldId: string;
  meterId: string;
  devicePublicKey: string;
  domains: { partyId: string; aid: string; publicKey: string }[];
}

/** Certificates the manufacturer CA returns at registration (hex). */
export interface MeterCertificates {
  meterId: string;
  deviceCertificate: string;
  domains: { aid: string; certificates: string[] }[];
}

/** A downlink command as the comms hub hands it to the core: routing header and command APDU. */
export interface SealedMessage {
  header: RoutingHeader;
  /** The command APDU bytes (plain for session set-up, CLA 84 wrapped afterwards). */
  sealed: Uint8Array;
}

/**
 * The metrology source for one home: a local day's readings (integer Wh per half hour, and where
 * the home model has them, voltage and activity), given the load-control windows the meter's
 * actuator holds — the home's demand follows them.
 */
export type MetrologySource = (date: LocalDate, controls: readonly LoadControlWindow[]) => MetrologyReadings;

/** What the factory knows about the meter it personalises. */
export interface FactoryFacts {
  meterId: string;
  /** The householder's public key (hex), for the applets that check householder consent. */
  householderKey: string;
  sharingPreset: SharingPreset;
  /** The secure random source (e.g. for a per-meter secret). */
  random: RandomSource;
}

/** An applet the factory loads, installs and personalises. */
export interface FactoryApplet {
  appletId: string;
  version: string;
  /** The party whose security domain receives it. */
  domain: string;
  /** The parts of the metrology feed it may receive (default: the registers, `metrology`). */
  privileges?: Privilege[];
  /** The body of the `personalise` command the factory sends it, if any. */
  personalise?: (facts: FactoryFacts) => { [key: string]: Json };
}

/** The signed applet catalog the factory loads from. */
export interface SignedCatalog {
  /** The controlling authority's package-signing public key (hex): every domain's DAP key. */
  publisherPublicKey: string;
  applets: { id: string; source: string; signature: string }[];
}

/** The manufacturer CA as the meter knows it: id and public key (hex). Its private key stays server-side. */
export interface ManufacturerCaInfo {
  id: string;
  publicKey: string;
}

/** Options for {@link manufactureMeterState}. */
export interface CreateMeterOptions {
  worldId: string;
  meterId: string;
  startDate: LocalDate;
  /** Party id → AID of its security domain, and the feed privileges the domain may grant. */
  parties: { partyId: string; aid: string; privileges?: Privilege[] }[];
  /** Applets to load, install and personalise at manufacture, with the owning party. */
  applets: FactoryApplet[];
  /** The world's data-sharing preset (default 'hydra'). */
  sharingPreset?: SharingPreset;
  catalog: SignedCatalog;
  ca: ManufacturerCaInfo;
  compile: AppletCompiler;
  random: RandomSource;
}

const MAX_HANDLED = 256;
const MAX_REFUSALS = 32;
/** The logical channel the factory personalises on; dropped after manufacture. */
const FACTORY_CHANNEL = 'factory';
/** Default privileges of a factory applet: it receives the registers. */
const FACTORY_APPLET_PRIVILEGES: readonly Privilege[] = ['metrology'];
/** Privileges every party domain holds besides the feed privileges it may grant (GP Table 6-1). */
const DOMAIN_PRIVILEGES: readonly Privilege[] = ['security-domain', 'dap-verification', 'authorized-management'];
/** Parties reached from outside the meter, through the relay (the householder's domain is local). */
const REMOTE_PARTIES: readonly string[] = ['supplier', 'dno', 'telecare'];

/**
 * A domain's static SCP03 keys as the factory and the meter's own local interface use them (the
 * in-home display is paired with the householder's domain, the card manager with the issuer's).
 */
export function scp03Keys(domain: DomainRecord): { enc: Uint8Array; mac: Uint8Array; dek: Uint8Array } {
  return { enc: hexToBytes(domain.scp03.enc), mac: hexToBytes(domain.scp03.mac), dek: hexToBytes(domain.scp03.dek) };
}

/** The AID an applet instance has on every meter. */
export function appletAidOf(appletId: string): string {
  return hydraAid('applet', appletId);
}

/** The billing applet's instance AID (whether the meter is commissioned is asked every day). */
const BILLING_AID = appletAidOf('billing');

/**
 * Manufactures a meter: device and domain keys from the secure random source, then the factory
 * applets loaded from the signed catalog through LOAD / INSTALL APDUs (the card verifies each DAP).
 * @throws {RangeError} when a factory applet is missing from the catalog or the card refuses it.
 */
export function manufactureMeterState(options: CreateMeterOptions): MeterState {
  const now = londonDay(options.startDate).startUtc;
  const publisher = hexToBytes(options.catalog.publisherPublicKey);
  const se = createSecureElement({
    random: options.random,
    now: () => now,
    compile: options.compile,
    ca: { id: hexToBytes(options.ca.id), publicKey: hexToBytes(options.ca.publicKey) },
    parties: options.parties.map(({ partyId, aid, privileges }) => ({
      party: partyId as Party,
      aid,
      dapPublicKey: publisher,
      ...(privileges ? { privileges: [...DOMAIN_PRIVILEGES, ...privileges] } : {}),
    })),
  });
  const householder = generateKeyPair(options.random);
  const facts: FactoryFacts = { meterId: options.meterId, householderKey: bytesToHex(householder.publicKey), sharingPreset: options.sharingPreset ?? 'hydra', random: options.random };
  for (const applet of options.applets) {
    const { appletId, domain } = applet;
    const entry = options.catalog.applets.find((candidate) => candidate.id === appletId);
    if (!entry) throw new RangeError(`factory applet ${appletId}: not in the signed catalog`);
    const sdAid = options.parties.find((party) => party.partyId === domain)?.aid;
    if (!sdAid) throw new RangeError(`factory applet ${appletId}: no security domain for party ${domain}`);
    const record = se.state.registry.domains[sdAid];
    if (!record) throw new RangeError(`factory applet ${appletId}: domain ${sdAid} missing`);
    // The factory personalises on behalf of the domain with its static SCP03 keys (GP Amendment D).
    const host = openScp03({
      port: se,
      channel: FACTORY_CHANNEL,
      sdAid,
      keys: scp03Keys(record),
      random: options.random,
    });
    const elfAid = hydraAid('elf', appletId);
    const appletAid = appletAidOf(appletId);
    const loadFile = buildLoadFile(entry.source, [{ sdAid: hexToBytes(sdAid), signature: hexToBytes(entry.signature) }]);
    const commands = [installForLoadCommand({ elfAid, hash: appletSourceHash(entry.source) }), ...loadCommands(loadFile, MAX_LOAD_BLOCK)];
    commands.push(installForInstallCommand({ elfAid, appletAid, privileges: [...(applet.privileges ?? FACTORY_APPLET_PRIVILEGES)] }));
    if (applet.personalise) commands.push(selectCommand(appletAid), appletCommand('personalise', applet.personalise(facts)));
    for (const command of commands) {
      const { sw, data } = host.send(command);
      if (sw !== 0x9000) {
        const reason = command.ins === 0xd0 ? `: ${String(parseAppletResponse(data).reason)}` : '';
        throw new RangeError(`factory applet ${appletId}: the card refused INS ${command.ins.toString(16)} with ${sw.toString(16)}${reason}`);
      }
    }
  }
  // The card manager learns whose consent optional applets need (DESIGN.md "Optional applets need consent").
  const issuer = se.state.registry.domains[ISSUER_AID];
  if (!issuer) throw new RangeError('manufacture: no issuer security domain');
  const cardManager = openScp03({ port: se, channel: FACTORY_CHANNEL, sdAid: ISSUER_AID, keys: scp03Keys(issuer), random: options.random });
  for (const command of storeDataCommands({ householderKey: facts.householderKey, meterId: options.meterId })) {
    const { sw } = cardManager.send(command);
    if (sw !== 0x9000) throw new RangeError(`manufacture: the card manager refused its personalisation with ${sw.toString(16)}`);
  }
  const { [FACTORY_CHANNEL]: _factory, ...channels } = se.state.channels;
  const device = generateKeyPair(options.random);
  return {
    version: METER_STATE_VERSION,
    worldId: options.worldId,
    meterId: options.meterId,
    device: { privateKey: bytesToHex(device.privateKey), publicKey: bytesToHex(device.publicKey), certificate: null },
    householder: { privateKey: bytesToHex(householder.privateKey), publicKey: facts.householderKey, sequence: 0 },
    se: { ...se.state, channels },
    nextDate: options.startDate,
    handledCommands: [],
    pendingUplinks: [],
    refusals: [],
  };
}

/** Options for {@link MeterCore}. */
export interface MeterCoreOptions {
  state: MeterState;
  compile: AppletCompiler;
  metrology: MetrologySource;
  random: RandomSource;
  /** Trace hook: called with both sides of every handled command (see `apdu-trace.ts`). Keep its records on the meter. */
  onExchange?: (exchange: ApduExchange) => void;
  /** Native fast paths for the applets' crypto (DESIGN.md Decision 17; default noble only). */
  primitives?: CryptoPrimitives;
}

/**
 * Why a downlink's routing header does not match its APDU, or null. The C-MAC covers CLA, INS,
 * P1, P2 and the data, so the class checked against the APDU header is bound to the party's session.
 */
function bindingRefusal(messageClass: string, command: CommandApdu, sdAid: string): string | null {
  const secured = (command.cla & 0x04) !== 0;
  if (messageClass === 'session-setup') {
    if (secured) return 'session-setup carries plain SCP11 set-up APDUs only';
    if (command.ins === 0xa4 && bytesToHex(command.data) !== sdAid) return "session-setup may select only the party's own security domain";
    if (![0xa4, 0xca, 0x88].includes(command.ins)) return `session-setup: INS ${command.ins.toString(16)} is not part of SCP11b set-up`;
    return null;
  }
  if (!secured) return `${messageClass} must be sent under secure messaging`;
  if (messageClass === 'collect') return command.ins === 0xc0 ? null : 'collect must be a COLLECT APDU';
  if (messageClass === 'applet-command') return command.ins === 0xa4 || command.ins === 0xd0 ? null : 'applet-command must be SELECT or an applet command';
  return command.ins === 0xd0 ? null : `${messageClass} must be an applet command APDU`;
}

/**
 * A running meter core around a `MeterState`. Methods update `state` in place; the host persists
 * `state` after each call returns.
 */
export class MeterCore {
  readonly state: MeterState;
  private readonly random: RandomSource;
  private readonly metrology: MetrologySource;
  private readonly se: SecureElement;
  private readonly onExchange: MeterCoreOptions['onExchange'];

  constructor(options: MeterCoreOptions) {
    if (options.state.version !== METER_STATE_VERSION) throw new TypeError(`meter state: expected version ${METER_STATE_VERSION}, got ${String(options.state.version)}`);
    this.state = options.state;
    this.random = options.random;
    this.metrology = options.metrology;
    this.onExchange = options.onExchange;
    // The card's clock is the world's: the start of the day the meter is metering.
    this.se = new SecureElement(this.state.se, {
      random: options.random,
      now: () => londonDay(this.state.nextDate).startUtc,
      compile: options.compile,
      ...(options.primitives ? { primitives: options.primitives } : {}),
    });
  }

  /** The public half of the meter's identity, for registration (and certification) with the relay. */
  registration(): MeterRegistration {
    return {
      worldId: this.state.worldId,
      meterId: this.state.meterId,
      devicePublicKey: this.state.device.publicKey,
      domains: Object.values(this.state.se.registry.domains).flatMap((domain) => (domain.party && REMOTE_PARTIES.includes(domain.party) ? [{ partyId: domain.party, aid: domain.aid, publicKey: domain.scp11.publicKey }] : [])),
    };
  }

  /** True once the device and every remotely reached party domain hold a certificate. */
  get certified(): boolean {
    return (
      this.state.device.certificate !== null &&
      Object.values(this.state.se.registry.domains).every((domain) => domain.party === null || !REMOTE_PARTIES.includes(domain.party) || domain.scp11.certificates.length > 0)
    );
  }

  /**
   * Installs the certificates the manufacturer CA returned: each must chain to the CA the card was
   * personalised with and certify exactly this meter's keys.
   * @throws {SeError|RangeError} when a certificate does not verify; nothing changes then.
   */
  installCertificates(certificates: MeterCertificates): void {
    const anchor = { id: hexToBytes(this.state.se.ca.id), publicKey: hexToBytes(this.state.se.ca.publicKey) };
    const now = londonDay(this.state.nextDate).startUtc;
    const device = verifyCertificateChain([hexToBytes(certificates.deviceCertificate)], { trustAnchors: [anchor], now: Math.floor(now / 1000), leafRole: 'oce' });
    if (bytesToHex(device.subjectId) !== bytesToHex(nameSubjectId(this.state.meterId))) throw new RangeError('device certificate: issued for another meter');
    const se = installDomainCertificates(this.state.se, certificates.domains, now);
    this.se.replaceState(se);
    this.state.se = se;
    this.state.device.certificate = certificates.deviceCertificate.toLowerCase();
  }

  /** Signs envelope bytes with the device key (the relay checks it against the registered certificate). */
  sign(bytes: Uint8Array): Uint8Array {
    return signMessage(bytes, hexToBytes(this.state.device.privateKey));
  }

  /**
   * Whether the supplier has commissioned the meter: its billing applet holds a tariff. A GB meter
   * is commissioned with its tariff before it bills; until then this one stays at its start date
   * (nothing is metered, so nothing goes unbilled) and catches up day by day once the tariff
   * arrives — the readings are a function of the date, so the outcome is the same either way.
   */
  get commissioned(): boolean {
    const billing = this.state.se.registry.applets[BILLING_AID];
    if (!billing) return true; // a meter without a billing applet meters for its other applets
    const schedule = billing.storage.schedule;
    return Array.isArray(schedule) && schedule.length > 0;
  }

  /**
   * Feeds every complete local day before `untilDate` (exclusive) to the applets holding the
   * metrology privilege, once the meter is commissioned. Returns the number of days fed.
   */
  advanceTo(untilDate: LocalDate): number {
    if (!this.commissioned) return 0;
    let days = 0;
    while (this.state.nextDate < untilDate) {
      const date = this.state.nextDate;
      const day = londonDay(date);
      const readings = this.metrology(date, this.controls());
      // A literal, not a spread of the readings (the card copies each part it hands on).
      const input: MetrologyInput = { date, startUtc: day.startUtc, halfHours: day.halfHours, weekday: day.weekday, importWh: readings.importWh, exportWh: readings.exportWh };
      if (readings.voltage) input.voltage = readings.voltage;
      if (readings.voltageExcursions) input.voltageExcursions = readings.voltageExcursions;
      if (readings.activity) input.activity = readings.activity;
      this.se.feedMetrology(input);
      this.state.se = this.se.state;
      this.state.nextDate = addDays(date, 1);
      days++;
    }
    return days;
  }

  /**
   * The load-control windows the card's applets have scheduled on the home's EV charger and heat
   * pump (the actuator behind the meter), soonest first.
   */
  controls(): LoadControlWindow[] {
    const windows: LoadControlWindow[] = [];
    for (const applet of Object.values(this.state.se.registry.applets)) for (const window of applet.controls ?? []) windows.push(window);
    return windows.length > 1 ? windows.sort((a, b) => a.fromUtc - b.fromUtc) : windows;
  }

  /**
   * Hands one downlink command APDU to the secure element on the party's logical channel and
   * queues the response APDU in `pendingUplinks`. Every command addressed to this meter gets
   * exactly one response (a refusal is a bare status word); a redelivered command id queues nothing.
   * @returns the response header, or null for a redelivery or a command not addressed here.
   */
  handleDownlink(message: SealedMessage): RoutingHeader | null {
    const { header } = message;
    if (header.direction !== 'downlink' || header.meterId !== this.state.meterId || header.worldId !== this.state.worldId) {
      this.refuse(header, 'command: not addressed to this meter');
      return null;
    }
    if (this.state.handledCommands.includes(header.messageId)) return null;
    const domain = Object.values(this.state.se.registry.domains).find((candidate) => candidate.party === header.partyId);
    let response: Uint8Array;
    let plain: ProcessResult['plain'] | null = null;
    let command: CommandApdu | null = null;
    try {
      command = parseCommandApdu(message.sealed);
    } catch {
      command = null;
    }
    const refusal = !domain ? `no security domain for ${header.partyId}` : !command ? 'command: not an APDU' : bindingRefusal(header.messageClass, command, domain.aid);
    if (refusal) {
      this.refuse(header, refusal);
      response = encodeResponseApdu({ data: new Uint8Array(0), sw: !command ? 0x6700 : 0x6985 });
    } else {
      // One logical channel per party: its session lives in the card's state (Decision 6).
      ({ response, plain } = this.se.process({ channel: header.partyId, apdu: message.sealed }));
      this.state.se = this.se.state;
      const sw = parseResponseApdu(response).sw;
      if (sw === 0x6982) this.refuse(header, 'command: failed secure messaging (6982)');
    }
    const responseHeader: RoutingHeader = {
      messageId: bytesToHex(this.random(16)),
      worldId: this.state.worldId,
      meterId: this.state.meterId,
      partyId: header.partyId,
      appletId: header.appletId,
      messageClass: `${header.messageClass}-response`,
      direction: 'uplink',
      correlationId: header.messageId,
    };
    this.state.pendingUplinks.push({ header: responseHeader, sealed: bytesToBase64Url(response) });
    this.state.handledCommands.push(header.messageId);
    if (this.state.handledCommands.length > MAX_HANDLED) this.state.handledCommands.shift();
    this.onExchange?.(traceExchange({ at: londonDay(this.state.nextDate).startUtc, command: header, response: responseHeader, wrappedCommand: message.sealed, wrappedResponse: response, plain, refusal }));
    return responseHeader;
  }

  /**
   * The meter's local interface — the home area network the in-home display is paired on: one APDU
   * on a local logical channel, straight to the card, never through the relay. Refusals are recorded
   * in the card's event log as for any channel.
   * @param channel - a local channel id (not a party id: those are the relay's channels).
   */
  localApdu(channel: string, apdu: Uint8Array): Uint8Array {
    if (REMOTE_PARTIES.includes(channel)) throw new RangeError(`local channel ${channel}: that is a party's relayed channel`);
    const { response } = this.se.process({ channel, apdu });
    this.state.se = this.se.state;
    return response;
  }

  /**
   * Calls a shareable interface of one applet on behalf of another, as the card manager brokers it
   * (allowed only where the callee's manifest grants it; otherwise 6982 and a firewall event).
   */
  brokerShareable(request: { from: string; to: string; name: string; body: { [key: string]: Json } }): AppletResponse {
    const response = this.se.invokeShareable(request);
    this.state.se = this.se.state;
    return response;
  }

  /** Drops pending uplinks the relay has accepted. */
  acknowledgeUplinks(messageIds: readonly string[]): void {
    const accepted = new Set(messageIds);
    this.state.pendingUplinks = this.state.pendingUplinks.filter((uplink) => !accepted.has(uplink.header.messageId));
  }

  private refuse(header: RoutingHeader, reason: string): void {
    this.state.refusals.push({ messageId: header.messageId, partyId: header.partyId, reason });
    if (this.state.refusals.length > MAX_REFUSALS) this.state.refusals.shift();
  }
}
