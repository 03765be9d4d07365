/**
 * Shared set-up for the secure element tests: SES lockdown (ModuleSource is loaded first, as in the
 * meter host worker), a manufactured secure element with four party domains, their publishers'
 * package-signing keys and small test applets. Importing this file locks the realm down, so each
 * test file runs in its own forked process (vitest's default `forks` pool with isolation).
 */
// Before SES, as the CLI's meter workers do (see node/spec-freeze.ts).
import { lockedDown } from '../../node/spec-freeze';
import 'ses';
import { ModuleSource } from '@endo/module-source';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, hexToBytes, parseResponseApdu, utf8ToBytes, type KeyPair, type RandomSource, type ResponseApdu } from '@hydra/globalplatform';
import { parseAppletModule } from '../../src/secure-element/applet-runtime';
import {
  appletSourceHash,
  buildLoadFile,
  caTrustAnchor,
  createSecureElement,
  hydraAid,
  installForInstallCommand,
  installForLoadCommand,
  ISSUER_AID,
  loadCommands,
  openScp11b,
  signAppletSource,
  type CardLifecycle,
  type HostChannel,
  type ManufacturerCa,
  type Party,
  type Privilege,
  type SecureElement,
} from '../../src/secure-element/index';

lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
lockedDown();

export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));
export const compile = (source: string) => parseAppletModule(source, ModuleSource as never);

export const BILLING_SOURCE = readFileSync(fileURLToPath(new URL('../../applets/billing.js', import.meta.url)), 'utf8');

/** A tiny applet for tests: storage, outbox, a version and optionally a failing factory. */
export function probeSource(options: { version?: string; owner?: Party; id?: string; failFactory?: boolean; shareable?: Record<string, string[]>; capabilities?: string[] } = {}): string {
  const manifest = {
    id: options.id ?? 'probe',
    version: options.version ?? '1.0.0',
    owner: options.owner ?? 'supplier',
    capabilities: options.capabilities ?? ['storage', 'outbox', 'clock'],
    sends: ['probe-event'],
    description: 'test applet',
    ...(options.shareable ? { shareable: options.shareable } : {}),
  };
  return `export const manifest = ${JSON.stringify(manifest)};
export default function create(caps) {
  ${options.failFactory ? "throw new Error('factory refuses to start');" : ''}
  const storage = caps.storage;
  const outbox = caps.outbox;
  return {
    onMetrology(day) { storage.set('days', (storage.get('days') ?? 0) + 1); storage.set('lastImport', day.importWh.reduce((a, b) => a + b, 0)); },
    process(command) {
      if (command.name === 'put') { storage.set(command.body.key, command.body.value); return { status: 0x9000, body: { ok: true } }; }
      if (command.name === 'get') { return { status: 0x9000, body: { value: storage.get(command.body.key) ?? null, version: ${JSON.stringify(manifest.version)} } }; }
      if (command.name === 'emit') { outbox.put('probe-event', { n: command.body.n ?? 0 }); return { status: 0x9000, body: {} }; }
      if (command.name === 'emit-forbidden') { storage.set('tainted', true); outbox.put('raw-reads', { all: 'of them' }); return { status: 0x9000, body: {} }; }
      if (command.name === 'throw') { storage.set('tainted', true); throw new Error('boom'); }
      if (command.name === 'refuse') { return { status: 0x6985, body: { error: 'no' } }; }
      if (command.name === 'now') { return { status: 0x9000, body: { now: caps.clock ? caps.clock.now() : -1 } }; }
      if (command.name === 'ping') { return { status: 0x9000, body: { pong: command.body.from ?? null } }; }
      return { status: 0x6d00, body: {} };
    },
  };
}
`;
}

export const PARTIES: Party[] = ['supplier', 'dno', 'telecare', 'householder'];

/** A test world: CA, publishers, a secure element and helpers. */
export interface World {
  se: SecureElement;
  ca: ManufacturerCa;
  publishers: Record<Party, KeyPair>;
  clock: { now: number };
  sdAid: (party: Party) => string;
  open: (party: Party, channel?: string) => HostChannel;
  /** Opens SCP11b to the issuer security domain (the card manager). */
  openIssuer: (channel?: string) => HostChannel;
  /** Signs `source` with the party's publisher key and returns the load file bytes. */
  loadFile: (party: Party, source: string, options?: { signer?: Uint8Array; unsigned?: boolean }) => Uint8Array;
  /** INSTALL [for load] + LOAD blocks; returns every response. */
  load: (host: HostChannel, party: Party, elfName: string, bytes: Uint8Array, source: string) => ResponseApdu[];
  install: (host: HostChannel, elfName: string, appletName: string, privileges?: Privilege[]) => ResponseApdu;
}

export function makeWorld(options: { cardLifecycle?: CardLifecycle; random?: RandomSource; privileges?: Partial<Record<Party, Privilege[]>> } = {}): World {
  const random = options.random ?? secureRandom;
  const clock = { now: Date.UTC(2025, 0, 1) };
  const ca: ManufacturerCa = { id: utf8ToBytes('hydra-mfr-ca'), privateKey: generateKeyPair(random).privateKey };
  const publishers = Object.fromEntries(PARTIES.map((party) => [party, generateKeyPair(random)])) as Record<Party, KeyPair>;
  const se = createSecureElement({
    random,
    now: () => clock.now,
    compile,
    ca,
    parties: PARTIES.map((party) => ({ party, dapPublicKey: publishers[party].publicKey, ...(options.privileges?.[party] ? { privileges: options.privileges[party] } : {}) })),
    ...(options.cardLifecycle ? { cardLifecycle: options.cardLifecycle } : {}),
  });
  const sdAid = (party: Party) => hydraAid('sd', party);
  let channels = 0;
  const world: World = {
    se,
    ca,
    publishers,
    clock,
    sdAid,
    open: (party, channel) => openScp11b({ port: se, channel: channel ?? `${party}-${++channels}`, sdAid: sdAid(party), trustAnchor: caTrustAnchor(ca), random, now: clock.now }),
    openIssuer: (channel) => openScp11b({ port: se, channel: channel ?? `isd-${++channels}`, sdAid: ISSUER_AID, trustAnchor: caTrustAnchor(ca), random, now: clock.now }),
    loadFile: (party, source, opts = {}) => {
      if (opts.unsigned) return buildLoadFile(source, []);
      const signature = signAppletSource(source, opts.signer ?? publishers[party].privateKey);
      return buildLoadFile(source, [{ sdAid: hexToBytes(sdAid(party)), signature }]);
    },
    load: (host, _party, elfName, bytes, source) => {
      const responses = [host.send(installForLoadCommand({ elfAid: hydraAid('elf', elfName), hash: appletSourceHash(source) }))];
      for (const command of loadCommands(bytes)) responses.push(host.send(command));
      return responses;
    },
    install: (host, elfName, appletName, privileges = []) =>
      host.send(installForInstallCommand({ elfAid: hydraAid('elf', elfName), appletAid: hydraAid('applet', appletName), privileges })),
  };
  return world;
}

/** Status word of raw response bytes. */
export const swOf = (bytes: Uint8Array): number => parseResponseApdu(bytes).sw;
