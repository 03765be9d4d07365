/**
 * A key-free view of a secure element's registry (GP Card Specification v2.3.1 §5.3), for the
 * dashboard's meter inspector: the card's life cycle, each security domain with its life cycle,
 * privileges and key versions, each executable load file with its package hash and DAP check, and
 * each applet instance. It is derived from the real state, and it never copies a key: no SCP03
 * static key, no SCP11 private key, no session key, not even a public key — only key version
 * numbers and whether a certificate or a DAP key is present.
 */
import { hexToBytes, utf8ToBytes, verifyPackage } from '@hydra/globalplatform';
import { appletLifecycleByte, CARD_LIFECYCLE_BYTES, type AppletLifecycle, type CardLifecycle } from './lifecycle';
import { appletSourceHash } from './load-file';
import { encodePrivileges, type Privilege } from './privileges';
import type { DomainRecord, Party, SecureElementState } from './registry';

/** A security domain without its keys. */
export interface DomainView {
  aid: string;
  /** Owning party; null for the issuer security domain. */
  party: Party | null;
  lifecycle: AppletLifecycle;
  locked: boolean;
  /** GP life cycle byte (Table 11-5), hex. */
  lifecycleByte: string;
  privileges: Privilege[];
  /** The three GP privilege bytes, hex. */
  privilegeBytes: string;
  associatedSd: string | null;
  /** SCP03 static key set version (the keys themselves are not part of the view). */
  scp03KeyVersion: number;
  /** SCP11 key version. */
  scp11KeyVersion: number;
  /** Certificates in the SCP11 certificate store (0 until the manufacturer CA certified the domain). */
  certificates: number;
  /** Whether the domain holds a DAP verification key. */
  hasDapKey: boolean;
}

/** An executable load file without its source text. */
export interface LoadFileView {
  aid: string;
  moduleAid: string;
  sdAid: string;
  appletId: string;
  version: string;
  owner: Party;
  /** Package hash recorded at LOAD (SHA-256 of the published source), hex. */
  hash: string;
  /** Whether the stored source still hashes to `hash`. */
  hashMatchesSource: boolean;
  capabilities: string[];
  sends: string[];
  sourceBytes: number;
  /**
   * The DAP check redone here: the published signature (when given) verified over the stored
   * source with the owning domain's DAP key. null when no published signature was given.
   */
  dapVerified: boolean | null;
}

/** An applet instance without its storage values. */
export interface AppletView {
  aid: string;
  appletId: string;
  version: string;
  elfAid: string;
  sdAid: string;
  lifecycle: AppletLifecycle;
  locked: boolean;
  lifecycleByte: string;
  privileges: Privilege[];
  privilegeBytes: string;
  /** Items waiting for the owner's next COLLECT. */
  outboxItems: number;
  /** Names of the storage entries (values stay on the card). */
  storageKeys: string[];
}

/** A logical channel: what it has selected and whether a secure session is open. */
export interface ChannelView {
  id: string;
  sdAid: string | null;
  selected: string | null;
  /** SCP03 security level of the open session (0x33 for C-MAC, C-DEC, R-MAC, R-ENC), or null. */
  securityLevel: number | null;
}

/** The whole registry without keys. */
export interface SecureElementView {
  cardLifecycle: CardLifecycle;
  cardLifecycleByte: string;
  issuer: DomainView | null;
  /** Supplementary security domains, in registry order. */
  domains: DomainView[];
  loadFiles: LoadFileView[];
  applets: AppletView[];
  channels: ChannelView[];
}

const hex2 = (value: number) => value.toString(16).padStart(2, '0');
const privilegeHex = (privileges: readonly Privilege[]) => Array.from(encodePrivileges(privileges), hex2).join('');

function domainView(domain: DomainRecord): DomainView {
  return {
    aid: domain.aid,
    party: domain.party,
    lifecycle: domain.lifecycle,
    locked: domain.locked,
    lifecycleByte: hex2(appletLifecycleByte(domain.lifecycle, domain.locked)),
    privileges: [...domain.privileges],
    privilegeBytes: privilegeHex(domain.privileges),
    associatedSd: domain.associatedSd,
    scp03KeyVersion: domain.scp03.keyVersion,
    scp11KeyVersion: domain.scp11.keyVersion,
    certificates: domain.scp11.certificates.length,
    hasDapKey: domain.dapPublicKey !== null,
  };
}

function checkDap(source: string, signatureHex: string | undefined, dapPublicKey: string | null): boolean | null {
  if (signatureHex === undefined) return null;
  if (dapPublicKey === null) return false;
  try {
    return verifyPackage(utf8ToBytes(source), hexToBytes(signatureHex), hexToBytes(dapPublicKey));
  } catch {
    return false;
  }
}

/**
 * Describes a secure element's registry without any key material.
 * @param state - the secure element's state (e.g. `MeterState.se`).
 * @param options.signatures - published DAP signatures by applet id (hex), to redo each load file's DAP check.
 * @throws {TypeError} when `state` is not a secure element state.
 */
export function describeSecureElement(state: SecureElementState, options: { signatures?: Readonly<Record<string, string>> } = {}): SecureElementView {
  if (!state || state.kind !== 'hydra-secure-element' || !state.registry) throw new TypeError('secure element view: expected a secure element state');
  const { registry } = state;
  const issuerRecord = registry.domains[registry.issuerAid];
  return {
    cardLifecycle: state.cardLifecycle,
    cardLifecycleByte: hex2(CARD_LIFECYCLE_BYTES[state.cardLifecycle]),
    issuer: issuerRecord ? domainView(issuerRecord) : null,
    domains: Object.values(registry.domains)
      .filter((domain) => domain.aid !== registry.issuerAid)
      .map(domainView),
    loadFiles: Object.values(registry.loadFiles).map((file) => ({
      aid: file.aid,
      moduleAid: file.moduleAid,
      sdAid: file.sdAid,
      appletId: file.manifest.id,
      version: file.manifest.version,
      owner: file.manifest.owner,
      hash: file.hash,
      hashMatchesSource: appletSourceHash(file.source) === file.hash,
      capabilities: [...file.manifest.capabilities],
      sends: [...file.manifest.sends],
      sourceBytes: utf8ToBytes(file.source).length,
      dapVerified: checkDap(file.source, options.signatures?.[file.manifest.id], registry.domains[file.sdAid]?.dapPublicKey ?? null),
    })),
    applets: Object.values(registry.applets).map((applet) => ({
      aid: applet.aid,
      appletId: applet.appletId,
      version: applet.version,
      elfAid: applet.elfAid,
      sdAid: applet.sdAid,
      lifecycle: applet.lifecycle,
      locked: applet.locked,
      lifecycleByte: hex2(appletLifecycleByte(applet.lifecycle, applet.locked)),
      privileges: [...applet.privileges],
      privilegeBytes: privilegeHex(applet.privileges),
      outboxItems: applet.outbox.length,
      storageKeys: Object.keys(applet.storage).sort(),
    })),
    channels: Object.entries(state.channels).map(([id, channel]) => ({
      id,
      sdAid: channel.sdAid,
      selected: channel.selected,
      securityLevel: channel.session ? channel.session.securityLevel : null,
    })),
  };
}
