/**
 * The applet contract: what a published applet file exports and which capabilities the card
 * manager may hand it. An applet is one ES-module `.js` file evaluated in its own SES compartment
 * (DESIGN.md Decision 10); it sees nothing but what is passed to its factory.
 */

/** JSON values an applet may keep in its storage or put in its outbox. */
import type { Json } from '@hydra/globalplatform';

export type { Json };

/** Capabilities an applet may declare in its manifest. */
export type CapabilityName = 'metrology' | 'storage' | 'outbox' | 'clock' | 'crypto';

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

/** One London local day of half-hourly registers, as the metrology feed publishes it. */
export interface MetrologyDay {
  date: string;
  startUtc: number;
  halfHours: number;
  weekday: number;
  /** Integer Wh imported in each half hour. */
  importWh: readonly number[];
  /** Integer Wh exported in each half hour. */
  exportWh: readonly number[];
}

/** Everything a factory can be handed; only the declared capabilities are present. */
export interface AppletCapabilities {
  storage?: AppletStorage;
  outbox?: AppletOutbox;
  clock?: AppletClock;
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
