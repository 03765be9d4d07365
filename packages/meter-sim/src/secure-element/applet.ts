/**
 * The applet contract: what a published applet file exports and which capabilities the card
 * manager may hand it. An applet is one ES-module `.js` file evaluated in its own SES compartment
 * (DESIGN.md Decision 10); it sees nothing but what is passed to its factory.
 */

/** JSON values an applet may keep in its storage or put in its outbox. */
import type { Json } from '@hydra/globalplatform';

export type { Json };

/**
 * Capabilities an applet may declare in its manifest. `crypto` and `load-control` are handed over
 * as {@link AppletCrypto} and {@link AppletLoadControl} (`caps.crypto`, `caps.loadControl`).
 */
export type CapabilityName = 'metrology' | 'storage' | 'outbox' | 'clock' | 'crypto' | 'load-control';

/** The `manifest` export of an applet file. */
export interface AppletManifest {
  id: string;
  version: string;
  /** The party whose security domain the applet lives in. */
  owner: 'supplier' | 'dno' | 'telecare' | 'householder';
  capabilities: CapabilityName[];
  /** Message classes this applet may put in its outbox (the privacy contract, DESIGN.md). */
  sends: string[];
  description: string;
  /**
   * Shareable interfaces: command name → ids of the applets the card manager may broker calls
   * from (DESIGN.md "Firewall"; the in-home display reaches billing's data-sharing setting so).
   */
  shareable?: { [name: string]: string[] };
  /**
   * 'householder': an optional service, loaded and installed only with a consent token the
   * householder signed on the in-home display, and deleted when they withdraw it.
   */
  consent?: 'householder';
}

/** The applet's own persistent key-value storage (JSON values, copied in and out). */
export interface AppletStorage {
  get(key: string): Json | undefined;
  set(key: string, value: Json): void;
  delete(key: string): void;
  keys(): string[];
}

/** Queue of items waiting for the owner's next collect command. */
export interface AppletOutbox {
  put(messageClass: string, body: { [key: string]: Json }): void;
  size(): number;
}

/** The world clock as the meter knows it (UTC milliseconds). */
export interface AppletClock {
  now(): number;
}

/**
 * Crypto the card manager performs for an applet (hardened functions; keys and secrets are hex
 * strings so they can live in JSON storage). Every function fails closed: `verify` answers false
 * for any malformed input, `kdf` throws TypeError/RangeError on a malformed argument.
 */
export interface AppletCrypto {
  /**
   * ECDSA P-256 / SHA-256 over the UTF-8 bytes of `message` (FIPS 186-5).
   * @param signatureHex - 64-byte compact r‖s, hex.
   * @param publicKeyHex - SEC 1 public key (compressed or not), hex.
   */
  verify(signatureHex: string, message: string, publicKeyHex: string): boolean;
  /**
   * ANSI X9.63 KDF with SHA-256 (SEC 1 §3.6.1, as SCP11 uses it): `lengthBytes` bytes from the
   * secret `secretHex` with the UTF-8 bytes of `info` as SharedInfo. Returns hex.
   */
  kdf(secretHex: string, info: string, lengthBytes: number): string;
  /**
   * The same KDF read as `count` unsigned 32-bit big-endian integers (4 × count bytes): for
   * applets that need numbers (the aggregation masks) without a round trip through hex.
   */
  kdfWords(secretHex: string, info: string, count: number): number[];
  /**
   * A pseudo-random function for many words at once: `count` uint32 (big-endian) of the ChaCha20
   * keystream (RFC 8439) under the 32-byte `keyHex` — which must come from a KDF — with the UTF-8
   * bytes of `label` (at most 12, zero-padded) as the nonce. Distinct labels give independent
   * words; never use one (key, label) for two purposes.
   */
  prfWords(keyHex: string, label: string, count: number): number[];
  /**
   * Many `prfWords` streams at once, summed: word t is Σ sign·prfWords(key, label, count)[t]
   * mod 2^32 over `terms` (sign +1 or −1), uint32. What a masking scheme adds to a value; one call
   * instead of one per term, and the keystreams never reach the applet.
   */
  prfWordsSum(terms: readonly { keyHex: string; sign: 1 | -1 }[], label: string, count: number): number[];
  /**
   * A fresh P-256 key pair from the card's secure random source (DESIGN.md Decision 2: keys never
   * come from the seed). The private key is returned to the applet to keep in its own storage.
   */
  generateKeyPair(): { privateKey: string; publicKey: string };
  /**
   * P-256 ECDH (SEC 1 §3.3.1): the 32-byte x-coordinate shared secret, hex. Throws TypeError or
   * RangeError for a malformed key or a point not on the curve.
   */
  ecdh(privateKeyHex: string, publicKeyHex: string): string;
}

/** A power cap on one controllable device over [fromUtc, toUtc); limitKw 0 = off. */
export interface LoadControlWindow {
  commandId: string;
  device: 'ev' | 'heat-pump';
  fromUtc: number;
  toUtc: number;
  limitKw: number;
}

/**
 * The load-control actuator (the EV charger / heat-pump switch behind the meter). The host keeps
 * the scheduled windows and feeds them to the household model as `controls`.
 */
export interface AppletLoadControl {
  /** Schedules a window; a window with the same commandId replaces the earlier one. */
  schedule(window: LoadControlWindow): void;
  /** Cancels a scheduled window (no effect if unknown). */
  cancel(commandId: string): void;
}

/**
 * A supply-voltage excursion as the metrology front end records it: the RMS voltage left the
 * normal band at `startUtc` for `durationSeconds`, reaching `extremeV` (lowest below the band,
 * highest above it; 0 while the supply was off). It carries no classification: applets decide.
 */
export interface VoltageExcursion {
  startUtc: number;
  durationSeconds: number;
  extremeV: number;
}

/**
 * An occupant-driven load step the metrology front end detected: a load of `watts` switched on at
 * elapsed minute `minute` of the local day for `durationMinutes` (the meter's own
 * disaggregation of its per-minute power; no appliance names).
 */
export interface ActivityStep {
  minute: number;
  durationMinutes: number;
  watts: number;
}

/**
 * One London local day of metrology, as the feed publishes it to an applet. Which parts are present
 * follows the applet's privileges: the registers with `metrology` (empty arrays without it), the
 * voltage fields with `voltage`, the activity steps with `activity`.
 */
export interface MetrologyDay {
  date: string;
  startUtc: number;
  halfHours: number;
  weekday: number;
  /** Integer Wh imported in each half hour (empty without the metrology privilege). */
  importWh: readonly number[];
  /** Integer Wh exported in each half hour (empty without the metrology privilege). */
  exportWh: readonly number[];
  /** Per half hour RMS supply voltage: lowest, highest and mean (V). Voltage privilege. */
  voltage?: { minV: readonly number[]; maxV: readonly number[]; meanV: readonly number[] };
  /** Voltage excursions beginning on this day. Voltage privilege (power quality). */
  voltageExcursions?: readonly VoltageExcursion[];
  /** Occupant activity steps of this day, sorted by minute. Activity privilege (telecare). */
  activity?: readonly ActivityStep[];
}

/** Everything a factory can be handed; only the declared capabilities are present. */
export interface AppletCapabilities {
  storage?: AppletStorage;
  outbox?: AppletOutbox;
  clock?: AppletClock;
  crypto?: AppletCrypto;
  loadControl?: AppletLoadControl;
}

/** A command delivered to an applet through its security domain's channel. */
export interface AppletCommand {
  name: string;
  body: { [key: string]: Json };
}

/** An applet's answer to a command. */
export interface AppletResponse {
  /** ISO 7816-4 status word: 0x9000 on success. */
  status: number;
  body: { [key: string]: Json };
}

/** What an applet factory returns. Every handler is optional. */
export interface AppletInstance {
  onMetrology?(day: MetrologyDay): void;
  process?(command: AppletCommand): AppletResponse;
}
