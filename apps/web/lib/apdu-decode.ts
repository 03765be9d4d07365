// Decodes command and response APDUs into a field tree for the meter inspector's trace, Wireshark
// style: every field knows the byte range it came from, so the hex pane can highlight it. Built on
// @hydra/globalplatform's strict codecs (ISO/IEC 7816-4 APDUs, BER-TLV) and its status-word table.
// Decoding never throws: malformed or truncated bytes become a field that says what is wrong.
import { bytesToHex, bytesToUtf8, describeStatusWord, parseCommandApdu, parseTlvs, type CommandApdu, type Tlv } from '@hydra/globalplatform';
import { OPAQUE_CONSTRUCTED_TAGS, TLV_TAG_NAMES } from './tlv-tags';

/** One decoded field: a label, its value and meaning, and the bytes [start, end) it spans. */
export interface ApduField {
  /** Unique within one decoded message. */
  id: string;
  label: string;
  value: string;
  meaning?: string;
  start: number;
  end: number;
  /** Status words only: how it reads. */
  tone?: 'success' | 'warning' | 'danger';
  children: ApduField[];
}

/** A decoded APDU: its bytes and the root of its field tree. */
export interface DecodedApdu {
  bytes: Uint8Array;
  root: ApduField;
}

/** Which side of the relay the bytes were seen on. */
export type ApduView = 'wrapped' | 'plain';

/** Length of the C-MAC / R-MAC at the security levels the meters use (GP Amendment D §6.2.4: 8 bytes). */
const MAC_LENGTH = 8;
const MAX_TLV_DEPTH = 6;
const MAX_TEXT = 600;

const hex = (bytes: Uint8Array) => bytesToHex(bytes).toUpperCase();
const byte = (value: number) => value.toString(16).toUpperCase().padStart(2, '0');

/** Instruction names (GP Card Specification v2.3.1 §11, Amendments D and F; C0 and D0 are the simulator's). */
const INS_NAMES: Readonly<Record<number, string>> = {
  0xa4: 'SELECT',
  0xca: 'GET DATA',
  0x88: 'INTERNAL AUTHENTICATE',
  0x2a: 'PERFORM SECURITY OPERATION',
  0x50: 'INITIALIZE UPDATE',
  0xe6: 'INSTALL',
  0xe8: 'LOAD',
  0xe4: 'DELETE',
  0xf2: 'GET STATUS',
  0xd8: 'PUT KEY',
  0xe2: 'STORE DATA',
  0xf0: 'SET STATUS',
  0xc0: 'COLLECT',
  0xd0: 'APPLET COMMAND',
};

/** The name of an instruction; INS 82 is EXTERNAL AUTHENTICATE under SCP03 (CLA 84), MUTUAL AUTHENTICATE under SCP11a. */
export function insName(cla: number, ins: number): string {
  if (ins === 0x82) return (cla & 0x04) !== 0 ? 'EXTERNAL AUTHENTICATE' : 'MUTUAL AUTHENTICATE';
  return INS_NAMES[ins] ?? `INS ${byte(ins)}`;
}

/** What a CLA byte says (ISO/IEC 7816-4 §5.4.1; GP §11.1.4). */
export function describeCla(cla: number): string {
  if (cla === 0xff) return 'invalid';
  const proprietary = (cla & 0x80) !== 0;
  const parts = [proprietary ? 'GlobalPlatform (proprietary class)' : 'ISO/IEC 7816-4 interindustry class'];
  parts.push((cla & 0x0c) === 0x04 ? 'secure messaging: GP proprietary (C-MAC, C-DECRYPTION)' : (cla & 0x0c) === 0 ? 'no secure messaging' : 'ISO secure messaging');
  parts.push(`logical channel ${cla & 0x03}`);
  return parts.join(' · ');
}

const INSTALL_ROLES: Readonly<Record<number, { name: string; fields: string[] }>> = {
  0x02: { name: 'for load', fields: ['load file AID', 'security domain AID', 'load file data block hash', 'load parameters', 'load token'] },
  0x04: { name: 'for install', fields: ['load file AID', 'module AID', 'application AID', 'privileges', 'install parameters', 'install token'] },
  0x0c: { name: 'for install and make selectable', fields: ['load file AID', 'module AID', 'application AID', 'privileges', 'install parameters', 'install token'] },
  0x08: { name: 'for make selectable', fields: ['(empty)', '(empty)', 'application AID', 'privileges', 'parameters', 'token'] },
  0x20: { name: 'for personalization', fields: ['(empty)', '(empty)', 'application AID', '(empty)', '(empty)', '(empty)'] },
};

function parameterMeanings(command: CommandApdu): { p1?: string; p2?: string } {
  const { ins, p1, p2 } = command;
  switch (ins) {
    case 0xa4:
      return { p1: p1 === 0x04 ? 'select by DF name (AID)' : undefined, p2: p2 === 0x00 ? 'first or only occurrence, return FCI' : p2 === 0x0c ? 'first or only occurrence, no response data' : undefined };
    case 0xca:
      return p1 === 0xbf && p2 === 0x21 ? { p1: 'P1-P2 = BF21', p2: 'certificate store (SCP11)' } : {};
    case 0x88:
    case 0x82:
      return { p1: `key version ${p1}`, p2: p2 === 0x13 ? 'key id 13: SCP11b' : p2 === 0x11 ? 'key id 11: SCP11a' : `key id / security level ${byte(p2)}` };
    case 0x50:
      return { p1: p1 === 0 ? 'key version: the current one' : `key version ${p1}`, p2: 'key id' };
    case 0xe6:
      return { p1: INSTALL_ROLES[p1] ? `INSTALL [${INSTALL_ROLES[p1]?.name}]` : undefined };
    case 0xe8:
    case 0xe2:
      return { p1: p1 === 0x80 ? 'last block' : 'more blocks follow', p2: `block number ${p2}` };
    case 0xe4:
      return { p2: p2 === 0x80 ? 'delete related objects too' : 'delete the object only' };
    case 0xf2:
      return {
        p1: ({ 0x80: 'issuer security domain', 0x40: 'applications and security domains', 0x20: 'executable load files', 0x10: 'load files and their modules' } as Record<number, string>)[p1],
        p2: p2 === 0x02 ? 'TLV format' : undefined,
      };
    case 0xd8:
      return { p1: `current key version ${p1}`, p2: p2 === 0x81 ? 'key id 1, several keys' : undefined };
    case 0xf0:
      return { p1: p1 === 0x80 ? 'the card' : p1 === 0x40 ? 'an application or security domain' : undefined, p2: `new life cycle ${byte(p2)}` };
    case 0xc0:
    case 0xd0:
      return { p1: 'none', p2: 'none' };
    default:
      return {};
  }
}

/** Names the simulator's AIDs (RID F0 "HYDR", then kind and name) and the GP issuer security domain. */
export function describeAid(aid: Uint8Array): string | undefined {
  const text = bytesToHex(aid);
  if (text === 'a000000151000000') return 'issuer security domain (card manager)';
  if (!text.startsWith('f048594452') || aid.length < 7) return undefined;
  const kind = ({ '01': 'security domain', '02': 'load file', '03': 'applet instance' } as Record<string, string>)[text.slice(10, 12)];
  const name = Array.from(aid.subarray(6), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return kind ? `${name} ${kind}` : undefined;
}

function field(id: string, label: string, value: string, start: number, end: number, extra: Partial<ApduField> = {}): ApduField {
  return { id, label, value, start, end, children: [], ...extra };
}

/** A BER-TLV sequence as fields; throws when `bytes` is not well-formed. */
function tlvFields(bytes: Uint8Array, base: number, id: string, depth: number): ApduField[] {
  const items: Tlv[] = parseTlvs(bytes, { recursive: false });
  const out: ApduField[] = [];
  let offset = base;
  items.forEach((item, i) => {
    const start = offset;
    const end = start + item.raw.length;
    const valueStart = end - item.value.length;
    const tag = item.tag.toString(16).toUpperCase();
    const node = field(`${id}.${i}`, `Tag ${tag}`, '', start, end, { meaning: TLV_TAG_NAMES[tag] });
    let children: ApduField[] = [];
    if (item.constructed && !OPAQUE_CONSTRUCTED_TAGS.has(item.tag) && depth < MAX_TLV_DEPTH && item.value.length > 0) {
      try {
        children = tlvFields(item.value, valueStart, node.id, depth + 1);
      } catch {
        children = [];
      }
    }
    if (children.length > 0) {
      node.value = `${item.value.length} bytes`;
      node.children = children;
    } else {
      node.value = item.value.length === 0 ? '(empty)' : hex(item.value);
      const aidLike = [0x4f, 0x84, 0xcc, 0x5f20].includes(item.tag) || (item.tag === 0xc4 && item.value.length <= 16);
      const described = aidLike ? describeAid(item.value) : undefined;
      if (described) node.meaning = `${TLV_TAG_NAMES[tag] ?? 'AID'}: ${described}`;
    }
    out.push(node);
    offset = end;
  });
  return out;
}

/** UTF-8 JSON text, or null. */
function jsonText(bytes: Uint8Array): string | null {
  if (bytes.length === 0 || (bytes[0] !== 0x7b && bytes[0] !== 0x5b)) return null;
  try {
    const text = bytesToUtf8(bytes);
    JSON.parse(text);
    return text;
  } catch {
    return null;
  }
}

/** The plain data of a command or response: TLV where it parses, else JSON, else raw bytes. */
function dataFields(data: Uint8Array, base: number, id: string, label: string): ApduField {
  const node = field(id, label, `${data.length} bytes`, base, base + data.length);
  try {
    node.children = tlvFields(data, base, id, 0);
    node.meaning = 'BER-TLV';
    return node;
  } catch {
    // not TLV: try JSON below
  }
  const json = jsonText(data);
  if (json !== null) {
    node.meaning = 'UTF-8 JSON';
    node.children = [field(`${id}.json`, 'JSON', json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json, base, base + data.length)];
    return node;
  }
  node.children = [field(`${id}.raw`, 'Bytes', hex(data.subarray(0, 64)) + (data.length > 64 ? '…' : ''), base, base + data.length)];
  return node;
}

/** INSTALL data: length-prefixed fields (GP Table 11-41 ff.). Falls back to raw bytes when they do not fit. */
function installFields(command: CommandApdu, base: number, id: string): ApduField {
  const role = INSTALL_ROLES[command.p1];
  const node = field(id, 'Data', `${command.data.length} bytes`, base, base + command.data.length, { meaning: role ? `INSTALL [${role.name}] fields` : undefined });
  if (!role) return dataFields(command.data, base, id, 'Data');
  let offset = 0;
  for (const [i, name] of role.fields.entries()) {
    const length = command.data[offset];
    if (length === undefined || offset + 1 + length > command.data.length) return dataFields(command.data, base, id, 'Data');
    const value = command.data.subarray(offset + 1, offset + 1 + length);
    const described = length >= 5 && length <= 16 ? describeAid(value) : undefined;
    node.children.push(field(`${id}.lv${i}`, name, length === 0 ? '(empty)' : hex(value), base + offset, base + offset + 1 + length, { meaning: described ?? (length > 0 ? `${length} bytes` : undefined) }));
    offset += 1 + length;
  }
  if (offset !== command.data.length) return dataFields(command.data, base, id, 'Data');
  return node;
}

function malformed(bytes: Uint8Array, id: string, label: string, reason: string): DecodedApdu {
  return {
    bytes,
    root: { ...field(id, label, 'malformed', 0, bytes.length, { meaning: reason, tone: 'danger' }), children: bytes.length > 0 ? [field(`${id}.raw`, 'Bytes', hex(bytes.subarray(0, 64)) + (bytes.length > 64 ? '…' : ''), 0, bytes.length)] : [] },
  };
}

/**
 * Decodes a command APDU.
 * @param bytes - the command as seen on one side.
 * @param view - `wrapped` (as the relay carried it: a CLA with the secure-messaging bit has
 *   encrypted data and a C-MAC) or `plain` (as the party and card saw it).
 * @param id - prefix for field ids (default `c`).
 * @returns the field tree; never throws for any input bytes.
 */
export function decodeCommand(bytes: Uint8Array, view: ApduView, id = 'c'): DecodedApdu {
  if (!(bytes instanceof Uint8Array)) return malformed(new Uint8Array(0), id, 'Command APDU', 'no bytes');
  let command: CommandApdu;
  try {
    command = parseCommandApdu(bytes);
  } catch (error) {
    return malformed(bytes, id, 'Command APDU', error instanceof Error ? error.message : 'not a command APDU');
  }
  const name = insName(command.cla, command.ins);
  const secured = (command.cla & 0x0c) === 0x04;
  const meanings = parameterMeanings(command);
  const extended = command.extended === true;
  const root = field(id, 'Command APDU', `${name}${secured ? ' (secured)' : ''}`, 0, bytes.length, { meaning: `${bytes.length} bytes, ${extended ? 'extended' : 'short'} length` });
  const header = field(`${id}.h`, 'Header', `${hex(bytes.subarray(0, 4))}`, 0, 4);
  header.children = [
    field(`${id}.h.cla`, 'CLA', byte(command.cla), 0, 1, { meaning: describeCla(command.cla) }),
    field(`${id}.h.ins`, 'INS', byte(command.ins), 1, 2, { meaning: name }),
    field(`${id}.h.p1`, 'P1', byte(command.p1), 2, 3, meanings.p1 ? { meaning: meanings.p1 } : {}),
    field(`${id}.h.p2`, 'P2', byte(command.p2), 3, 4, meanings.p2 ? { meaning: meanings.p2 } : {}),
  ];
  root.children.push(header);
  let offset = 4;
  if (command.data.length > 0) {
    const lcLength = extended ? 3 : 1;
    root.children.push(field(`${id}.lc`, 'Lc', `${command.data.length}`, offset, offset + lcLength, { meaning: `${command.data.length} data bytes follow${extended ? ' (extended: 00 and two bytes)' : ''}` }));
    offset += lcLength;
    const start = offset;
    const end = start + command.data.length;
    if (view === 'wrapped' && secured && command.data.length >= MAC_LENGTH) {
      const data = field(`${id}.d`, 'Data', `${command.data.length} bytes`, start, end, { meaning: 'secure messaging: encrypted data ‖ C-MAC' });
      if (command.data.length > MAC_LENGTH) data.children.push(field(`${id}.d.enc`, 'Encrypted data', `${command.data.length - MAC_LENGTH} bytes`, start, end - MAC_LENGTH, { meaning: 'C-DECRYPTION: AES-CBC under S-ENC; only the two ends can read it' }));
      data.children.push(field(`${id}.d.mac`, 'C-MAC', hex(command.data.subarray(command.data.length - MAC_LENGTH)), end - MAC_LENGTH, end, { meaning: 'AES-CMAC under S-MAC over the MAC chain, header and data: binds order and makes the command single-use' }));
      root.children.push(data);
    } else if (command.ins === 0xa4 && (command.cla & 0x80) === 0) {
      root.children.push(field(`${id}.d`, 'AID', hex(command.data), start, end, { meaning: describeAid(command.data) ?? 'application identifier' }));
    } else if (command.ins === 0xe6) {
      root.children.push(installFields(command, start, `${id}.d`));
    } else if (command.ins === 0xe8) {
      root.children.push(field(`${id}.d`, 'Load file block', `${command.data.length} bytes`, start, end, { meaning: 'a slice of the load file: DAP blocks E2 then the data block C4 (the published source)' }));
    } else {
      root.children.push(dataFields(command.data, start, `${id}.d`, 'Data'));
    }
    offset = end;
  }
  if (command.ne !== undefined) {
    const leLength = bytes.length - offset;
    root.children.push(field(`${id}.le`, 'Le', hex(bytes.subarray(offset)), offset, bytes.length, { meaning: `up to ${command.ne} response bytes expected${leLength > 1 ? ' (extended)' : ''}` }));
  }
  return { bytes, root };
}

/**
 * Decodes a response APDU.
 * @param bytes - the response as seen on one side.
 * @param view - `wrapped` or `plain`.
 * @param secured - whether the response is protected (its command went under secure messaging and
 *   the card answered a success or warning): then the wrapped view shows encrypted data ‖ R-MAC.
 * @param id - prefix for field ids (default `r`).
 * @returns the field tree; never throws for any input bytes.
 */
export function decodeResponse(bytes: Uint8Array, view: ApduView, secured: boolean, id = 'r'): DecodedApdu {
  if (!(bytes instanceof Uint8Array)) return malformed(new Uint8Array(0), id, 'Response APDU', 'no bytes');
  if (bytes.length < 2) return malformed(bytes, id, 'Response APDU', `a response ends in a two-byte status word; got ${bytes.length} bytes`);
  const n = bytes.length;
  const sw = ((bytes[n - 2] ?? 0) << 8) | (bytes[n - 1] ?? 0);
  const info = describeStatusWord(sw);
  const root = field(id, 'Response APDU', info.hex, 0, n, { meaning: `${n} bytes`, tone: info.category === 'success' ? 'success' : info.category === 'warning' ? 'warning' : 'danger' });
  const data = bytes.subarray(0, n - 2);
  if (data.length > 0) {
    if (view === 'wrapped' && secured && data.length >= MAC_LENGTH) {
      const node = field(`${id}.d`, 'Data', `${data.length} bytes`, 0, data.length, { meaning: 'secure messaging: encrypted response ‖ R-MAC' });
      if (data.length > MAC_LENGTH) node.children.push(field(`${id}.d.enc`, 'Encrypted data', `${data.length - MAC_LENGTH} bytes`, 0, data.length - MAC_LENGTH, { meaning: 'R-ENCRYPTION: AES-CBC under S-ENC; only the two ends can read it' }));
      node.children.push(field(`${id}.d.mac`, 'R-MAC', hex(data.subarray(data.length - MAC_LENGTH)), data.length - MAC_LENGTH, data.length, { meaning: 'AES-CMAC under S-RMAC over the command’s MAC chain, data and status word' }));
      root.children.push(node);
    } else {
      root.children.push(dataFields(data, 0, `${id}.d`, 'Data'));
    }
  }
  root.children.push(field(`${id}.sw`, 'Status word', info.hex, n - 2, n, { meaning: `${info.name}: ${info.meaning}`, tone: root.tone }));
  return { bytes, root };
}

/** Every field of a tree in display order (depth first). */
export function flattenFields(root: ApduField): ApduField[] {
  const out: ApduField[] = [];
  const walk = (node: ApduField) => {
    out.push(node);
    node.children.forEach(walk);
  };
  walk(root);
  return out;
}
