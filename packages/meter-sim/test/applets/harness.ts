/**
 * Test harness for the published applets: loads an applet file from `packages/meter-sim/applets/`
 * the way the meter core does — SES lockdown, the module compiled once, and every call made through
 * the secure element's own runtime (`AppletInstances.run` → `instantiateApplet`: one compartment
 * per applet, capabilities exactly as the manifest declares them, storage and outbox copied in and
 * out, the card manager's crypto and the load-control actuator). What the applet puts in its outbox
 * is moved to `sent` after each call, as a collect would take it.
 */
// Before SES, as the CLI's meter workers do (see node/spec-freeze.ts).
import { lockedDown } from '../../node/spec-freeze';
import 'ses';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, bytesToHex, signMessage, utf8ToBytes, type KeyPair, type RandomSource } from '@hydra/globalplatform';
import { parseAppletModule, type AppletModule } from '../../src/secure-element/applet-runtime';
import { AppletInstances } from '../../src/secure-element/applet-instances';
import { createAppletCrypto } from '../../src/secure-element/applet-crypto';
import { readManifest } from '../../src/secure-element/load-file';
import type { AppletRecord, LoadFileRecord } from '../../src/secure-element/registry';
import type { AppletCrypto, AppletManifest, AppletResponse, Json, LoadControlWindow, MetrologyDay } from '../../src/secure-element/applet';
import { londonDay } from '../../src/calendar';
import { metrologyFromHomeDay } from '../../src/host/metrology-feed';

export { metrologyFromHomeDay };

// The module parser is host code, loaded before lockdown; applets are evaluated after it.
const { ModuleSource } = await import('@endo/module-source');
if (!Object.isFrozen(Object.prototype)) lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
lockedDown();

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

/** The test's secure random source (real randomness: keys never come from a seed). */
export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/** The card manager's crypto capability, as the runtime builds it. */
export const hostCrypto: AppletCrypto = harden(createAppletCrypto(secureRandom));

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
  /** The instance's storage after the last call (a copy). */
  readonly storage: Map<string, Json>;
  sent: SentItem[];
  /** Every command response body (they leave the meter sealed to the applet's owner). */
  responses: { command: string; response: AppletResponse }[];
  /** Load-control windows the applet has scheduled, by command id (a copy). */
  readonly windows: Map<string, LoadControlWindow>;
  clock: { now: number };
  /** Runs a command through the runtime and records its response. */
  command(name: string, body: { [key: string]: Json }): AppletResponse;
  /** Feeds one metrology day. */
  feed(day: MetrologyDay): void;
  /** Drains the outbox (what a collect would carry). */
  drain(): SentItem[];
}

/** Options for {@link loadApplet}. */
export interface LoadOptions {
  /** Start value of the clock (UTC ms). */
  now?: number;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Loads a published applet into the runtime with an empty storage. */
export function loadApplet(name: AppletName, options: LoadOptions = {}): LoadedApplet {
  const module = appletModule(name);
  const source = appletSource(name);
  const clock = { now: options.now ?? 0 };
  const instances = new AppletInstances(() => module, () => clock.now, secureRandom);
  const manifest = readManifest(module);
  const hash = `test-${name}`;
  const loadFile: LoadFileRecord = { aid: `elf-${name}`, moduleAid: `elf-${name}`, sdAid: `sd-${manifest.owner}`, hash, source, manifest };
  let record: AppletRecord = {
    aid: `applet-${name}`,
    elfAid: loadFile.aid,
    moduleAid: loadFile.moduleAid,
    sdAid: loadFile.sdAid,
    appletId: manifest.id,
    version: manifest.version,
    hash,
    lifecycle: 'SELECTABLE',
    locked: false,
    privileges: ['metrology'],
    storage: {},
    outbox: [],
    controls: [],
  };
  const sent: SentItem[] = [];
  const responses: LoadedApplet['responses'] = [];
  /** Runs one call as the card manager does: commit the workspace on success, throw on failure. */
  const run = <T>(call: Parameters<AppletInstances['run']>[2]): T => {
    const result = instances.run(record, loadFile, call);
    if (!result.ok) throw result.error;
    record = { ...record, storage: result.workspace.storage, outbox: [], controls: result.workspace.controls };
    sent.push(...result.workspace.outbox);
    return result.value as T;
  };
  // Instantiation (the factory runs under the same binding, as at INSTALL).
  const live = run<AppletManifest>(({ manifest: declared }) => declared);
  return {
    manifest: live,
    get storage() {
      return new Map(Object.entries(copy(record.storage)));
    },
    sent,
    responses,
    get windows() {
      return new Map(record.controls.map((window) => [window.commandId, copy(window)]));
    },
    clock,
    command(commandName, body) {
      const response = run<AppletResponse>(({ instance }) => {
        if (!instance.process) throw new Error(`applet ${name} takes no commands`);
        return instance.process(harden({ name: commandName, body: copy(body) }));
      });
      responses.push({ command: commandName, response: copy(response) });
      return response;
    },
    feed(day) {
      run(({ instance }) => instance.onMetrology?.(harden(copy(day))));
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
 * A feeder of aggregation applets set up as the DNO does it: each meter personalised with its id
 * and the DNO command key, asked for its public key (generated on the card), then sent the same
 * roster signed by the DNO.
 * @param before - called with each applet before the roster arrives (e.g. to send garbage).
 */
export function aggregationFeeder(meterIds: readonly string[], feederId: string, dno: Signer, before?: (applet: LoadedApplet, index: number) => void): LoadedApplet[] {
  const applets = meterIds.map((meterId) => {
    const applet = loadApplet('aggregation');
    if (applet.command('personalise', { meterId, dnoKey: dno.publicKeyHex }).status !== 0x9000) throw new Error('aggregation: personalisation refused');
    return applet;
  });
  const members = applets.map((applet, i) => ({ meterId: meterIds[i] ?? '', publicKey: String(applet.command('public-key', {}).body.publicKey) }));
  const roster = { feederId, sequence: 1, members };
  const signature = dno.sign(roster);
  applets.forEach((applet, i) => {
    before?.(applet, i);
    const answer = applet.command('roster', { roster, signature });
    if (answer.status !== 0x9000) throw new Error(`aggregation roster refused: ${String(answer.body.reason)}`);
  });
  return applets;
}
