/// <reference types="ses" />
/**
 * The card manager (issuer security domain, GP Card Specification v2.3.1 §9 and §11) and the
 * supplementary security domains' content management, as handlers over a draft of the state.
 * Each handler receives one plain (already unwrapped) command APDU and either returns the
 * response or throws {@link SeError}; `process` (secure-element.ts) runs them on a clone, so a
 * thrown refusal leaves the caller's state exactly as it was.
 *
 * Commands: INSTALL [for load | install | make selectable | personalization] (§11.5), LOAD (§11.6),
 * DELETE (§11.2), GET STATUS (§11.4), PUT KEY (§11.8, GP Amendment D §7.2), STORE DATA (§11.11),
 * SET STATUS (§11.10); and the applet commands COLLECT (80 C0) and the applet-specific 80 D0.
 */
import {
  aesKeyCheckValue,
  bytesToHex,
  bytesToUtf8,
  concatBytes,
  decodePutKeyData,
  encodeTlv,
  hexToBytes,
  parseTlvs,
  utf8ToBytes,
  type CommandApdu,
  type Json,
  type RandomSource,
  type ResponseApdu,
  type Tlv,
} from '@hydra/globalplatform';
import type { AppletCommand } from './applet';
import type { AppletInstances } from './applet-instances';
import type { SeEvent } from './firewall';
import { appletLifecycleByte, CARD_LIFECYCLE_BYTES, cardAllowsManagement, LOAD_FILE_LOADED, nextAppletLifecycle, nextCardLifecycle } from './lifecycle';
import { readHouseholderToken, verifyHouseholderToken, type VerifiedDecision } from './consent-token';
import { compareVersions, dataBlockSource, parseLoadFile, readManifest, sharedSource, verifyLoadFileDap } from './load-file';
import { decodePrivileges, encodePrivileges, FEED_PRIVILEGES, hasPrivilege, type Privilege } from './privileges';
import type { AppletRecord, ChannelState, DomainRecord, LoadFileRecord, SecureElementState } from './registry';
import { isValidAid } from './registry';
import { SeError } from './se-error';

/** GP and applet instruction bytes handled here. */
export const INS = {
  SELECT: 0xa4,
  GET_DATA: 0xca,
  INSTALL: 0xe6,
  LOAD: 0xe8,
  DELETE: 0xe4,
  GET_STATUS: 0xf2,
  PUT_KEY: 0xd8,
  STORE_DATA: 0xe2,
  SET_STATUS: 0xf0,
  COLLECT: 0xc0,
  APPLET_COMMAND: 0xd0,
} as const;

/** INSTALL P1 roles (GP Table 11-40). */
const INSTALL_FOR = { LOAD: 0x02, INSTALL: 0x04, MAKE_SELECTABLE: 0x08, INSTALL_AND_MAKE_SELECTABLE: 0x0c, PERSONALIZATION: 0x20 } as const;

/** Largest load file and STORE DATA total the simulator accepts. */
export const MAX_LOAD_FILE_BYTES = 65536;
export const MAX_STORE_DATA_BYTES = 16384;
/** Largest COLLECT response body before it is split (6310: more data). */
const MAX_COLLECT_BYTES = 60000;

/** Everything a handler may use. `draft` is a private copy and may be mutated. */
export interface CommandContext {
  draft: SecureElementState;
  channelId: string;
  channel: ChannelState;
  instances: AppletInstances;
  random: RandomSource;
  /** World time (ms) of this command. */
  at: number;
  /** Events produced by a successful command. */
  events: SeEvent[];
  /** AIDs whose live compartments must be dropped once the command commits. */
  forget: string[];
}

const OK = (data: Uint8Array = new Uint8Array(0)): ResponseApdu => ({ data, sw: 0x9000 });
const ONE_ZERO = Uint8Array.of(0x00);

/* Helpers ---------------------------------------------------------------------------------------- */

function event(ctx: CommandContext, kind: SeEvent['kind'], actor: string, target: string, detail: string): void {
  ctx.events.push({ at: ctx.at, kind, actor, target, detail });
}

/** The domain whose secure channel carries this command. */
function channelDomain(ctx: CommandContext): DomainRecord {
  const aid = ctx.channel.sdAid;
  const domain = aid === null ? undefined : ctx.draft.registry.domains[aid];
  if (!domain) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'no secure channel: open one with the security domain first');
  return domain;
}

function isIssuer(ctx: CommandContext, domain: DomainRecord): boolean {
  return domain.aid === ctx.draft.registry.issuerAid;
}

/** GP §9.1: content management needs Authorized Management (Delegated Management needs tokens, which the simulator does not issue). */
function managingDomain(ctx: CommandContext): DomainRecord {
  const domain = channelDomain(ctx);
  if (!cardAllowsManagement(ctx.draft.cardLifecycle)) throw new SeError('CONDITIONS_NOT_SATISFIED', `card is ${ctx.draft.cardLifecycle}: no content management`);
  if (!hasPrivilege(domain.privileges, 'authorized-management')) {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `security domain ${domain.aid} lacks the Authorized Management privilege (Delegated Management needs a token)`);
  }
  return domain;
}

/** Refuses a domain acting on content that belongs to another domain (the ISD may act on all). */
function assertOwns(ctx: CommandContext, domain: DomainRecord, ownerSd: string, target: string): void {
  if (ownerSd === domain.aid || isIssuer(ctx, domain)) return;
  throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `firewall: ${target} belongs to security domain ${ownerSd}, not ${domain.aid}`, {
    kind: 'firewall.foreign-domain',
    actor: domain.aid,
    target,
  });
}

function assertP2(command: CommandApdu, allowed: readonly number[]): void {
  if (!allowed.includes(command.p2)) throw new SeError('WRONG_P1_P2', `P2 ${command.p2.toString(16).padStart(2, '0')} is not supported`);
}

/** Reads the length-prefixed fields of INSTALL data (GP Table 11-41 ff.): exactly `count` fields and nothing more. */
function readLvFields(data: Uint8Array, count: number): Uint8Array[] {
  const fields: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const length = data[offset];
    if (length === undefined || offset + 1 + length > data.length) throw new SeError('WRONG_DATA', `INSTALL data: field ${i + 1} of ${count} is truncated`);
    fields.push(data.slice(offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  if (offset !== data.length) throw new SeError('WRONG_DATA', `INSTALL data: ${data.length - offset} bytes after the last field`);
  return fields;
}

function aidField(bytes: Uint8Array | undefined, field: string): string {
  if (!bytes || !isValidAid(bytes)) throw new SeError('WRONG_DATA', `${field}: expected an AID of 5 to 16 bytes, got ${bytes?.length ?? 0}`);
  return bytesToHex(bytes);
}

function parseTlvData(data: Uint8Array, what: string): Tlv[] {
  try {
    return parseTlvs(data, { maxDepth: 3 });
  } catch {
    throw new SeError('WRONG_DATA', `${what}: not well-formed BER-TLV`);
  }
}

function assertNoToken(token: Uint8Array | undefined): void {
  if (token && token.length > 0) throw new SeError('WRONG_DATA', 'INSTALL: tokens are not supported; use a domain with Authorized Management');
}

function assertAidFree(ctx: CommandContext, aid: string): void {
  const { domains, loadFiles, applets } = ctx.draft.registry;
  if (domains[aid] || loadFiles[aid] || applets[aid]) throw new SeError('WRONG_DATA', `AID ${aid} is already in the registry`);
}

function parseJsonObject(bytes: Uint8Array, what: string): { [key: string]: Json } {
  let value: unknown;
  try {
    value = JSON.parse(bytesToUtf8(bytes));
  } catch {
    throw new SeError('WRONG_DATA', `${what}: expected UTF-8 JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SeError('WRONG_DATA', `${what}: expected a JSON object`);
  return value as { [key: string]: Json };
}

/**
 * Instantiates (or re-instantiates) an instance on the draft's behalf and returns its record with
 * the factory's storage writes folded in. Records a firewall event when the manifest declares a
 * capability the instance's privileges withhold.
 * @throws {SeError} 6A80 when the factory throws or the file is not a valid applet.
 */
function instantiate(ctx: CommandContext, record: AppletRecord, loadFile: LoadFileRecord): AppletRecord {
  const result = ctx.instances.run(record, loadFile, () => undefined);
  if (!result.ok) {
    const reason = result.error instanceof Error ? result.error.message : 'the factory failed';
    throw new SeError('WRONG_DATA', `applet ${loadFile.manifest.id} ${loadFile.manifest.version}: ${reason}`);
  }
  if (loadFile.manifest.capabilities.includes('metrology') && !FEED_PRIVILEGES.some((privilege) => hasPrivilege(record.privileges, privilege))) {
    event(ctx, 'firewall.capability-refused', record.aid, 'metrology', `applet ${record.appletId} declares metrology but holds no metrology, voltage or activity privilege: the feed is withheld`);
  }
  return { ...record, storage: result.workspace.storage, outbox: result.workspace.outbox, controls: result.workspace.controls };
}

/* INSTALL ---------------------------------------------------------------------------------------- */

/** INSTALL (80 E6), GP §11.5. */
export function handleInstall(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  assertP2(command, [0x00]);
  switch (command.p1) {
    case INSTALL_FOR.LOAD:
      return installForLoad(ctx, command.data);
    case INSTALL_FOR.INSTALL:
    case INSTALL_FOR.INSTALL_AND_MAKE_SELECTABLE:
      return installForInstall(ctx, command.data, command.p1 === INSTALL_FOR.INSTALL_AND_MAKE_SELECTABLE);
    case INSTALL_FOR.MAKE_SELECTABLE:
      return installForMakeSelectable(ctx, command.data);
    case INSTALL_FOR.PERSONALIZATION:
      return installForPersonalization(ctx, command.data);
    default:
      throw new SeError('WRONG_P1_P2', `INSTALL: P1 ${command.p1.toString(16).padStart(2, '0')} is not supported`);
  }
}

function installForLoad(ctx: CommandContext, data: Uint8Array): ResponseApdu {
  const domain = managingDomain(ctx);
  const [elf, sd, hash, parameters, token] = readLvFields(data, 5);
  assertNoToken(token);
  const elfAid = aidField(elf, 'INSTALL [for load] load file AID');
  const sdAid = sd && sd.length > 0 ? aidField(sd, 'INSTALL [for load] security domain AID') : domain.aid;
  const target = ctx.draft.registry.domains[sdAid];
  if (!target) throw new SeError('REFERENCED_DATA_NOT_FOUND', `INSTALL [for load]: no security domain ${sdAid}`);
  assertOwns(ctx, domain, sdAid, sdAid);
  // GP §9.2.1: DAP verification needs the load file data block hash.
  if (hash?.length !== 32) throw new SeError('WRONG_DATA', 'INSTALL [for load]: the 32-byte SHA-256 load file hash is required for DAP verification');
  const existing = ctx.draft.registry.loadFiles[elfAid];
  if (existing) {
    // An upgrade (GP Amendment H ELF upgrade, simplified): same AID, same domain, a higher version at the last LOAD.
    if (existing.sdAid !== sdAid) throw new SeError('CONDITIONS_NOT_SATISFIED', `INSTALL [for load]: load file ${elfAid} belongs to ${existing.sdAid}`);
  } else {
    assertAidFree(ctx, elfAid);
  }
  // An optional applet comes with the householder's signed consent in the load parameters (C9);
  // it is checked now, so a refused consent loads nothing.
  const consent = parameters && parameters.length > 0 ? householderConsent(ctx, parameters) : null;
  ctx.channel.pendingLoad = { elfAid, sdAid, hash: bytesToHex(hash), blocks: [], ...(consent ? { consent: { document: consent.document, signature: consent.signature, service: consent.service, sequence: consent.sequence } } : {}) };
  return OK(ONE_ZERO);
}

function issuerDomain(ctx: CommandContext): DomainRecord {
  const issuer = ctx.draft.registry.domains[ctx.draft.registry.issuerAid];
  if (!issuer) throw new SeError('CONDITIONS_NOT_SATISFIED', 'the issuer security domain is missing');
  return issuer;
}

/** Reads and verifies the householder consent token in INSTALL [for load] parameters. */
function householderConsent(ctx: CommandContext, parameters: Uint8Array): VerifiedDecision | null {
  const token = readHouseholderToken(parseTlvData(parameters, 'INSTALL [for load] parameters'));
  if (!token) return null;
  let service = '';
  try {
    const fields = JSON.parse(token.document) as { service?: unknown };
    service = typeof fields.service === 'string' ? fields.service.slice(0, 32) : '';
  } catch {
    service = '';
  }
  return verifyHouseholderToken(issuerDomain(ctx), token, 'consent', service);
}

/** Hands a consent-bound instance its personalisation and the householder's consent (the applet checks it again). */
function deliverConsent(ctx: CommandContext, record: AppletRecord, loadFile: LoadFileRecord): AppletRecord {
  const issuer = issuerDomain(ctx);
  const consent = loadFile.consent;
  if (!consent) throw new SeError('CONDITIONS_NOT_SATISFIED', `INSTALL [for install]: ${loadFile.manifest.id} was loaded without the householder's consent`);
  const commands: AppletCommand[] = [
    { name: 'personalise', body: { householderKey: issuer.data.householderKey ?? null, meterId: issuer.data.meterId ?? null } },
    { name: 'consent', body: { consent: JSON.parse(consent.document) as Json, signature: consent.signature } },
  ];
  let current = record;
  for (const command of commands) {
    const result = ctx.instances.run(current, loadFile, ({ instance }) => instance.process?.(harden(command)));
    const answer = result.ok ? result.value : undefined;
    if (!result.ok || answer?.status !== 0x9000) {
      const reason = result.ok ? String(answer?.body.reason ?? 'no answer') : result.error instanceof Error ? result.error.message : 'applet failure';
      throw new SeError('CONDITIONS_NOT_SATISFIED', `INSTALL [for install]: ${loadFile.manifest.id} refused its ${command.name}: ${reason}`);
    }
    current = { ...current, storage: result.workspace.storage, outbox: result.workspace.outbox, controls: result.workspace.controls };
  }
  return current;
}

function installForInstall(ctx: CommandContext, data: Uint8Array, makeSelectable: boolean): ResponseApdu {
  const domain = managingDomain(ctx);
  const [elf, module, app, privilegeBytes, parameters, token] = readLvFields(data, 6);
  assertNoToken(token);
  const elfAid = aidField(elf, 'INSTALL [for install] load file AID');
  const moduleAid = aidField(module, 'INSTALL [for install] module AID');
  const appletAid = aidField(app, 'INSTALL [for install] application AID');
  const loadFile = ctx.draft.registry.loadFiles[elfAid];
  if (!loadFile) throw new SeError('REFERENCED_DATA_NOT_FOUND', `INSTALL [for install]: no load file ${elfAid}`);
  assertOwns(ctx, domain, loadFile.sdAid, elfAid);
  if (loadFile.moduleAid !== moduleAid) throw new SeError('REFERENCED_DATA_NOT_FOUND', `INSTALL [for install]: load file ${elfAid} has no module ${moduleAid}`);
  assertAidFree(ctx, appletAid);
  let privileges: Privilege[];
  try {
    privileges = decodePrivileges(privilegeBytes ?? new Uint8Array(0));
  } catch (error) {
    throw new SeError('WRONG_DATA', `INSTALL [for install]: ${error instanceof Error ? error.message : 'bad privileges'}`);
  }
  if (privileges.some((privilege) => !FEED_PRIVILEGES.includes(privilege))) throw new SeError('WRONG_DATA', 'INSTALL [for install]: an applet may hold only the metrology, voltage and activity privileges');
  const owner = ctx.draft.registry.domains[loadFile.sdAid];
  // A domain grants only the parts of the feed it holds itself: a supplier's applet cannot be given occupant activity.
  const withheld = privileges.find((privilege) => !owner?.privileges.includes(privilege));
  if (withheld) {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `INSTALL [for install]: security domain ${loadFile.sdAid} may not grant ${withheld}`, { kind: 'firewall.capability-refused', actor: loadFile.sdAid, target: withheld });
  }
  if (parameters && parameters.length > 0) parseTlvData(parameters, 'INSTALL parameters');
  const record: AppletRecord = {
    aid: appletAid,
    elfAid,
    moduleAid,
    sdAid: loadFile.sdAid,
    appletId: loadFile.manifest.id,
    version: loadFile.manifest.version,
    hash: loadFile.hash,
    lifecycle: makeSelectable ? 'SELECTABLE' : 'INSTALLED',
    locked: false,
    privileges,
    storage: {},
    outbox: [],
    controls: [],
  };
  const instance = instantiate(ctx, record, loadFile);
  ctx.draft.registry.applets[appletAid] = loadFile.manifest.consent === 'householder' ? deliverConsent(ctx, instance, loadFile) : instance;
  event(ctx, 'management.installed', domain.aid, appletAid, `${loadFile.manifest.id} ${loadFile.manifest.version} from ${elfAid}`);
  return OK(ONE_ZERO);
}

function installForMakeSelectable(ctx: CommandContext, data: Uint8Array): ResponseApdu {
  const domain = managingDomain(ctx);
  const [elf, module, app, _privileges, _parameters, token] = readLvFields(data, 6);
  assertNoToken(token);
  if (elf?.length !== 0 || module?.length !== 0) throw new SeError('WRONG_DATA', 'INSTALL [for make selectable]: load file and module AID fields must be empty');
  const aid = aidField(app, 'INSTALL [for make selectable] application AID');
  const applet = ctx.draft.registry.applets[aid];
  if (!applet) throw new SeError('REFERENCED_DATA_NOT_FOUND', `INSTALL [for make selectable]: no application ${aid}`);
  assertOwns(ctx, domain, applet.sdAid, aid);
  if (applet.locked || applet.lifecycle !== 'INSTALLED') throw new SeError('CONDITIONS_NOT_SATISFIED', `INSTALL [for make selectable]: ${aid} is ${applet.locked ? 'LOCKED' : applet.lifecycle}`);
  applet.lifecycle = 'SELECTABLE';
  event(ctx, 'management.lifecycle', domain.aid, aid, 'INSTALLED → SELECTABLE');
  return OK(ONE_ZERO);
}

function installForPersonalization(ctx: CommandContext, data: Uint8Array): ResponseApdu {
  const domain = managingDomain(ctx);
  const [elf, module, app, privileges, parameters, token] = readLvFields(data, 6);
  if (elf?.length !== 0 || module?.length !== 0 || privileges?.length !== 0 || parameters?.length !== 0 || token?.length !== 0) {
    throw new SeError('WRONG_DATA', 'INSTALL [for personalization]: only the application AID may be present');
  }
  const aid = aidField(app, 'INSTALL [for personalization] application AID');
  const applet = ctx.draft.registry.applets[aid];
  if (!applet) throw new SeError('REFERENCED_DATA_NOT_FOUND', `INSTALL [for personalization]: no application ${aid}`);
  assertOwns(ctx, domain, applet.sdAid, aid);
  if (applet.locked) throw new SeError('CONDITIONS_NOT_SATISFIED', `INSTALL [for personalization]: ${aid} is LOCKED`);
  ctx.channel.personalizing = aid;
  ctx.channel.pendingStore = [];
  return OK(ONE_ZERO);
}

/* LOAD ------------------------------------------------------------------------------------------- */

/** LOAD (80 E8), GP §11.6: blocks numbered by P2 from 00; P1 b8 marks the last block. */
export function handleLoad(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = managingDomain(ctx);
  const pending = ctx.channel.pendingLoad;
  if (!pending) throw new SeError('CONDITIONS_NOT_SATISFIED', 'LOAD: no INSTALL [for load] precedes it on this channel');
  if (command.p1 !== 0x00 && command.p1 !== 0x80) throw new SeError('WRONG_P1_P2', 'LOAD: P1 must be 00 (more blocks) or 80 (last block)');
  if (command.p2 !== pending.blocks.length) throw new SeError('WRONG_P1_P2', `LOAD: expected block ${pending.blocks.length}, got ${command.p2}`);
  if (command.data.length === 0) throw new SeError('WRONG_LENGTH', 'LOAD: a block carries data');
  const received = pending.blocks.reduce((sum, block) => sum + block.length / 2, 0) + command.data.length;
  if (received > MAX_LOAD_FILE_BYTES) throw new SeError('NOT_ENOUGH_MEMORY', `LOAD: a load file is at most ${MAX_LOAD_FILE_BYTES} bytes`);
  if (pending.blocks.length === 255 && command.p1 !== 0x80) throw new SeError('WRONG_P1_P2', 'LOAD: block FF must be the last');
  const blocks = [...pending.blocks, bytesToHex(command.data)];
  if (command.p1 === 0x00) {
    ctx.channel.pendingLoad = { ...pending, blocks };
    return OK();
  }
  const target = ctx.draft.registry.domains[pending.sdAid];
  if (!target) throw new SeError('REFERENCED_DATA_NOT_FOUND', `LOAD: security domain ${pending.sdAid} is gone`);
  const parsed = parseLoadFile(concatBytes(...blocks.map(hexToBytes)));
  // GP §9.2.1: the domain with DAP Verification checks the signature before anything is kept.
  const dapKey = hasPrivilege(target.privileges, 'dap-verification') ? target.dapPublicKey : null;
  verifyLoadFileDap(parsed, { sdAid: target.aid, dapPublicKey: dapKey, announcedHash: pending.hash });
  const source = sharedSource(pending.hash, dataBlockSource(parsed.dataBlock));
  let manifest: LoadFileRecord['manifest'];
  try {
    manifest = readManifest(ctx.instances.module({ hash: pending.hash, source }));
  } catch (error) {
    if (error instanceof SeError) throw error;
    throw new SeError('WRONG_DATA', `LOAD: the applet does not compile (${error instanceof Error ? error.message : 'error'})`);
  }
  if (target.party !== null && manifest.owner !== target.party) {
    throw new SeError('CONDITIONS_NOT_SATISFIED', `LOAD: applet ${manifest.id} is owned by ${manifest.owner}, not by ${target.party}`, {
      kind: 'firewall.owner-mismatch',
      actor: domain.aid,
      target: pending.elfAid,
    });
  }
  let consent: LoadFileRecord['consent'];
  if (manifest.consent === 'householder') {
    // An optional service: only with the householder's consent, for this very applet.
    if (pending.consent?.service !== manifest.id) {
      throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `LOAD: ${manifest.id} is optional and needs the householder's signed consent in INSTALL [for load]`, {
        kind: 'firewall.consent-refused',
        actor: domain.aid,
        target: pending.elfAid,
      });
    }
    consent = { document: pending.consent.document, signature: pending.consent.signature };
    issuerDomain(ctx).data.consentSequence = pending.consent.sequence;
    event(ctx, 'management.consented', ctx.draft.registry.issuerAid, pending.elfAid, `householder consent ${pending.consent.sequence} to ${manifest.id}`);
  } else if (pending.consent) {
    throw new SeError('WRONG_DATA', `LOAD: ${manifest.id} is not an optional applet; a householder consent does not apply`);
  }
  const loadFile: LoadFileRecord = { aid: pending.elfAid, moduleAid: pending.elfAid, sdAid: target.aid, hash: pending.hash, source, manifest, ...(consent ? { consent } : {}) };
  const old = ctx.draft.registry.loadFiles[pending.elfAid];
  if (old) upgrade(ctx, old, loadFile);
  else event(ctx, 'management.loaded', domain.aid, loadFile.aid, `${manifest.id} ${manifest.version} (${pending.hash})`);
  ctx.draft.registry.loadFiles[loadFile.aid] = loadFile;
  ctx.channel.pendingLoad = null;
  return OK();
}

/**
 * Replaces a load file by a newer version of the same applet and moves every instance onto it with
 * its storage and outbox (the ELF upgrade). All on the draft: any refusal leaves the old version.
 */
function upgrade(ctx: CommandContext, old: LoadFileRecord, next: LoadFileRecord): void {
  if (next.manifest.id !== old.manifest.id) throw new SeError('WRONG_DATA', `upgrade: load file ${old.aid} holds ${old.manifest.id}, not ${next.manifest.id}`);
  if (compareVersions(next.manifest.version, old.manifest.version) <= 0) {
    throw new SeError('CONDITIONS_NOT_SATISFIED', `upgrade: ${next.manifest.id} ${next.manifest.version} is not newer than the installed ${old.manifest.version}`);
  }
  for (const applet of Object.values(ctx.draft.registry.applets)) {
    if (applet.elfAid !== old.aid) continue;
    const moved = instantiate(ctx, { ...applet, hash: next.hash, version: next.manifest.version }, next);
    ctx.draft.registry.applets[applet.aid] = moved;
    ctx.forget.push(`${applet.aid}:${old.hash}`);
  }
  event(ctx, 'management.upgraded', next.sdAid, old.aid, `${old.manifest.id} ${old.manifest.version} → ${next.manifest.version}`);
}

/* DELETE ----------------------------------------------------------------------------------------- */

function removeApplet(ctx: CommandContext, aid: string): void {
  delete ctx.draft.registry.applets[aid];
  for (const channel of Object.values(ctx.draft.channels)) {
    if (channel.selected === aid) channel.selected = null;
    if (channel.personalizing === aid) channel.personalizing = null;
  }
  ctx.forget.push(aid);
}

/**
 * Ends every other secure session opened with a domain's keys: its session keys on the card are
 * wiped, so whatever its party holds of them opens nothing more (when an optional service is deleted).
 */
function endSessions(ctx: CommandContext, sdAid: string): void {
  for (const channel of Object.values(ctx.draft.channels)) {
    // The channel carrying this DELETE keeps its session so that its answer is still protected.
    if (channel === ctx.channel || channel.sdAid !== sdAid) continue;
    Object.assign(channel, { sdAid: null, selected: null, session: null, scp03Handshake: null, scp11Handshake: null, pendingLoad: null, personalizing: null, pendingStore: [] });
  }
}

/**
 * DELETE (80 E4), GP §11.2: P2 80 also deletes related objects (a load file's instances, a domain's
 * content). An optional (consent-bound) applet is deleted by the card manager only with the
 * householder's signed withdrawal (C9 after the AID); deleting it ends its domain's sessions.
 */
export function handleDelete(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = managingDomain(ctx);
  if (command.p1 !== 0x00) throw new SeError('WRONG_P1_P2', 'DELETE: P1 must be 00');
  assertP2(command, [0x00, 0x80]);
  const related = command.p2 === 0x80;
  const items = parseTlvData(command.data, 'DELETE data');
  const aidTlv = items[0];
  if (aidTlv?.tag !== 0x4f || items.length > 2 || (items.length === 2 && items[1]?.tag !== 0xc9)) {
    throw new SeError('WRONG_DATA', 'DELETE: data must be one 4F AID, optionally followed by a C9 householder withdrawal (delete tokens are not supported)');
  }
  const aid = aidField(aidTlv.value, 'DELETE AID');
  const { registry } = ctx.draft;
  const applet = registry.applets[aid];
  const loadFile = registry.loadFiles[aid];
  const target = registry.domains[aid];
  const withdrawal = readHouseholderToken(items.slice(1));
  const optional = (applet ? registry.loadFiles[applet.elfAid] : loadFile)?.manifest;
  if (optional?.consent === 'householder') {
    // The householder's withdrawal deletes an optional service through the card manager; its owner may also end it.
    const owner = applet?.sdAid ?? loadFile?.sdAid;
    if (isIssuer(ctx, domain) || withdrawal) {
      const verified = verifyHouseholderToken(issuerDomain(ctx), withdrawal, 'withdraw', optional.id);
      issuerDomain(ctx).data.consentSequence = verified.sequence;
      event(ctx, 'management.withdrawn', registry.issuerAid, aid, `householder withdrawal ${verified.sequence} of ${optional.id}`);
    }
    if (owner) endSessions(ctx, owner);
  } else if (withdrawal) {
    throw new SeError('WRONG_DATA', 'DELETE: a householder withdrawal applies only to an optional applet');
  }
  if (applet) {
    assertOwns(ctx, domain, applet.sdAid, aid);
    removeApplet(ctx, aid);
    event(ctx, 'management.deleted', domain.aid, aid, `instance of ${applet.appletId}; storage and outbox wiped`);
  } else if (loadFile) {
    assertOwns(ctx, domain, loadFile.sdAid, aid);
    const dependents = Object.values(registry.applets).filter((item) => item.elfAid === aid);
    if (dependents.length > 0 && !related) {
      throw new SeError(
        'CONDITIONS_NOT_SATISFIED',
        `DELETE: load file ${aid} still has instance(s) ${dependents.map((item) => item.aid).join(', ')}; delete them first or send DELETE with P2=80 (related objects)`,
      );
    }
    for (const dependent of dependents) removeApplet(ctx, dependent.aid);
    delete registry.loadFiles[aid];
    event(ctx, 'management.deleted', domain.aid, aid, `load file ${loadFile.manifest.id}${dependents.length ? ` and ${dependents.length} instance(s)` : ''}`);
  } else if (target) {
    if (aid === registry.issuerAid) throw new SeError('CONDITIONS_NOT_SATISFIED', 'DELETE: the issuer security domain cannot be deleted');
    if (!isIssuer(ctx, domain)) {
      throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `DELETE: only the issuer security domain deletes ${aid}`, { kind: 'firewall.foreign-domain', actor: domain.aid, target: aid });
    }
    const content = [...Object.values(registry.applets), ...Object.values(registry.loadFiles)].filter((item) => item.sdAid === aid);
    if (content.length > 0 && !related) throw new SeError('CONDITIONS_NOT_SATISFIED', `DELETE: security domain ${aid} still holds ${content.length} object(s); send P2=80 to delete them too`);
    for (const item of Object.values(registry.applets)) if (item.sdAid === aid) removeApplet(ctx, item.aid);
    for (const item of Object.values(registry.loadFiles)) if (item.sdAid === aid) delete registry.loadFiles[item.aid];
    delete registry.domains[aid];
    // Its keys go with it: no channel may keep a session opened with them.
    for (const channel of Object.values(ctx.draft.channels)) {
      if (channel.sdAid === aid || channel.selected === aid) Object.assign(channel, { sdAid: null, selected: null, session: null, pendingLoad: null, personalizing: null, pendingStore: [] });
    }
    event(ctx, 'management.deleted', domain.aid, aid, 'security domain, its keys and content');
  } else {
    throw new SeError('REFERENCED_DATA_NOT_FOUND', `DELETE: no object ${aid}`);
  }
  return OK(ONE_ZERO);
}

/* GET STATUS ------------------------------------------------------------------------------------- */

function versionBytes(version: string): Uint8Array {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return Uint8Array.of(Math.min(major, 255), Math.min(minor, 255));
}

/** GET STATUS (80 F2), GP §11.4, TLV format only (P2 = 02). */
export function handleGetStatus(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = channelDomain(ctx);
  if (![0x80, 0x40, 0x20, 0x10].includes(command.p1)) throw new SeError('WRONG_P1_P2', 'GET STATUS: P1 must be 80, 40, 20 or 10');
  if (command.p2 !== 0x02) throw new SeError('WRONG_P1_P2', 'GET STATUS: only the TLV format (P2 = 02) is supported');
  const criteria = parseTlvData(command.data, 'GET STATUS search criteria');
  const search = criteria[0];
  if (search?.tag !== 0x4f || criteria.slice(1).some((item) => item.tag !== 0x5c)) throw new SeError('WRONG_DATA', 'GET STATUS: search criteria must start with 4F');
  const prefix = bytesToHex(search.value);
  const issuer = isIssuer(ctx, domain);
  // An SSD sees only itself and its own content (GP §11.4.2.1 with Authorized Management).
  const visible = (ownerSd: string, aid: string) => issuer || ownerSd === domain.aid || aid === domain.aid;
  const { registry } = ctx.draft;
  const entries: Uint8Array[] = [];
  if (command.p1 === 0x80) {
    const isd = registry.domains[registry.issuerAid];
    if (isd && issuer && isd.aid.startsWith(prefix)) {
      entries.push(encodeTlv(0xe3, [encodeTlv(0x4f, hexToBytes(isd.aid)), encodeTlv(0x9f70, Uint8Array.of(CARD_LIFECYCLE_BYTES[ctx.draft.cardLifecycle])), encodeTlv(0xc5, encodePrivileges(isd.privileges))]));
    }
  } else if (command.p1 === 0x40) {
    for (const sd of Object.values(registry.domains)) {
      if (sd.aid === registry.issuerAid || !sd.aid.startsWith(prefix) || !visible(sd.associatedSd ?? '', sd.aid)) continue;
      entries.push(
        encodeTlv(0xe3, [
          encodeTlv(0x4f, hexToBytes(sd.aid)),
          encodeTlv(0x9f70, Uint8Array.of(appletLifecycleByte(sd.lifecycle, sd.locked))),
          encodeTlv(0xc5, encodePrivileges(sd.privileges)),
          encodeTlv(0xcc, hexToBytes(sd.associatedSd ?? registry.issuerAid)),
        ]),
      );
    }
    for (const applet of Object.values(registry.applets)) {
      if (!applet.aid.startsWith(prefix) || !visible(applet.sdAid, applet.aid)) continue;
      entries.push(
        encodeTlv(0xe3, [
          encodeTlv(0x4f, hexToBytes(applet.aid)),
          encodeTlv(0x9f70, Uint8Array.of(appletLifecycleByte(applet.lifecycle, applet.locked))),
          encodeTlv(0xc5, encodePrivileges(applet.privileges)),
          encodeTlv(0xc4, hexToBytes(applet.elfAid)),
          encodeTlv(0xcc, hexToBytes(applet.sdAid)),
        ]),
      );
    }
  } else {
    for (const loadFile of Object.values(registry.loadFiles)) {
      if (!loadFile.aid.startsWith(prefix) || !visible(loadFile.sdAid, loadFile.aid)) continue;
      const fields = [
        encodeTlv(0x4f, hexToBytes(loadFile.aid)),
        encodeTlv(0x9f70, Uint8Array.of(LOAD_FILE_LOADED)),
        encodeTlv(0xcc, hexToBytes(loadFile.sdAid)),
        encodeTlv(0xce, versionBytes(loadFile.manifest.version)),
      ];
      if (command.p1 === 0x10) fields.push(encodeTlv(0x84, hexToBytes(loadFile.moduleAid)));
      entries.push(encodeTlv(0xe3, fields));
    }
  }
  if (entries.length === 0) throw new SeError('REFERENCED_DATA_NOT_FOUND', 'GET STATUS: nothing matches');
  return OK(concatBytes(...entries));
}

/* PUT KEY ---------------------------------------------------------------------------------------- */

/** The key check value of an AES key (GP Amendment D §7.2): AES-ECB(key, 16 × 01), first 3 bytes. */
export const keyCheckValue = aesKeyCheckValue;

/**
 * PUT KEY (80 D8), GP §11.8 and Amendment D §7.2: replaces the domain's SCP03 key set.
 * P1 = the current key version, P2 = 81 (key 1, several keys). Data: new KVN, then ENC, MAC, DEK
 * as `88 11 10 <key encrypted under the channel's DEK> 03 <KCV>`; only over a level-33 channel, so
 * the components are also inside C-DECRYPTION. Answers the new KVN and the three check values.
 */
export function handlePutKey(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = channelDomain(ctx);
  if (!cardAllowsManagement(ctx.draft.cardLifecycle)) throw new SeError('CONDITIONS_NOT_SATISFIED', `card is ${ctx.draft.cardLifecycle}: keys are frozen`);
  const session = ctx.channel.session;
  if (session?.securityLevel !== 0x33) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'PUT KEY: needs a channel at security level 33');
  if (command.p2 !== 0x81) throw new SeError('WRONG_P1_P2', 'PUT KEY: P2 must be 81 (key identifier 1, several keys)');
  if (command.p1 === 0x00) throw new SeError('NOT_ENOUGH_MEMORY', 'PUT KEY: a domain holds one SCP03 key set; replace it by naming its version in P1');
  if (command.p1 !== domain.scp03.keyVersion) throw new SeError('REFERENCED_DATA_NOT_FOUND', `PUT KEY: no key set with version ${command.p1}`);
  if (session.keys.sDek === null) throw new SeError('CONDITIONS_NOT_SATISFIED', 'PUT KEY: the channel has no DEK');
  const data = command.data;
  if (data.length !== 1 + 3 * 23) throw new SeError('WRONG_LENGTH', `PUT KEY: expected ${1 + 3 * 23} bytes of key data, got ${data.length}`);
  const newVersion = data[0] ?? 0;
  if (newVersion < 1 || newVersion > 0x7f || newVersion === domain.scp03.keyVersion) throw new SeError('WRONG_DATA', 'PUT KEY: the new key version must be 01..7F and differ from the current one');
  let decoded;
  try {
    decoded = decodePutKeyData(hexToBytes(session.keys.sDek), data);
  } catch (error) {
    throw new SeError('WRONG_DATA', error instanceof Error ? error.message : 'PUT KEY: key data does not decode');
  }
  const { enc, mac, dek } = decoded.keys;
  if (enc.length !== 16 || mac.length !== 16 || dek.length !== 16) throw new SeError('WRONG_DATA', 'PUT KEY: this card holds AES-128 key sets');
  domain.scp03 = { ...domain.scp03, keyVersion: newVersion, enc: bytesToHex(enc), mac: bytesToHex(mac), dek: bytesToHex(dek), sequenceCounter: 0 };
  event(ctx, 'management.keys-rotated', domain.aid, domain.aid, `SCP03 key set ${command.p1} replaced by ${newVersion}`);
  return OK(decoded.response);
}

/* STORE DATA ------------------------------------------------------------------------------------- */

/**
 * STORE DATA (80 E2), GP §11.11: blocks numbered by P2; P1 b8 marks the last. The assembled data is
 * one UTF-8 JSON object whose members are written to the applet named by INSTALL [for
 * personalization] (its storage), or else to the domain's own data.
 */
export function handleStoreData(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = managingDomain(ctx);
  if (command.p1 !== 0x00 && command.p1 !== 0x80) throw new SeError('WRONG_P1_P2', 'STORE DATA: P1 must be 00 (more blocks) or 80 (last block)');
  if (command.p2 !== ctx.channel.pendingStore.length) throw new SeError('WRONG_P1_P2', `STORE DATA: expected block ${ctx.channel.pendingStore.length}, got ${command.p2}`);
  if (command.data.length === 0) throw new SeError('WRONG_LENGTH', 'STORE DATA: a block carries data');
  const blocks = [...ctx.channel.pendingStore, bytesToHex(command.data)];
  if (blocks.reduce((sum, block) => sum + block.length / 2, 0) > MAX_STORE_DATA_BYTES) throw new SeError('NOT_ENOUGH_MEMORY', `STORE DATA: at most ${MAX_STORE_DATA_BYTES} bytes`);
  if (command.p1 === 0x00) {
    ctx.channel.pendingStore = blocks;
    return OK();
  }
  const values = parseJsonObject(concatBytes(...blocks.map(hexToBytes)), 'STORE DATA');
  const target = ctx.channel.personalizing;
  if (target !== null) {
    const applet = ctx.draft.registry.applets[target];
    if (!applet) throw new SeError('REFERENCED_DATA_NOT_FOUND', `STORE DATA: application ${target} is gone`);
    assertOwns(ctx, domain, applet.sdAid, target);
    if (applet.locked) throw new SeError('CONDITIONS_NOT_SATISFIED', `STORE DATA: ${target} is LOCKED`);
    Object.assign(applet.storage, values);
  } else {
    Object.assign(domain.data, values);
  }
  ctx.channel.pendingStore = [];
  event(ctx, 'management.personalized', domain.aid, target ?? domain.aid, `keys ${Object.keys(values).join(', ')}`);
  return OK();
}

/* SET STATUS ------------------------------------------------------------------------------------- */

/** SET STATUS (80 F0), GP §11.10: P1 80 the card (ISD only), P1 40 an application or security domain. */
export function handleSetStatus(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const domain = channelDomain(ctx);
  const { draft } = ctx;
  if (command.p1 === 0x80) {
    if (!isIssuer(ctx, domain)) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'SET STATUS: only the issuer security domain changes the card life cycle', { kind: 'firewall.foreign-domain', actor: domain.aid, target: 'card' });
    const next = nextCardLifecycle(draft.cardLifecycle, command.p2);
    if (next === 'CARD_LOCKED' && !hasPrivilege(domain.privileges, 'card-lock')) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'SET STATUS: Card Lock privilege required');
    if (next === 'TERMINATED' && !hasPrivilege(domain.privileges, 'card-terminate')) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'SET STATUS: Card Terminate privilege required');
    event(ctx, 'management.lifecycle', domain.aid, 'card', `${draft.cardLifecycle} → ${next}`);
    draft.cardLifecycle = next;
    return OK();
  }
  if (command.p1 !== 0x40) throw new SeError('WRONG_P1_P2', 'SET STATUS: P1 must be 80 (card) or 40 (application or security domain)');
  if (draft.cardLifecycle === 'TERMINATED') throw new SeError('CONDITIONS_NOT_SATISFIED', 'card is TERMINATED');
  const aid = aidField(command.data, 'SET STATUS AID');
  const applet = draft.registry.applets[aid];
  const sd = draft.registry.domains[aid];
  const subject = applet ?? sd;
  if (!subject) throw new SeError('REFERENCED_DATA_NOT_FOUND', `SET STATUS: no application or security domain ${aid}`);
  if (applet) assertOwns(ctx, domain, applet.sdAid, aid);
  else if (!isIssuer(ctx, domain) || aid === draft.registry.issuerAid) {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `SET STATUS: ${domain.aid} may not change security domain ${aid}`, { kind: 'firewall.foreign-domain', actor: domain.aid, target: aid });
  }
  const next = nextAppletLifecycle(subject, command.p2);
  event(ctx, 'management.lifecycle', domain.aid, aid, `${appletLifecycleByte(subject.lifecycle, subject.locked).toString(16)} → ${appletLifecycleByte(next.lifecycle, next.locked).toString(16)}`);
  subject.lifecycle = next.lifecycle;
  subject.locked = next.locked;
  return OK();
}

/* Applet commands -------------------------------------------------------------------------------- */

function selectedApplet(ctx: CommandContext): { applet: AppletRecord; loadFile: LoadFileRecord } {
  const aid = ctx.channel.selected;
  const applet = aid === null ? undefined : ctx.draft.registry.applets[aid];
  const loadFile = applet ? ctx.draft.registry.loadFiles[applet.elfAid] : undefined;
  if (!applet || !loadFile) throw new SeError('CONDITIONS_NOT_SATISFIED', 'no application selected on this channel');
  if (applet.locked || applet.lifecycle === 'INSTALLED') throw new SeError('CONDITIONS_NOT_SATISFIED', `application ${applet.aid} is ${applet.locked ? 'LOCKED' : 'not SELECTABLE'}`);
  return { applet, loadFile };
}

/**
 * COLLECT (80 C0 00 00): drains the selected applet's outbox (DESIGN.md Decision 5: the card
 * answers, it never initiates). Data: UTF-8 JSON `{ items: [{ messageClass, body }] }`; 6310 when
 * more items wait than fit in one response.
 */
export function handleCollect(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const { applet } = selectedApplet(ctx);
  if (command.p1 !== 0 || command.p2 !== 0) throw new SeError('WRONG_P1_P2', 'COLLECT: P1 P2 must be 00 00');
  if (command.data.length !== 0) throw new SeError('WRONG_LENGTH', 'COLLECT carries no data');
  const items: AppletRecord['outbox'] = [];
  let size = 12;
  for (const item of applet.outbox) {
    const itemSize = JSON.stringify(item).length + 1;
    if (items.length > 0 && size + itemSize > MAX_COLLECT_BYTES) break;
    items.push(item);
    size += itemSize;
  }
  applet.outbox = applet.outbox.slice(items.length);
  const data = utf8ToBytes(JSON.stringify({ items }));
  if (data.length > MAX_COLLECT_BYTES + 1024) throw new SeError('NOT_ENOUGH_MEMORY', 'COLLECT: an outbox item is too large to send');
  return { data, sw: applet.outbox.length > 0 ? 0x6310 : 0x9000 };
}

/**
 * Applet-specific command (80 D0 00 00): data is UTF-8 JSON `{ name, body }`, handed to the
 * applet's `process` in its compartment; the response carries the applet's status word and its
 * body as UTF-8 JSON. Storage and outbox changes are kept whatever the status; if the applet
 * throws, nothing it did is kept and the card answers 6F00.
 */
export function handleAppletCommand(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const { applet, loadFile } = selectedApplet(ctx);
  if (command.p1 !== 0 || command.p2 !== 0) throw new SeError('WRONG_P1_P2', 'applet command: P1 P2 must be 00 00');
  const document = parseJsonObject(command.data, 'applet command');
  const name = document.name;
  const body = document.body ?? {};
  if (typeof name !== 'string' || !body || typeof body !== 'object' || Array.isArray(body)) throw new SeError('WRONG_DATA', 'applet command: expected { name: string, body: object }');
  const result = ctx.instances.run(applet, loadFile, ({ instance }) => {
    if (!instance.process) throw new SeError('INS_NOT_SUPPORTED', `applet ${applet.appletId} takes no commands`);
    return instance.process(harden({ name, body: body as { [key: string]: Json } }));
  });
  if (!result.ok) {
    if (result.error instanceof SeError) throw result.error;
    // Refusals the applet ran into are recorded even though its changes are dropped.
    const reason = result.error instanceof Error ? result.error.message : 'applet failure';
    throw new AppletFault(reason, result.events, applet.aid);
  }
  const answer = result.value;
  const status = answer?.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0x6100 || status > 0x9fff || (status >= 0x7000 && status < 0x9000)) {
    throw new AppletFault(`applet ${applet.appletId} answered an invalid status word`, result.workspace.events, applet.aid);
  }
  applet.storage = result.workspace.storage;
  applet.outbox = result.workspace.outbox;
  applet.controls = result.workspace.controls;
  ctx.events.push(...result.workspace.events);
  let data: Uint8Array = utf8ToBytes(JSON.stringify(answer.body ?? {}));
  if (data.length > MAX_COLLECT_BYTES) data = utf8ToBytes('{"error":"response too large"}');
  return { data, sw: status };
}

/** An applet threw or answered nonsense: 6F00, with the refusals it ran into before. */
export class AppletFault extends SeError {
  readonly events: SeEvent[];
  readonly appletAid: string;
  constructor(message: string, events: SeEvent[], appletAid: string) {
    super('NO_PRECISE_DIAGNOSIS', message);
    this.name = 'AppletFault';
    this.events = events;
    this.appletAid = appletAid;
  }
}
