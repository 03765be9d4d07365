/**
 * The GlobalPlatform registry of the simulated secure element (GP Card Specification v2.3.1 §5.3):
 * security domains, executable load files and application instances, each with its life cycle,
 * privileges and associated security domain — and the whole secure element's state as one plain
 * JSON object (STYLE.md rule 5). Keys are lower-case hex; nothing here is a class or a function.
 */
import type { Json, Scp03CardHandshake, Scp03Session, Scp11CardHandshake } from '@hydra/globalplatform';
import type { AppletManifest, LoadControlWindow } from './applet';
import type { SeEvent } from './firewall';
import type { AppletLifecycle, CardLifecycle } from './lifecycle';
import type { Privilege } from './privileges';

/** The party a supplementary security domain belongs to (DESIGN.md "The cast"). */
export type Party = AppletManifest['owner'];

/** SCP03 static keys of a security domain (GP Amendment D §4.1.1), hex. */
export interface Scp03KeysetState {
  keyVersion: number;
  enc: string;
  mac: string;
  dek: string;
  /** Sequence counter for the pseudo-random card challenge (Amendment D §6.2.2.1); only increases. */
  sequenceCounter: number;
  /** 10 bytes returned by INITIALIZE UPDATE. */
  keyDiversificationData: string;
}

/** SCP11 key material of a security domain (GP Amendment F §4.1), hex. */
export interface Scp11KeysState {
  keyVersion: number;
  /** SK.SD.ECKA. */
  privateKey: string;
  /** PK.SD.ECKA, uncompressed. */
  publicKey: string;
  /** Certificate chain served by GET DATA BF21 (root side first, SD certificate last). */
  certificates: string[];
  /** CA-KLOC roots an SCP11a OCE certificate must chain to. */
  oceTrustAnchors: { id: string; publicKey: string }[];
}

/** A security domain: the issuer's (ISD) or a party's (SSD). */
export interface DomainRecord {
  aid: string;
  /** The party owning this domain; null for the issuer security domain. */
  party: Party | null;
  lifecycle: AppletLifecycle;
  locked: boolean;
  privileges: Privilege[];
  /** The domain this one is associated with (the ISD for every SSD; null for the ISD). */
  associatedSd: string | null;
  scp03: Scp03KeysetState;
  scp11: Scp11KeysState;
  /** Publisher / controlling-authority key checking DAP signatures on this domain's load files (GP §9.2.1). */
  dapPublicKey: string | null;
  /** Personalisation data written by STORE DATA to the domain itself. */
  data: { [key: string]: Json };
}

/** The part of an applet's manifest the card keeps with its load file. */
export interface LoadFileManifest {
  id: string;
  version: string;
  owner: Party;
  capabilities: string[];
  sends: string[];
  /** Shareable interfaces: name → applet ids allowed to call it (firewall, DESIGN.md). */
  shareable: { [name: string]: string[] };
  /** 'householder': installed only with the householder's signed consent (optional services). */
  consent?: 'householder';
}

/** A householder-signed document as the card keeps it: the exact JSON bytes signed and the signature (hex). */
export interface SignedDocumentRecord {
  document: string;
  signature: string;
}

/** An executable load file (package): the published applet source and its signature. */
export interface LoadFileRecord {
  aid: string;
  /** Module AID (one module per load file here). */
  moduleAid: string;
  sdAid: string;
  /** SHA-256 of the source's UTF-8 bytes (the package hash), hex. */
  hash: string;
  source: string;
  manifest: LoadFileManifest;
  /** For a consent-bound load file: the householder's consent it was loaded under. */
  consent?: SignedDocumentRecord;
}

/** An item waiting in an applet's outbox for its owner's next COLLECT. */
export interface OutboxItem {
  messageClass: string;
  body: { [key: string]: Json };
}

/** An application instance. */
export interface AppletRecord {
  aid: string;
  elfAid: string;
  moduleAid: string;
  sdAid: string;
  /** The manifest id of the code it runs. */
  appletId: string;
  version: string;
  /** Package hash of the code it runs (keys the compartment cache). */
  hash: string;
  lifecycle: AppletLifecycle;
  locked: boolean;
  privileges: Privilege[];
  storage: { [key: string]: Json };
  outbox: OutboxItem[];
  /** Load-control windows scheduled by the applet (empty unless it holds the load-control capability). */
  controls: LoadControlWindow[];
}

/** The whole registry (GP §5.3). */
export interface Registry {
  issuerAid: string;
  domains: { [aid: string]: DomainRecord };
  loadFiles: { [aid: string]: LoadFileRecord };
  applets: { [aid: string]: AppletRecord };
}

/** A load in progress on a channel, between INSTALL [for load] and the last LOAD block. */
export interface PendingLoad {
  elfAid: string;
  sdAid: string;
  /** Hash announced in INSTALL [for load], hex. */
  hash: string;
  /** Blocks received so far, hex, in order. */
  blocks: string[];
  /** A householder consent verified at INSTALL [for load] (needed for a consent-bound applet). */
  consent?: SignedDocumentRecord & { service: string; sequence: number };
}

/** One logical channel: what is selected and the card side of its secure channel. */
export interface ChannelState {
  /** The security domain whose keys opened the session (null before authentication). */
  sdAid: string | null;
  /** The selected application or security domain. */
  selected: string | null;
  session: Scp03Session | null;
  scp03Handshake: Scp03CardHandshake | null;
  scp11Handshake: Scp11CardHandshake | null;
  pendingLoad: PendingLoad | null;
  /** INSTALL [for personalization] target for STORE DATA; null: STORE DATA goes to the domain. */
  personalizing: string | null;
  /** STORE DATA blocks received so far (hex) and the next block number. */
  pendingStore: string[];
  /** Order of last use (for evicting the least recently used channel). */
  lastUsed: number;
}

/** The secure element's whole state. Plain JSON: persist it after every `process`. */
export interface SecureElementState {
  kind: 'hydra-secure-element';
  version: 1;
  cardLifecycle: CardLifecycle;
  /** The manufacturer CA that certified every domain's SCP11 key (hosts verify BF21 against it). */
  ca: { id: string; publicKey: string };
  registry: Registry;
  channels: { [channelId: string]: ChannelState };
  /** Monotonic counter of processed commands (orders channels by last use). */
  commandCounter: number;
  /** Refused accesses and management events, newest last, bounded. */
  events: SeEvent[];
}

/* AIDs ------------------------------------------------------------------------------------------ */

/** GP's RID with the ISD's AID (GP Card Specification §H: A000000151000000). */
export const ISSUER_AID = 'a000000151000000';
/** The simulator's proprietary RID: F0 (ISO 7816-5 unregistered) ‖ "HYDR". */
const HYDRA_RID = 'f048594452';
const PIX_KIND = { sd: '01', elf: '02', applet: '03' } as const;

function asciiHex(text: string, maxBytes: number): string {
  let out = '';
  for (const char of text.slice(0, maxBytes)) out += (char.charCodeAt(0) & 0x7f).toString(16).padStart(2, '0');
  return out;
}

/**
 * The simulator's AID for a security domain, load file or applet instance named `name`:
 * RID F048594452 ‖ kind (01 SD, 02 load file, 03 instance) ‖ the name in ASCII (at most 10 bytes,
 * so the AID stays within 16 bytes). Readable in traces.
 */
export function hydraAid(kind: keyof typeof PIX_KIND, name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('AID name: expected a non-empty string');
  return HYDRA_RID + PIX_KIND[kind] + asciiHex(name, 10);
}

/** Checks an AID's length (ISO/IEC 7816-5: 5 to 16 bytes). */
export function isValidAid(aid: Uint8Array): boolean {
  return aid.length >= 5 && aid.length <= 16;
}
