/**
 * A meter for the backends' tests: the card side of every party's security domain played by the
 * real @hydra/globalplatform card functions (SCP11b set-up: SELECT, GET DATA BF21, INTERNAL
 * AUTHENTICATE; then SCP03 at level 33), hosting the real published applet files from
 * packages/meter-sim/applets, imported as plain modules (the meter evaluates the same source in a
 * SES compartment; the backends only see their answers). It implements the comms hub's `HubMeter`,
 * so the real `CommsHub` of @hydra/dcc drives it against the real relay.
 *
 * What it does as the meter does (packages/meter-sim `meter-core.ts`, `card-manager.ts`): one
 * logical channel per party; SELECT of an applet only through its owner's secure channel; COLLECT
 * (80 C0) drains the selected applet's outbox as `{ items: [{ messageClass, body }] }`; the applet
 * command (80 D0) hands `{ name, body }` to the applet and answers its status word and body; error
 * status words go back bare (GP Amendment D §6.2.5); a redelivered command id is answered once.
 */
import type { HubMeter } from '@hydra/dcc';
import {
  bytesToBase64Url,
  bytesToHex,
  bytesToUtf8,
  encodeResponseApdu,
  generateKeyPair,
  hexToBytes,
  parseCommandApdu,
  scp03UnwrapCommand,
  scp03WrapResponse,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  signMessage,
  utf8ToBytes,
  type Json,
  type KeyPair,
  type RandomSource,
  type RoutingHeader,
  type Scp03Session,
} from '@hydra/globalplatform';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appletAid } from '../../src/shared/applet-commands';
import { createAppletCrypto } from '../../../meter-sim/src/secure-element/applet-crypto';

/** The published applets (packages/meter-sim/applets/<id>.js). */
export type AppletId = 'billing' | 'power-quality' | 'aggregation' | 'load-control' | 'telecare';

interface Manifest {
  id: string;
  owner: string;
  sends: string[];
}

interface AppletInstance {
  onMetrology?(day: unknown): void;
  process?(command: { name: string; body: Record<string, Json> }): { status: number; body?: Record<string, Json> };
}

interface AppletModule {
  manifest: Manifest;
  default: (caps: Record<string, unknown>) => AppletInstance;
}

const appletsDir = fileURLToPath(new URL('../../../meter-sim/applets/', import.meta.url));
const modules = new Map<AppletId, Promise<AppletModule>>();

/** Imports a published applet file (once). */
export function loadAppletModule(id: AppletId): Promise<AppletModule> {
  let module = modules.get(id);
  if (!module) {
    module = import(pathToFileURL(`${appletsDir}${id}.js`).href) as Promise<AppletModule>;
    modules.set(id, module);
  }
  return module;
}

/** The published source text (what the dashboard shows and the DAP covers). */
export function appletSource(id: AppletId): string {
  return readFileSync(`${appletsDir}${id}.js`, 'utf8');
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** One applet instance on the card with its own storage and outbox. */
export class HostedApplet {
  readonly storage = new Map<string, Json>();
  outbox: { messageClass: string; body: Record<string, Json> }[] = [];
  readonly windows = new Map<string, unknown>();
  readonly instance: AppletInstance;

  constructor(
    readonly module: AppletModule,
    clock: () => number,
    random: RandomSource,
  ) {
    const storage = this.storage;
    const caps = {
      storage: { get: (key: string) => (storage.has(key) ? copy(storage.get(key)) : undefined), set: (key: string, value: Json) => void storage.set(key, copy(value)), delete: (key: string) => void storage.delete(key), keys: () => [...storage.keys()] },
      outbox: {
        put: (messageClass: string, body: Record<string, Json>) => {
          // The privacy contract as meter-core enforces it: only the classes the manifest declares.
          if (!module.manifest.sends.includes(messageClass)) throw new RangeError(`applet ${module.manifest.id}: may not send ${messageClass}`);
          this.outbox.push({ messageClass, body: copy(body) });
        },
        size: () => this.outbox.length,
      },
      clock: { now: clock },
      // The meter's own capability (packages/meter-sim `applet-crypto.ts`), keys from the card's random source.
      crypto: createAppletCrypto(random),
      loadControl: { schedule: (window: { commandId: string }) => void this.windows.set(window.commandId, copy(window)), cancel: (commandId: string) => void this.windows.delete(commandId) },
    };
    this.instance = module.default(caps);
  }

  /** Runs a command as the card manager does; storage and outbox changes are kept whatever the status. */
  command(name: string, body: Record<string, Json>): { status: number; body: Record<string, Json> } {
    const answer = this.instance.process?.({ name, body: copy(body) }) ?? { status: 0x6d00, body: {} };
    return { status: answer.status, body: answer.body ?? {} };
  }
}

interface Domain {
  partyId: string;
  aid: string;
  keys: KeyPair;
  certificates: Uint8Array[];
  session: Scp03Session | null;
  selected: string | null;
}

/** Options for {@link SimulatedMeter.create}. */
export interface SimulatedMeterOptions {
  worldId: string;
  meterId: string;
  /** Party id → AID of its security domain. */
  domains: { partyId: string; aid: string }[];
  applets: AppletId[];
  random: RandomSource;
  /** The card's clock (UTC ms). */
  now: () => number;
}

/** A meter the real comms hub drives. */
export class SimulatedMeter implements HubMeter {
  readonly state: { meterId: string; pendingUplinks: { header: RoutingHeader; sealed: string }[] };
  readonly applets = new Map<string, { id: AppletId; owner: string; applet: HostedApplet }>();
  /** What each party's channel carried, as the card saw it: `dno plain a4`, `dno secured c0 power-quality`. */
  readonly seen: string[] = [];
  private readonly domains: Domain[];
  private readonly device: KeyPair;
  private readonly handled = new Set<string>();
  private certifiedDevice = false;

  private constructor(
    private readonly options: SimulatedMeterOptions,
    modules: Map<AppletId, AppletModule>,
  ) {
    this.state = { meterId: options.meterId, pendingUplinks: [] };
    this.device = generateKeyPair(options.random);
    this.domains = options.domains.map(({ partyId, aid }) => ({ partyId, aid: aid.toLowerCase(), keys: generateKeyPair(options.random), certificates: [], session: null, selected: null }));
    for (const [id, module] of modules) this.applets.set(appletAid(id), { id, owner: module.manifest.owner, applet: new HostedApplet(module, options.now, options.random) });
  }

  /**
   * Manufactures a meter with fresh keys from the secure random source and the given applets
   * installed, personalised at the factory as packages/meter-sim `fleet.ts` (FACTORY_APPLETS) does:
   * load-control gets its randomisation secret, aggregation its meter id. The DNO's command key
   * and everything else come later, from the parties, through their channels.
   */
  static async create(options: SimulatedMeterOptions): Promise<SimulatedMeter> {
    const modules = new Map<AppletId, AppletModule>();
    for (const id of options.applets) modules.set(id, await loadAppletModule(id));
    const meter = new SimulatedMeter(options, modules);
    const factory: Partial<Record<AppletId, Record<string, Json>>> = {
      'load-control': { offsetSecret: bytesToHex(options.random(32)) },
      aggregation: { meterId: options.meterId },
    };
    for (const [id, body] of Object.entries(factory) as [AppletId, Record<string, Json>][]) {
      if (!modules.has(id)) continue;
      const answer = meter.applet(id).command('personalise', body);
      if (answer.status !== 0x9000) throw new Error(`${options.meterId}: factory personalisation of ${id} refused (${answer.status.toString(16)})`);
    }
    return meter;
  }

  /** The applet instance `id`. */
  applet(id: AppletId): HostedApplet {
    const hosted = this.applets.get(appletAid(id));
    if (!hosted) throw new Error(`${this.options.meterId}: no ${id} applet`);
    return hosted.applet;
  }

  get certified(): boolean {
    return this.certifiedDevice && this.domains.every((domain) => domain.certificates.length > 0);
  }

  registration() {
    return {
      worldId: this.options.worldId,
      meterId: this.options.meterId,
      devicePublicKey: bytesToHex(this.device.publicKey),
      domains: this.domains.map((domain) => ({ partyId: domain.partyId, aid: domain.aid, publicKey: bytesToHex(domain.keys.publicKey) })),
    };
  }

  installCertificates(issued: { deviceCertificate: string; domains: { aid: string; certificates: string[] }[] }): void {
    for (const domain of this.domains) {
      const found = issued.domains.find((entry) => entry.aid.toLowerCase() === domain.aid);
      if (found) domain.certificates = found.certificates.map(hexToBytes);
    }
    this.certifiedDevice = issued.deviceCertificate.length > 0;
  }

  sign(bytes: Uint8Array): Uint8Array {
    return signMessage(bytes, this.device.privateKey);
  }

  /** Feeds one metrology day to every applet that takes it. */
  feed(day: Record<string, unknown>): void {
    for (const { applet } of this.applets.values()) applet.instance.onMetrology?.(copy(day));
  }

  /** Forgets every party's session (a card restored from older state). */
  dropSessions(): void {
    for (const domain of this.domains) domain.session = null;
  }

  handleDownlink(message: { header: RoutingHeader; sealed: Uint8Array }): RoutingHeader | null {
    const { header } = message;
    if (header.direction !== 'downlink' || header.meterId !== this.options.meterId || header.worldId !== this.options.worldId) return null;
    if (this.handled.has(header.messageId)) return null;
    this.handled.add(header.messageId);
    const domain = this.domains.find((candidate) => candidate.partyId === header.partyId);
    const response = domain ? this.answer(domain, message.sealed) : encodeResponseApdu({ data: new Uint8Array(0), sw: 0x6985 });
    const responseHeader: RoutingHeader = {
      messageId: bytesToHex(this.options.random(16)),
      worldId: this.options.worldId,
      meterId: this.options.meterId,
      partyId: header.partyId,
      appletId: header.appletId,
      messageClass: `${header.messageClass}-response`,
      direction: 'uplink',
      correlationId: header.messageId,
    };
    this.state.pendingUplinks.push({ header: responseHeader, sealed: bytesToBase64Url(response) });
    return responseHeader;
  }

  acknowledgeUplinks(messageIds: readonly string[]): void {
    this.state.pendingUplinks = this.state.pendingUplinks.filter((uplink) => !messageIds.includes(uplink.header.messageId));
  }

  private answer(domain: Domain, apdu: Uint8Array): Uint8Array {
    const bare = (sw: number) => encodeResponseApdu({ data: new Uint8Array(0), sw });
    let plain;
    try {
      plain = parseCommandApdu(apdu);
    } catch {
      return bare(0x6700);
    }
    if ((plain.cla & 0x04) === 0) {
      this.seen.push(`${domain.partyId} plain ${plain.ins.toString(16)}`);
      if (plain.ins === 0xa4) return bare(bytesToHex(plain.data) === domain.aid ? 0x9000 : 0x6a82);
      const keys = { keyVersion: 1, sdPrivateKey: domain.keys.privateKey, sdCertificates: domain.certificates, oceTrustAnchors: [] };
      if (plain.ins === 0xca) return scp11CardGetCertificates(keys, apdu);
      if (plain.ins === 0x88) {
        const { state, output } = scp11CardAuthenticate(null, apdu, { keys, random: this.options.random });
        domain.session = state;
        domain.selected = null;
        return output;
      }
      return bare(0x6982);
    }
    if (!domain.session) return bare(0x6982);
    let command;
    try {
      const unwrapped = scp03UnwrapCommand(domain.session, apdu);
      domain.session = unwrapped.state;
      command = unwrapped.output;
    } catch {
      domain.session = null;
      return bare(0x6982);
    }
    let data: Uint8Array = new Uint8Array(0);
    let sw = 0x9000;
    const selected = domain.selected ? this.applets.get(domain.selected) : undefined;
    this.seen.push(`${domain.partyId} secured ${command.ins.toString(16)}${command.ins === 0xa4 ? '' : ` ${selected?.id ?? '-'}`}`);
    if (command.ins === 0xa4) {
      const aid = bytesToHex(command.data);
      const target = this.applets.get(aid);
      // The firewall: an applet is reachable only through its owner's security domain.
      if (target && target.owner === domain.partyId) domain.selected = aid;
      else sw = 0x6a82;
    } else if (!selected) {
      sw = 0x6985;
    } else if (command.ins === 0xc0) {
      data = utf8ToBytes(JSON.stringify({ items: selected.applet.outbox }));
      selected.applet.outbox = [];
    } else if (command.ins === 0xd0) {
      const { name, body } = JSON.parse(bytesToUtf8(command.data)) as { name: string; body: Record<string, Json> };
      const answer = selected.applet.command(name, body);
      sw = answer.status;
      data = utf8ToBytes(JSON.stringify(answer.body));
    } else {
      sw = 0x6d00;
    }
    const wrapped = scp03WrapResponse(domain.session, { data, sw });
    domain.session = wrapped.state;
    return wrapped.output;
  }
}
