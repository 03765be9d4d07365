/**
 * Host-side builders for the commands the simulated secure element understands, and parsers for
 * its answers — what a party's backend (or a test) sends through its secure channel. Formats follow
 * GP Card Specification v2.3.1 §11 (INSTALL Table 11-41 ff., LOAD §11.6, DELETE §11.2, GET STATUS
 * §11.4, PUT KEY §11.8, STORE DATA §11.11, SET STATUS §11.10); COLLECT and the applet command are
 * the simulator's proprietary INS C0 and D0.
 */
import { bytesToHex, bytesToUtf8, concatBytes, encodePutKeyData, encodeTlv, hexToBytes, parseTlvs, utf8ToBytes, type AesKeySet, type CommandApdu, type Json } from '@hydra/globalplatform';
import { decodePrivileges, encodePrivileges, type Privilege } from './privileges';

const GP = 0x80;

function lv(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 255) throw new RangeError(`INSTALL field: at most 255 bytes, got ${bytes.length}`);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

const none = new Uint8Array(0);

/** SELECT by AID (00 A4 04 00). */
export function selectCommand(aid: string): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hexToBytes(aid), ne: 256 };
}

/**
 * INSTALL [for load] (80 E6 02 00): load file AID, security domain AID, load file data block hash,
 * and load parameters — for an optional applet, the householder's consent token (C9, see
 * `encodeHouseholderToken`).
 */
export function installForLoadCommand(options: { elfAid: string; sdAid?: string; hash: string; parameters?: Uint8Array }): CommandApdu {
  const data = concatBytes(lv(hexToBytes(options.elfAid)), lv(options.sdAid ? hexToBytes(options.sdAid) : none), lv(hexToBytes(options.hash)), lv(options.parameters ?? none), lv(none));
  return { cla: GP, ins: 0xe6, p1: 0x02, p2: 0x00, data, ne: 256 };
}

/** Largest LOAD block: an extended-length APDU's data (ISO/IEC 7816-4 §5.1), room left for SCP03's padding and C-MAC. */
export const MAX_LOAD_BLOCK = 32768;

/**
 * LOAD commands (80 E8) for a load file, split into blocks numbered from 00; the last has P1 = 80.
 * Blocks above 255 bytes travel as extended-length APDUs (GP Card Specification v2.3.1 §11.6.2:
 * the card's supported length applies), which the factory and the card manager use locally to
 * load a package in a few commands rather than hundreds.
 */
export function loadCommands(loadFile: Uint8Array, blockSize = 200): CommandApdu[] {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_LOAD_BLOCK) throw new RangeError(`block size: expected 1..${MAX_LOAD_BLOCK}, got ${blockSize}`);
  const commands: CommandApdu[] = [];
  for (let offset = 0, block = 0; offset < loadFile.length; offset += blockSize, block++) {
    const last = offset + blockSize >= loadFile.length;
    commands.push({ cla: GP, ins: 0xe8, p1: last ? 0x80 : 0x00, p2: block, data: loadFile.slice(offset, offset + blockSize) });
  }
  return commands;
}

/** INSTALL [for install] (P1 04) or [for install and make selectable] (P1 0C). */
export function installForInstallCommand(options: { elfAid: string; moduleAid?: string; appletAid: string; privileges?: Privilege[]; makeSelectable?: boolean }): CommandApdu {
  const data = concatBytes(
    lv(hexToBytes(options.elfAid)),
    lv(hexToBytes(options.moduleAid ?? options.elfAid)),
    lv(hexToBytes(options.appletAid)),
    lv(encodePrivileges(options.privileges ?? [])),
    lv(encodeTlv(0xc9, none)),
    lv(none),
  );
  return { cla: GP, ins: 0xe6, p1: options.makeSelectable === false ? 0x04 : 0x0c, p2: 0x00, data, ne: 256 };
}

/** INSTALL [for make selectable] (80 E6 08 00). */
export function installForMakeSelectableCommand(appletAid: string): CommandApdu {
  const data = concatBytes(lv(none), lv(none), lv(hexToBytes(appletAid)), lv(Uint8Array.of(0)), lv(none), lv(none));
  return { cla: GP, ins: 0xe6, p1: 0x08, p2: 0x00, data, ne: 256 };
}

/** INSTALL [for personalization] (80 E6 20 00): the next STORE DATA goes to this applet. */
export function installForPersonalizationCommand(appletAid: string): CommandApdu {
  const data = concatBytes(lv(none), lv(none), lv(hexToBytes(appletAid)), lv(none), lv(none), lv(none));
  return { cla: GP, ins: 0xe6, p1: 0x20, p2: 0x00, data, ne: 256 };
}

/**
 * DELETE (80 E4 00 00|80): `related` also deletes a load file's instances or a domain's content;
 * `withdrawal` is the householder's signed withdrawal (C9) for an optional applet.
 */
export function deleteCommand(aid: string, options: { related?: boolean; withdrawal?: Uint8Array } = {}): CommandApdu {
  return { cla: GP, ins: 0xe4, p1: 0x00, p2: options.related ? 0x80 : 0x00, data: concatBytes(encodeTlv(0x4f, hexToBytes(aid)), options.withdrawal ?? none), ne: 256 };
}

/** What GET STATUS P1 selects: ISD (80), applications and SDs (40), load files (20), load files and modules (10). */
export type GetStatusScope = 0x80 | 0x40 | 0x20 | 0x10;

/** GET STATUS (80 F2 P1 02) with search criteria 4F <AID prefix> (empty: everything). */
export function getStatusCommand(scope: GetStatusScope, aidPrefix = ''): CommandApdu {
  return { cla: GP, ins: 0xf2, p1: scope, p2: 0x02, data: concatBytes(encodeTlv(0x4f, hexToBytes(aidPrefix)), encodeTlv(0x5c, Uint8Array.of(0x4f, 0x9f, 0x70, 0xc5))), ne: 256 };
}

/** One GET STATUS entry (tag E3). */
export interface StatusEntry {
  aid: string;
  lifecycle: number;
  privileges?: Privilege[];
  elfAid?: string;
  sdAid?: string;
  version?: string;
  moduleAid?: string;
}

/** Parses a GET STATUS response's data: a sequence of E3 templates. */
export function parseGetStatusResponse(data: Uint8Array): StatusEntry[] {
  return parseTlvs(data).map((entry) => {
    if (entry.tag !== 0xe3) throw new RangeError(`GET STATUS: expected E3 entries, got ${entry.tag.toString(16)}`);
    const out: StatusEntry = { aid: '', lifecycle: -1 };
    for (const item of entry.children ?? []) {
      if (item.tag === 0x4f) out.aid = bytesToHex(item.value);
      else if (item.tag === 0x9f70) out.lifecycle = item.value[0] ?? -1;
      else if (item.tag === 0xc5) out.privileges = decodePrivileges(item.value);
      else if (item.tag === 0xc4) out.elfAid = bytesToHex(item.value);
      else if (item.tag === 0xcc) out.sdAid = bytesToHex(item.value);
      else if (item.tag === 0xce) out.version = `${item.value[0] ?? 0}.${item.value[1] ?? 0}`;
      else if (item.tag === 0x84) out.moduleAid = bytesToHex(item.value);
    }
    return out;
  });
}

/**
 * PUT KEY (80 D8 <current KVN> 81) replacing the SCP03 key set with `keys` under `newVersion`,
 * each key encrypted under `dek` — the DEK of the channel it is sent on (the session's `sDek`).
 */
export function putKeyCommand(options: { currentVersion: number; newVersion: number; keys: AesKeySet; dek: Uint8Array }): CommandApdu {
  for (const key of [options.keys.enc, options.keys.mac, options.keys.dek]) if (key.length !== 16) throw new RangeError(`PUT KEY: AES-128 keys only, got ${key.length} bytes`);
  return { cla: GP, ins: 0xd8, p1: options.currentVersion, p2: 0x81, data: encodePutKeyData(options.dek, options.newVersion, options.keys), ne: 256 };
}

/** STORE DATA (80 E2) blocks carrying one JSON object; the last block has P1 = 80. */
export function storeDataCommands(values: { [key: string]: Json }, blockSize = 200): CommandApdu[] {
  const bytes = utf8ToBytes(JSON.stringify(values));
  const commands: CommandApdu[] = [];
  for (let offset = 0, block = 0; offset < bytes.length; offset += blockSize, block++) {
    const last = offset + blockSize >= bytes.length;
    commands.push({ cla: GP, ins: 0xe2, p1: last ? 0x80 : 0x00, p2: block, data: bytes.slice(offset, offset + blockSize) });
  }
  return commands;
}

/** SET STATUS (80 F0): P1 80 for the card (no AID), 40 for an application or security domain. */
export function setStatusCommand(scope: 0x80 | 0x40, state: number, aid?: string): CommandApdu {
  return { cla: GP, ins: 0xf0, p1: scope, p2: state, data: aid ? hexToBytes(aid) : none };
}

/** COLLECT (80 C0 00 00): drains the selected applet's outbox. */
export function collectCommand(): CommandApdu {
  return { cla: GP, ins: 0xc0, p1: 0, p2: 0, data: none, ne: 65536 };
}

/** Applet-specific command (80 D0 00 00) with a JSON `{ name, body }`. */
export function appletCommand(name: string, body: { [key: string]: Json } = {}): CommandApdu {
  return { cla: GP, ins: 0xd0, p1: 0, p2: 0, data: utf8ToBytes(JSON.stringify({ name, body })), ne: 65536 };
}

/** Parses a COLLECT response's data. */
export function parseCollectResponse(data: Uint8Array): { messageClass: string; body: { [key: string]: Json } }[] {
  const parsed = JSON.parse(bytesToUtf8(data)) as { items?: unknown };
  if (!Array.isArray(parsed.items)) throw new RangeError('COLLECT: expected { items: [...] }');
  return parsed.items as { messageClass: string; body: { [key: string]: Json } }[];
}

/** Parses an applet command's response body. */
export function parseAppletResponse(data: Uint8Array): { [key: string]: Json } {
  return data.length === 0 ? {} : (JSON.parse(bytesToUtf8(data)) as { [key: string]: Json });
}
