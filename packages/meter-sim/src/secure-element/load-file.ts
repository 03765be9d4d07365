/// <reference types="ses" />
/**
 * Executable load files: what LOAD carries (GP Card Specification v2.3.1 §11.6.2.3). A load file
 * is zero or more DAP blocks `E2 { 4F <SD AID>, C3 <signature> }` followed by the load file data
 * block `C4 <bytes>`, whose bytes are the applet's published source in UTF-8 (DESIGN.md Decision
 * 10: the bytes hashed, signed, shown and evaluated are the same). The DAP signature is ECDSA P-256
 * over SHA-256 of those bytes (`verifyPackage`, GP Amendment E ECC DAP).
 */
import { bytesToHex, bytesToUtf8, concatBytes, encodeTlv, hexToBytes, packageHash, parseTlvs, signPackage, utf8ToBytes, verifyPackage, type Tlv } from '@hydra/globalplatform';
import type { AppletModule } from './applet-runtime';
import type { LoadFileManifest, Party } from './registry';
import { SeError } from './se-error';

/** Tags of a load file (GP Table 11-60). */
const TAG_DAP_BLOCK = 0xe2;
const TAG_SD_AID = 0x4f;
const TAG_SIGNATURE = 0xc3;
const TAG_DATA_BLOCK = 0xc4;

/** One DAP block: which domain's key should verify it, and the signature. */
export interface DapBlock {
  sdAid: Uint8Array;
  signature: Uint8Array;
}

/** A parsed load file. */
export interface ParsedLoadFile {
  daps: DapBlock[];
  /** The load file data block (the source's UTF-8 bytes). */
  dataBlock: Uint8Array;
}

/**
 * Builds a load file from a published applet source and its DAP signatures.
 * @param source - the applet's published source text.
 * @param daps - DAP blocks, usually one per verifying domain (may be empty: an unsigned package).
 */
export function buildLoadFile(source: string, daps: readonly DapBlock[]): Uint8Array {
  if (typeof source !== 'string' || source.length === 0) throw new TypeError('applet source: expected a non-empty string');
  const blocks = daps.map((dap) => encodeTlv(TAG_DAP_BLOCK, [encodeTlv(TAG_SD_AID, dap.sdAid), encodeTlv(TAG_SIGNATURE, dap.signature)]));
  return concatBytes(...blocks, encodeTlv(TAG_DATA_BLOCK, utf8ToBytes(source)));
}

/**
 * Signs a published source as its publisher: ECDSA P-256 over SHA-256 of its UTF-8 bytes.
 * @param source - the published source text.
 * @param publisherPrivateKey - 32-byte P-256 key.
 */
export function signAppletSource(source: string, publisherPrivateKey: Uint8Array): Uint8Array {
  return signPackage(utf8ToBytes(source), publisherPrivateKey);
}

/** The package hash (hex) of a published source, as the dashboard shows it and INSTALL [for load] carries it. */
export function appletSourceHash(source: string): string {
  return bytesToHex(packageHash(utf8ToBytes(source)));
}

/**
 * Parses a load file strictly: DAP blocks, then exactly one data block, nothing after.
 * @throws {SeError} 6A80 for anything else.
 */
export function parseLoadFile(bytes: Uint8Array): ParsedLoadFile {
  let items: Tlv[];
  try {
    items = parseTlvs(bytes, { maxDepth: 2 });
  } catch {
    throw new SeError('WRONG_DATA', 'load file: not well-formed BER-TLV');
  }
  const daps: DapBlock[] = [];
  for (const [i, item] of items.entries()) {
    const last = i === items.length - 1;
    if (item.tag === TAG_DATA_BLOCK && last) {
      if (item.value.length === 0) throw new SeError('WRONG_DATA', 'load file: the data block is empty');
      return { daps, dataBlock: item.value };
    }
    const children = item.children ?? [];
    const aid = children[0];
    const signature = children[1];
    if (item.tag !== TAG_DAP_BLOCK || children.length !== 2 || aid?.tag !== TAG_SD_AID || signature?.tag !== TAG_SIGNATURE) {
      throw new SeError('WRONG_DATA', `load file: item ${i} is neither a DAP block (E2) nor the final data block (C4)`);
    }
    daps.push({ sdAid: aid.value, signature: signature.value });
  }
  throw new SeError('WRONG_DATA', 'load file: no load file data block (C4)');
}

/**
 * Checks a load file's DAP (GP §9.2.1): the block naming `sdAid` must verify with its key over the
 * data block, and the data block must hash to the value announced in INSTALL [for load].
 * @throws {SeError} 6A80 for a hash mismatch; 6982 for a missing or wrong signature.
 */
export function verifyLoadFileDap(parsed: ParsedLoadFile, options: { sdAid: string; dapPublicKey: string | null; announcedHash: string }): void {
  if (bytesToHex(packageHash(parsed.dataBlock)) !== options.announcedHash) {
    throw new SeError('WRONG_DATA', 'load file: the data block does not match the hash given in INSTALL [for load]');
  }
  const dap = parsed.daps.find((block) => bytesToHex(block.sdAid) === options.sdAid);
  if (!dap || options.dapPublicKey === null) {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `load file: no DAP signature for security domain ${options.sdAid}`, { kind: 'dap.refused', actor: options.sdAid, target: options.announcedHash });
  }
  if (!verifyPackage(parsed.dataBlock, dap.signature, hexToBytes(options.dapPublicKey))) {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'load file: the DAP signature does not verify', { kind: 'dap.refused', actor: options.sdAid, target: options.announcedHash });
  }
}

/** Sources kept once per realm by package hash, newest last (a host's meters load the same few packages). */
const sources = new Map<string, string>();
const SOURCES_KEPT = 64;

/**
 * The one copy of a verified package's source in this realm: a host with many meters would
 * otherwise hold every package's text once per meter (≈ 85 KB a meter for the factory applets).
 * Strings are immutable, so sharing one changes nothing but the memory.
 * @param hash - the package hash the source was verified against.
 */
export function sharedSource(hash: string, source: string): string {
  const kept = sources.get(hash);
  if (kept !== undefined && kept === source) return kept;
  if (kept === undefined) {
    if (sources.size >= SOURCES_KEPT) sources.delete(sources.keys().next().value as string);
    sources.set(hash, source);
  }
  return source;
}

/** The source text of a verified data block. @throws {SeError} 6A80 when it is not UTF-8. */
export function dataBlockSource(dataBlock: Uint8Array): string {
  try {
    return bytesToUtf8(dataBlock);
  } catch {
    throw new SeError('WRONG_DATA', 'load file: the data block is not UTF-8 text');
  }
}

const PARTIES: readonly Party[] = ['supplier', 'dno', 'telecare', 'householder'];
const VERSION = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new SeError('WRONG_DATA', `applet manifest: ${field} must be an array of strings`);
  return [...(value as string[])];
}

/**
 * Reads an applet's manifest by evaluating the module in a fresh, empty compartment without calling
 * its factory, and copies it into plain JSON.
 * @throws {SeError} 6A80 when the module does not evaluate or its manifest is malformed.
 */
export function readManifest(module: AppletModule): LoadFileManifest {
  let raw: unknown;
  try {
    const compartment = new Compartment({ __options__: true, globals: {}, modules: { applet: { source: module.moduleSource } } } as never);
    raw = (compartment.importNow('applet') as { manifest?: unknown }).manifest;
  } catch (error) {
    throw new SeError('WRONG_DATA', `applet: the module does not evaluate (${error instanceof Error ? error.message : 'error'})`);
  }
  if (!raw || typeof raw !== 'object') throw new SeError('WRONG_DATA', 'applet: the file must export a manifest');
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== 'string' || m.id.length === 0 || m.id.length > 32) throw new SeError('WRONG_DATA', 'applet manifest: id must be a string of 1 to 32 characters');
  if (typeof m.version !== 'string' || !VERSION.test(m.version)) throw new SeError('WRONG_DATA', 'applet manifest: version must be MAJOR.MINOR.PATCH');
  if (!PARTIES.includes(m.owner as Party)) throw new SeError('WRONG_DATA', `applet manifest: owner must be one of ${PARTIES.join(', ')}`);
  const shareable: LoadFileManifest['shareable'] = {};
  if (m.shareable !== undefined) {
    if (!m.shareable || typeof m.shareable !== 'object') throw new SeError('WRONG_DATA', 'applet manifest: shareable must be an object');
    for (const [name, allowed] of Object.entries(m.shareable as Record<string, unknown>)) shareable[name] = stringArray(allowed, `shareable.${name}`);
  }
  if (m.consent !== undefined && m.consent !== 'householder') throw new SeError('WRONG_DATA', "applet manifest: consent must be 'householder' when present");
  return {
    id: m.id,
    version: m.version,
    owner: m.owner as Party,
    capabilities: stringArray(m.capabilities, 'capabilities'),
    sends: stringArray(m.sends, 'sends'),
    shareable,
    ...(m.consent === 'householder' ? { consent: 'householder' as const } : {}),
  };
}

/** Compares MAJOR.MINOR.PATCH versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
