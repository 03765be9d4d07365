/**
 * Test harness for the published applets: loads an applet file from `packages/meter-sim/applets/`
 * the way the meter core does (SES lockdown, then one compartment per applet through
 * `parseAppletModule` + `instantiateApplet`) and hands it recording capabilities: an in-memory
 * storage that copies values in and out, an outbox that enforces the manifest's `sends`, a settable
 * clock, the card manager's crypto (noble via @hydra/globalplatform) and a load-control actuator.
 *
 * The runtime (applet-runtime.ts) does not yet hand over `crypto` or `load-control`; for applets
 * that declare them the harness evaluates the file in an identical compartment (empty globals,
 * module source only) and passes the extra capabilities — `instantiateExtended` below is the exact
 * behaviour the runtime should adopt.
 */
import 'ses';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, bytesToHex, hexToBytes, signMessage, utf8ToBytes, verifyMessage, x963Kdf, type KeyPair } from '@hydra/globalplatform';
import { AppletLoadError, instantiateApplet, parseAppletModule, type AppletModule } from '../../src/secure-element/applet-runtime';
import type {
  AppletCapabilities,
  AppletCrypto,
  AppletInstance,
  AppletLoadControl,
  AppletManifest,
  AppletResponse,
  Json,
  LoadControlWindow,
  MetrologyDay,
} from '../../src/secure-element/applet';
import { londonDay } from '../../src/calendar';
import type { HomeDay } from '../../src/home/index';

// The module parser is host code, loaded before lockdown; applets are evaluated after it.
const { ModuleSource } = await import('@endo/module-source');
if (!Object.isFrozen(Object.prototype)) lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });

/** The published applet files. */
export const APPLET_FILES = ['billing', 'power-quality', 'load-control', 'aggregation', 'telecare', 'insights'] as const;
export type AppletName = (typeof APPLET_FILES)[number];

const modules = new Map<string, AppletModule>();

/** The published source text of an applet. */
export function appletSource(name: AppletName): string {
  return readFileSync(fileURLToPath(new URL(`../../applets/${name}.js`, import.meta.url)), 'utf8');
}

/** Parses (once) the published file. */
export function appletModule(name: AppletName): AppletModule {
  let module = modules.get(name);
  if (!module) {
    module = parseAppletModule(appletSource(name), ModuleSource as unknown as new (text: string) => unknown);
    modules.set(name, module);
  }
  return module;
}

/** Capabilities the current runtime hands over. */
const RUNTIME_CAPABILITIES = ['metrology', 'storage', 'outbox', 'clock'];

/**
 * What applet-runtime.ts should do once it knows `crypto` and `load-control`: the same empty-globals
 * compartment, and the declared capabilities only.
 */
export function instantiateExtended(module: AppletModule, grant: AppletCapabilities): { manifest: AppletManifest; instance: AppletInstance } {
  const compartment = new Compartment({ __options__: true, globals: {}, modules: { applet: { source: module.moduleSource } } } as never);
  const namespace = compartment.importNow('applet') as { manifest?: AppletManifest; default?: (caps: AppletCapabilities) => AppletInstance };
  const manifest = namespace.manifest;
  if (!manifest || typeof manifest.id !== 'string' || !Array.isArray(manifest.capabilities)) throw new AppletLoadError('applet: no manifest');
  if (typeof namespace.default !== 'function') throw new AppletLoadError(`applet ${manifest.id}: no default factory`);
  const caps: AppletCapabilities = {};
  if (manifest.capabilities.includes('storage') && grant.storage) caps.storage = grant.storage;
  if (manifest.capabilities.includes('outbox') && grant.outbox) caps.outbox = grant.outbox;
  if (manifest.capabilities.includes('clock') && grant.clock) caps.clock = grant.clock;
  if (manifest.capabilities.includes('crypto') && grant.crypto) caps.crypto = grant.crypto;
  if (manifest.capabilities.includes('load-control') && grant.loadControl) caps.loadControl = grant.loadControl;
  const instance = namespace.default(harden(caps));
  if (!instance || typeof instance !== 'object') throw new AppletLoadError(`applet ${manifest.id}: the factory must return an object`);
  return { manifest, instance };
}

/** The card manager's crypto capability over @hydra/globalplatform (noble). */
export const hostCrypto: AppletCrypto = harden({
  verify(signatureHex: string, message: string, publicKeyHex: string): boolean {
    try {
      return verifyMessage(hexToBytes(signatureHex), utf8ToBytes(message), hexToBytes(publicKeyHex));
    } catch {
      return false;
    }
  },
  kdf(secretHex: string, info: string, lengthBytes: number): string {
    return bytesToHex(x963Kdf(hexToBytes(secretHex), utf8ToBytes(info), lengthBytes));
  },
});

/** Canonical JSON (sorted keys, no whitespace): what parties and householders sign. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A signing party (supplier tariff key, DNO command key, householder key) with a deterministic test key. */
export interface Signer {
  keys: KeyPair;
  publicKeyHex: string;
  sign(document: unknown): string;
}

/** Makes a signer from a fixed test seed byte (tests only: real keys come from a secure random source). */
export function testSigner(seedByte: number): Signer {
  const keys = generateKeyPair((n) => new Uint8Array(n).fill(seedByte));
  return { keys, publicKeyHex: bytesToHex(keys.publicKey), sign: (document) => bytesToHex(signMessage(utf8ToBytes(canonicalJson(document)), keys.privateKey)) };
}

/** One queued outbox item. */
export interface SentItem {
  messageClass: string;
  body: { [key: string]: Json };
}

/** A loaded applet with its recording capabilities. */
export interface LoadedApplet {
  manifest: AppletManifest;
  instance: AppletInstance;
  storage: Map<string, Json>;
  sent: SentItem[];
  /** Every command response body (they leave the meter sealed to the applet's owner). */
  responses: { command: string; response: AppletResponse }[];
  windows: Map<string, LoadControlWindow>;
  clock: { now: number };
  /** Runs a command and records its response. */
  command(name: string, body: { [key: string]: Json }): AppletResponse;
  /** Feeds one metrology day. */
  feed(day: MetrologyDay): void;
  /** Drains the outbox (what a collect would carry). */
  drain(): SentItem[];
  /** Whether the runtime's own instantiateApplet loaded it (false: the extended harness path). */
  viaRuntime: boolean;
}

/** Options for {@link loadApplet}. */
export interface LoadOptions {
  /** Start value of the clock (UTC ms). */
  now?: number;
  /** Existing storage to restore (a meter restart). */
  storage?: Map<string, Json>;
  /** Leave out the crypto capability (a meter without it). */
  withoutCrypto?: boolean;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Loads a published applet with fresh recording capabilities. */
export function loadApplet(name: AppletName, options: LoadOptions = {}): LoadedApplet {
  const module = appletModule(name);
  const storage = options.storage ?? new Map<string, Json>();
  const sent: SentItem[] = [];
  const windows = new Map<string, LoadControlWindow>();
  const clock = { now: options.now ?? 0 };
  const ref: { manifest?: AppletManifest } = {};
  const loadControl: AppletLoadControl = {
    schedule: (window) => {
      windows.set(window.commandId, copy(window));
    },
    cancel: (commandId) => {
      windows.delete(commandId);
    },
  };
  const grant: AppletCapabilities = {
    storage: {
      get: (key) => {
        const value = storage.get(key);
        return value === undefined ? undefined : harden(copy(value));
      },
      set: (key, value) => {
        storage.set(key, copy(value));
      },
      delete: (key) => {
        storage.delete(key);
      },
      keys: () => harden([...storage.keys()]),
    },
    outbox: {
      put: (messageClass, body) => {
        // The privacy contract, as meter-core enforces it: only the classes the manifest declares.
        if (!ref.manifest?.sends.includes(messageClass)) throw new RangeError(`applet ${name}: may not send ${messageClass}`);
        sent.push({ messageClass, body: copy(body) });
      },
      size: () => sent.length,
    },
    clock: { now: () => clock.now },
    ...(options.withoutCrypto ? {} : { crypto: hostCrypto }),
    loadControl,
  };
  // Peek at the manifest to choose the path; the factory runs once, in the chosen compartment.
  const peek = new Compartment({ __options__: true, globals: {}, modules: { applet: { source: module.moduleSource } } } as never);
  const declared = (peek.importNow('applet') as { manifest: AppletManifest }).manifest.capabilities;
  const viaRuntime = declared.every((c) => RUNTIME_CAPABILITIES.includes(c));
  const hardenedGrant = harden(grant);
  const { manifest, instance } = viaRuntime ? instantiateApplet(module, hardenedGrant) : instantiateExtended(module, hardenedGrant);
  ref.manifest = manifest;
  const responses: LoadedApplet['responses'] = [];
  return {
    manifest,
    instance,
    storage,
    sent,
    responses,
    windows,
    clock,
    viaRuntime,
    command(commandName, body) {
      if (!instance.process) throw new Error(`applet ${name} takes no commands`);
      const response = instance.process(harden({ name: commandName, body: copy(body) }));
      responses.push({ command: commandName, response: copy(response) });
      return response;
    },
    feed(day) {
      instance.onMetrology?.(harden(copy(day)));
    },
    drain() {
      return sent.splice(0, sent.length);
    },
  };
}

/** A metrology day with given half-hourly reads (defaults: zero), for a London local date. */
export function metrologyDay(date: string, fill: { importWh?: number | ((i: number) => number); exportWh?: number | ((i: number) => number) } = {}): MetrologyDay {
  const day = londonDay(date);
  const value = (f: number | ((i: number) => number) | undefined, i: number) => (typeof f === 'function' ? f(i) : (f ?? 0));
  return {
    date,
    startUtc: day.startUtc,
    halfHours: day.halfHours,
    weekday: day.weekday,
    importWh: Array.from({ length: day.halfHours }, (_, i) => value(fill.importWh, i)),
    exportWh: Array.from({ length: day.halfHours }, (_, i) => value(fill.exportWh, i)),
  };
}

/**
 * The host hook the meter core needs: a simulated home day as the full metrology feed (registers,
 * half-hourly voltage, voltage excursions without their ground-truth labels, activity steps
 * without appliance names).
 */
export function metrologyFromHomeDay(day: HomeDay, weekday: number): MetrologyDay {
  return {
    date: day.date,
    startUtc: day.startUtc,
    halfHours: day.halfHours,
    weekday,
    importWh: Array.from(day.importWh),
    exportWh: Array.from(day.exportWh),
    voltage: { minV: Array.from(day.voltage.minV), maxV: Array.from(day.voltage.maxV), meanV: Array.from(day.voltage.meanV) },
    voltageExcursions: day.voltageEvents.map(({ startUtc, durationSeconds, extremeV }) => ({ startUtc, durationSeconds, extremeV })),
    activity: day.activity.map(({ minute, durationMinutes, watts }) => ({ minute, durationMinutes, watts })),
  };
}
