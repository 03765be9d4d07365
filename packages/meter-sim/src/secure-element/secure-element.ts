/// <reference types="ses" />
/**
 * The simulated secure element: manufacture, the APDU entry point and persistence.
 *
 * `processApdu(env, state, { channel, apdu })` is a pure transition (STYLE.md rule 5): it clones
 * the state, lets the card manager work on the clone and returns `{ state, response, events }`; on
 * a refusal it returns the input state (plus the refusal in the event log, and — for a command
 * that arrived under secure messaging — the session advanced past it, as both ends' MAC chains
 * require). Secure channels follow GP Amendment F (SCP11a/b) and Amendment D (SCP03), card side,
 * through @hydra/globalplatform; the card-side session of each logical channel lives in the state,
 * so a restart resumes it (DESIGN.md Decision 6).
 */
import {
  bytesToHex,
  encodeResponseApdu,
  encodeTlv,
  hexToBytes,
  INS_EXTERNAL_AUTHENTICATE,
  INS_INITIALIZE_UPDATE,
  INS_INTERNAL_AUTHENTICATE,
  INS_MUTUAL_AUTHENTICATE,
  INS_PERFORM_SECURITY_OPERATION,
  parseCommandApdu,
  parseResponseApdu,
  publicKeyOf,
  scp03CardExternalAuthenticate,
  scp03CardInitializeUpdate,
  scp03UnwrapCommand,
  scp03WrapResponse,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  scp11CardPerformSecurityOperation,
  type CommandApdu,
  type Json,
  type RandomSource,
  type ResponseApdu,
  type TrustAnchor,
} from '@hydra/globalplatform';
import type { ActivityStep, AppletResponse, MetrologyDay, VoltageExcursion } from './applet';
import { AppletInstances, type AppletCompiler } from './applet-instances';
import type { CryptoPrimitives } from './applet-crypto';
import {
  AppletFault,
  handleAppletCommand,
  handleCollect,
  handleDelete,
  handleGetStatus,
  handleInstall,
  handleLoad,
  handlePutKey,
  handleSetStatus,
  handleStoreData,
  INS,
  type CommandContext,
} from './card-manager';
import { appendEvents, assertChannelReaches, assertShareableGrant, type SeEvent } from './firewall';
import { type CardLifecycle } from './lifecycle';
import { plainNumbers } from './freeze-json';
import { sharedSource } from './load-file';
import { FEED_PRIVILEGES, hasPrivilege, type Privilege } from './privileges';
import { hydraAid, ISSUER_AID, type AppletRecord, type ChannelState, type DomainRecord, type Party, type SecureElementState } from './registry';
import { manufactureDomain, scp03KeysetOf, scp11CardKeysOf, type ManufacturerCa, type ManufacturerCaPublic } from './security-domain';
import { SeError, statusWordOf } from './se-error';

/** What processing needs besides the state: the injected sources and the compartment cache. */
export interface SecureElementEnv {
  random: RandomSource;
  /** World time, ms since 1970 UTC. */
  now: () => number;
  instances: AppletInstances;
}

/** One command for the secure element: the logical channel (a transport-level id) and the APDU bytes. */
export interface SecureElementInput {
  channel: string;
  apdu: Uint8Array;
}

/** The result of one command. */
export interface ProcessResult {
  state: SecureElementState;
  /** The response APDU bytes (always at least a status word). */
  response: Uint8Array;
  /** Events this command added to the log. */
  events: SeEvent[];
  /**
   * The exchange as the card itself saw it, for the meter's own trace: the command after secure
   * messaging was removed (null when it could not be parsed or unwrapped) and the response before
   * secure messaging wrapped it. Warning: plain means plain — keep it on the meter.
   */
  plain: { command: CommandApdu | null; response: ResponseApdu };
}

/** Most logical channels kept; opening one more drops the least recently used. */
export const MAX_CHANNELS = 16;
const MAX_CHANNEL_ID = 64;

function newChannel(): ChannelState {
  return { sdAid: null, selected: null, session: null, scp03Handshake: null, scp11Handshake: null, pendingLoad: null, personalizing: null, pendingStore: [], lastUsed: 0 };
}

/**
 * A deep copy of the plain-JSON state to work on. Objects and arrays are copied; strings are
 * immutable and shared — the load files' sources and the hex keys are most of the state's bytes,
 * which `structuredClone` would copy on every APDU.
 */
function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clone((value as Record<string, unknown>)[key]);
  return out as T;
}

function respond(data: Uint8Array, sw: number): Uint8Array {
  return encodeResponseApdu({ data, sw });
}

function bare(sw: number): ResponseApdu {
  return { data: new Uint8Array(0), sw };
}

function refusalEvents(error: unknown, at: number, actor: string): SeEvent[] {
  const events: SeEvent[] = [];
  if (error instanceof AppletFault) {
    events.push(...error.events);
    events.push({ at, kind: 'applet.fault', actor: error.appletAid, target: error.appletAid, detail: error.message });
  } else if (error instanceof SeError && error.record) {
    events.push({ at, kind: error.record.kind, actor: error.record.actor || actor, target: error.record.target, detail: error.message });
  }
  return events;
}

/* SELECT, GET DATA and the handshakes --------------------------------------------------------- */

function assertCardAllowsSelection(state: SecureElementState, aid: string): void {
  if (state.cardLifecycle === 'TERMINATED') throw new SeError('CONDITIONS_NOT_SATISFIED', 'card is TERMINATED');
  // GP §5.1.1.4: a locked card lets only the issuer security domain be selected.
  if (state.cardLifecycle === 'CARD_LOCKED' && aid !== state.registry.issuerAid) throw new SeError('CONDITIONS_NOT_SATISFIED', 'card is CARD_LOCKED: only the issuer security domain can be selected');
}

function selectTarget(command: CommandApdu, state: SecureElementState): string {
  if (command.p1 !== 0x04 || (command.p2 !== 0x00 && command.p2 !== 0x0c)) throw new SeError('WRONG_P1_P2', 'SELECT: only by DF name (P1 04), first or only occurrence');
  if (command.data.length === 0) return state.registry.issuerAid;
  if (command.data.length < 5 || command.data.length > 16) throw new SeError('WRONG_DATA', `SELECT: an AID has 5 to 16 bytes, got ${command.data.length}`);
  return bytesToHex(command.data);
}

function fci(aid: string): Uint8Array {
  return encodeTlv(0x6f, [encodeTlv(0x84, hexToBytes(aid))]);
}

/** Plain SELECT: security domains only; an applet is reached only through its domain's channel. */
function plainSelect(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const { registry } = ctx.draft;
  const aid = selectTarget(command, ctx.draft);
  const domain = registry.domains[aid];
  if (!domain) {
    if (registry.applets[aid]) {
      throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `SELECT: application ${aid} is reachable only through its security domain's secure channel`, {
        kind: 'firewall.unsecured-select',
        actor: ctx.channelId,
        target: aid,
      });
    }
    throw new SeError('NOT_FOUND', `SELECT: no application ${aid}`);
  }
  assertCardAllowsSelection(ctx.draft, aid);
  if (domain.locked) throw new SeError('SELECTION_FAILED', `SELECT: security domain ${aid} is LOCKED`);
  // Selecting a domain outside secure messaging starts the channel afresh (GP §10.2.3: the session ends).
  Object.assign(ctx.channel, newChannel(), { selected: aid, lastUsed: ctx.channel.lastUsed });
  return { data: fci(aid), sw: 0x9000 };
}

/** SELECT under secure messaging: only the channel's own domain and its applets (the firewall). */
function securedSelect(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  const aid = selectTarget(command, ctx.draft);
  const sdAid = ctx.channel.sdAid;
  if (sdAid === null) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'SELECT: no secure channel');
  const { registry } = ctx.draft;
  if (!registry.domains[aid] && !registry.applets[aid]) throw new SeError('NOT_FOUND', `SELECT: no application ${aid}`);
  assertChannelReaches(registry, sdAid, aid);
  assertCardAllowsSelection(ctx.draft, aid);
  const applet = registry.applets[aid];
  if (applet && (applet.locked || applet.lifecycle === 'INSTALLED')) throw new SeError('SELECTION_FAILED', `SELECT: application ${aid} is ${applet.locked ? 'LOCKED' : 'not SELECTABLE'}`);
  ctx.channel.selected = aid;
  ctx.channel.personalizing = null;
  ctx.channel.pendingStore = [];
  return { data: fci(aid), sw: 0x9000 };
}

function selectedDomain(ctx: CommandContext): DomainRecord {
  const aid = ctx.channel.selected;
  const domain = aid === null ? undefined : ctx.draft.registry.domains[aid];
  if (!domain) throw new SeError('CONDITIONS_NOT_SATISFIED', 'select a security domain first');
  if (domain.locked) throw new SeError('CONDITIONS_NOT_SATISFIED', `security domain ${domain.aid} is LOCKED`);
  assertCardAllowsSelection(ctx.draft, domain.aid);
  return domain;
}

function openSession(ctx: CommandContext, domain: DomainRecord, session: ChannelState['session'], how: string): void {
  Object.assign(ctx.channel, { sdAid: domain.aid, selected: domain.aid, session, scp03Handshake: null, scp11Handshake: null, pendingLoad: null, personalizing: null, pendingStore: [] });
  ctx.events.push({ at: ctx.at, kind: 'channel.opened', actor: ctx.channelId, target: domain.aid, detail: how });
}

/** Commands that arrive outside secure messaging. */
function plainCommand(ctx: CommandContext, command: CommandApdu, bytes: Uint8Array): ResponseApdu {
  const interindustry = command.cla === 0x00;
  if (command.ins === INS.SELECT && interindustry) return plainSelect(ctx, command);
  if (command.ins === INS.GET_DATA && (interindustry || command.cla === 0x80)) {
    if (command.p1 !== 0xbf || command.p2 !== 0x21) throw new SeError('REFERENCED_DATA_NOT_FOUND', 'GET DATA: only BF21 (certificate store) is available');
    const domain = selectedDomain(ctx);
    return parseResponseApdu(scp11CardGetCertificates(scp11CardKeysOf(domain), bytes));
  }
  if (command.cla !== 0x80) throw new SeError(interindustry ? 'INS_NOT_SUPPORTED' : 'CLA_NOT_SUPPORTED', `CLA ${command.cla.toString(16).padStart(2, '0')} INS ${command.ins.toString(16).padStart(2, '0')} is not supported here`);
  switch (command.ins) {
    case INS_INTERNAL_AUTHENTICATE:
    case INS_MUTUAL_AUTHENTICATE: {
      const domain = selectedDomain(ctx);
      const handshake = command.ins === INS_MUTUAL_AUTHENTICATE ? ctx.channel.scp11Handshake : null;
      const { state: session, output } = scp11CardAuthenticate(handshake, bytes, { keys: scp11CardKeysOf(domain), random: ctx.random });
      openSession(ctx, domain, session, command.ins === INS_MUTUAL_AUTHENTICATE ? 'SCP11a' : 'SCP11b');
      return parseResponseApdu(output);
    }
    case INS_PERFORM_SECURITY_OPERATION: {
      const domain = selectedDomain(ctx);
      const { state, output } = scp11CardPerformSecurityOperation(ctx.channel.scp11Handshake, bytes, { keys: scp11CardKeysOf(domain), now: Math.floor(ctx.at / 1000) });
      ctx.channel.scp11Handshake = state;
      return parseResponseApdu(output);
    }
    case INS_INITIALIZE_UPDATE: {
      const domain = selectedDomain(ctx);
      const { state, output } = scp03CardInitializeUpdate({ keyset: scp03KeysetOf(domain), sequenceCounter: domain.scp03.sequenceCounter, aid: hexToBytes(domain.aid) }, bytes);
      // Amendment D §6.2.2.1: the counter moves on with every INITIALIZE UPDATE, so no challenge repeats.
      if (output.nextSequenceCounter !== null) domain.scp03.sequenceCounter = output.nextSequenceCounter;
      Object.assign(ctx.channel, { sdAid: null, session: null, scp03Handshake: state, scp11Handshake: null });
      return parseResponseApdu(output.response);
    }
    case INS.INSTALL:
    case INS.LOAD:
    case INS.DELETE:
    case INS.GET_STATUS:
    case INS.PUT_KEY:
    case INS.STORE_DATA:
    case INS.SET_STATUS:
    case INS.COLLECT:
    case INS.APPLET_COMMAND:
      throw new SeError('SECURITY_STATUS_NOT_SATISFIED', 'this command needs a secure channel (CLA 84)');
    default:
      throw new SeError('INS_NOT_SUPPORTED', `INS ${command.ins.toString(16).padStart(2, '0')} is not supported`);
  }
}

/** Commands unwrapped from secure messaging. */
function securedCommand(ctx: CommandContext, command: CommandApdu): ResponseApdu {
  if (command.ins === INS.SELECT && command.cla === 0x00) return securedSelect(ctx, command);
  if (command.cla !== 0x80) throw new SeError('CLA_NOT_SUPPORTED', `CLA ${(command.cla | 0x04).toString(16)} INS ${command.ins.toString(16).padStart(2, '0')} is not supported`);
  const selected = ctx.channel.selected;
  if (selected === null) throw new SeError('CONDITIONS_NOT_SATISFIED', 'nothing selected on this channel');
  assertCardAllowsSelection(ctx.draft, selected);
  if (ctx.draft.registry.applets[selected]) {
    if (command.ins === INS.COLLECT) return handleCollect(ctx, command);
    if (command.ins === INS.APPLET_COMMAND) return handleAppletCommand(ctx, command);
    throw new SeError('INS_NOT_SUPPORTED', `INS ${command.ins.toString(16).padStart(2, '0')} is not an applet command`);
  }
  switch (command.ins) {
    case INS.INSTALL:
      return handleInstall(ctx, command);
    case INS.LOAD:
      return handleLoad(ctx, command);
    case INS.DELETE:
      return handleDelete(ctx, command);
    case INS.GET_STATUS:
      return handleGetStatus(ctx, command);
    case INS.PUT_KEY:
      return handlePutKey(ctx, command);
    case INS.STORE_DATA:
      return handleStoreData(ctx, command);
    case INS.SET_STATUS:
      return handleSetStatus(ctx, command);
    default:
      throw new SeError('INS_NOT_SUPPORTED', `INS ${command.ins.toString(16).padStart(2, '0')} is not supported by a security domain`);
  }
}

/* The transition ------------------------------------------------------------------------------- */

function commit(env: SecureElementEnv, ctx: CommandContext): SecureElementState {
  const draft = ctx.draft;
  draft.commandCounter += 1;
  ctx.channel.lastUsed = draft.commandCounter;
  draft.channels[ctx.channelId] = ctx.channel;
  const ids = Object.keys(draft.channels);
  if (ids.length > MAX_CHANNELS) {
    const oldest = ids.filter((id) => id !== ctx.channelId).sort((a, b) => (draft.channels[a]?.lastUsed ?? 0) - (draft.channels[b]?.lastUsed ?? 0))[0];
    if (oldest !== undefined) delete draft.channels[oldest];
  }
  draft.events = appendEvents(draft.events, ctx.events);
  for (const key of ctx.forget) env.instances.forget(key);
  return draft;
}

function withEvents(state: SecureElementState, events: SeEvent[]): SecureElementState {
  return events.length === 0 ? state : { ...state, events: appendEvents(state.events, events) };
}

/**
 * Processes one command APDU. Pure with respect to `state`: the input is never mutated.
 * @param env - random source, world clock and the compartment cache.
 * @param state - the current state (from manufacture, a previous result, or `restoreSecureElement`).
 * @param input - logical channel id and the APDU bytes as received.
 * @returns the next state, the response bytes (always ending in a status word) and new events.
 * @throws {TypeError} only for a malformed `input` object (a host bug), never for APDU contents.
 */
export function processApdu(env: SecureElementEnv, state: SecureElementState, input: SecureElementInput): ProcessResult {
  if (typeof input !== 'object' || input === null) throw new TypeError('secure element input: expected { channel, apdu }');
  if (typeof input.channel !== 'string' || input.channel.length === 0 || input.channel.length > MAX_CHANNEL_ID) throw new TypeError(`channel id: expected 1 to ${MAX_CHANNEL_ID} characters`);
  if (!(input.apdu instanceof Uint8Array)) throw new TypeError(`APDU: expected a Uint8Array, got ${typeof input.apdu}`);
  const at = env.now();
  let command: CommandApdu;
  try {
    command = parseCommandApdu(input.apdu);
  } catch (error) {
    return { state, response: respond(new Uint8Array(0), statusWordOf(error)), events: [], plain: { command: null, response: bare(statusWordOf(error)) } };
  }
  const existing = state.channels[input.channel];
  const secured = (command.cla & 0x04) !== 0;
  const isExternalAuthenticate = secured && command.ins === INS_EXTERNAL_AUTHENTICATE && (command.cla & 0xfc) === 0x84 && existing?.scp03Handshake != null;

  if (!secured || isExternalAuthenticate) {
    const draft = clone(state);
    const ctx = context(env, draft, input.channel, at);
    try {
      let response: ResponseApdu;
      if (isExternalAuthenticate) {
        const domain = selectedDomain(ctx);
        const handshake = ctx.channel.scp03Handshake;
        if (!handshake) throw new SeError('CONDITIONS_NOT_SATISFIED', 'no INITIALIZE UPDATE precedes EXTERNAL AUTHENTICATE');
        const { state: session, output } = scp03CardExternalAuthenticate(handshake, input.apdu);
        openSession(ctx, domain, session, 'SCP03');
        response = parseResponseApdu(output);
      } else {
        response = plainCommand(ctx, command, input.apdu);
      }
      return { state: commit(env, ctx), response: encodeResponseApdu(response), events: ctx.events, plain: { command, response } };
    } catch (error) {
      const events = refusalEvents(error, at, input.channel);
      return { state: withEvents(state, events), response: respond(new Uint8Array(0), statusWordOf(error)), events, plain: { command, response: bare(statusWordOf(error)) } };
    }
  }

  // Secure messaging: GP Amendment D §6.2.4 — verify the C-MAC (which chains every earlier command) first.
  const session = existing?.session;
  if (!existing || !session) return { state, response: respond(new Uint8Array(0), 0x6982), events: [], plain: { command: null, response: bare(0x6982) } };
  let unwrapped: { state: NonNullable<ChannelState['session']>; output: CommandApdu };
  try {
    unwrapped = scp03UnwrapCommand(session, input.apdu);
  } catch (error) {
    // A replayed, reordered or forged command: one generic 6982, nothing changes.
    return { state, response: respond(new Uint8Array(0), statusWordOf(error)), events: [], plain: { command: null, response: bare(statusWordOf(error)) } };
  }
  const advanced: SecureElementState = { ...state, channels: { ...state.channels, [input.channel]: { ...existing, session: unwrapped.state } } };
  const draft = clone(advanced);
  const ctx = context(env, draft, input.channel, at);
  let next: SecureElementState;
  let response: ResponseApdu;
  let events: SeEvent[];
  try {
    response = securedCommand(ctx, unwrapped.output);
    next = commit(env, ctx);
    events = ctx.events;
  } catch (error) {
    events = refusalEvents(error, at, input.channel);
    next = withEvents(advanced, events);
    response = { data: new Uint8Array(0), sw: statusWordOf(error) };
  }
  const channel = next.channels[input.channel];
  const plain = { command: unwrapped.output, response };
  if (!channel?.session) return { state: next, response: encodeResponseApdu(response), events, plain };
  // R-MAC and R-ENCRYPTION at level 33 (Amendment D §6.2.5, §6.2.7); error status words go bare.
  const wrapped = scp03WrapResponse(channel.session, response);
  const final = next === advanced ? { ...advanced } : next;
  final.channels = { ...final.channels, [input.channel]: { ...channel, session: wrapped.state } };
  return { state: final, response: wrapped.output, events, plain };
}

function context(env: SecureElementEnv, draft: SecureElementState, channelId: string, at: number): CommandContext {
  const channel = draft.channels[channelId] ?? newChannel();
  return { draft, channelId, channel, instances: env.instances, random: env.random, at, events: [], forget: [] };
}

/* Applets outside APDUs: metrology feed and shareable interfaces -------------------------------- */

/**
 * One local day of metrology as the meter's front end hands it to the card: a {@link MetrologyDay}
 * whose arrays may also be typed arrays (the card copies what it hands on).
 */
export interface MetrologyInput {
  date: string;
  startUtc: number;
  halfHours: number;
  weekday: number;
  importWh: ArrayLike<number>;
  exportWh: ArrayLike<number>;
  voltage?: { minV: ArrayLike<number>; maxV: ArrayLike<number>; meanV: ArrayLike<number> };
  voltageExcursions?: readonly VoltageExcursion[];
  activity?: readonly ActivityStep[];
}

const NO_NUMBERS: readonly number[] = Object.freeze([]);

/** Bits of the feed privileges, in the order of FEED_PRIVILEGES. */
const METROLOGY = 1;
const VOLTAGE = 2;
const ACTIVITY = 4;

/** A typed array's values as a plain array, one function per element type (each stays monomorphic). */
function int32Numbers(values: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i] as number);
  return out;
}
function float32Numbers(values: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i] as number);
  return out;
}
function numbersOf(values: ArrayLike<number>): number[] {
  if (values instanceof Int32Array) return int32Numbers(values);
  if (values instanceof Float32Array) return float32Numbers(values);
  return plainNumbers(values);
}

/**
 * One day's feeds. Each applet gets a frozen feed object of its own whose arrays are its own plain
 * copies, not frozen: V8 reads a frozen array's elements on a slow path (and freezing an array of
 * fractional numbers boxes every element), and an applet that changes its copy changes nothing for
 * any other applet or for the card. Each part is read from the input once into a plain array, and
 * every applet's copy is a slice of that (a plain array's slice is a block copy). The excursion and
 * activity records are frozen objects made once per day and shared.
 */
class DayFeeds {
  private registers?: { importWh: number[]; exportWh: number[] };
  private voltage?: { minV: number[]; maxV: number[]; meanV: number[] } | null;
  private excursions?: readonly VoltageExcursion[];
  private steps?: readonly ActivityStep[];

  constructor(private readonly day: MetrologyInput) {}

  /** A feed for a set of feed privileges (bits {@link METROLOGY}, {@link VOLTAGE}, {@link ACTIVITY}). */
  feed(granted: number): MetrologyDay {
    const day = this.day;
    const registers = granted & METROLOGY ? (this.registers ??= { importWh: numbersOf(day.importWh), exportWh: numbersOf(day.exportWh) }) : undefined;
    const feed: MetrologyDay = {
      date: day.date,
      startUtc: day.startUtc,
      halfHours: day.halfHours,
      weekday: day.weekday,
      importWh: registers ? registers.importWh.slice() : NO_NUMBERS,
      exportWh: registers ? registers.exportWh.slice() : NO_NUMBERS,
    };
    if (granted & VOLTAGE) {
      const { voltage, voltageExcursions } = day;
      if (this.voltage === undefined) this.voltage = voltage ? { minV: numbersOf(voltage.minV), maxV: numbersOf(voltage.maxV), meanV: numbersOf(voltage.meanV) } : null;
      if (this.voltage) feed.voltage = Object.freeze({ minV: this.voltage.minV.slice(), maxV: this.voltage.maxV.slice(), meanV: this.voltage.meanV.slice() });
      if (voltageExcursions) {
        // Object literals, not spreads: only the declared fields are handed over.
        this.excursions ??= voltageExcursions.map((x) => Object.freeze({ startUtc: x.startUtc, durationSeconds: x.durationSeconds, extremeV: x.extremeV }));
        feed.voltageExcursions = this.excursions.slice();
      }
    }
    if (granted & ACTIVITY && day.activity) {
      this.steps ??= day.activity.map((a) => Object.freeze({ minute: a.minute, durationMinutes: a.durationMinutes, watts: a.watts }));
      feed.activity = this.steps.slice();
    }
    return Object.freeze(feed);
  }
}

/** Feed privilege bits of a privilege list, cached by the (never mutated) list. */
const feedBitsOf = new WeakMap<readonly Privilege[], number>();
function feedBits(privileges: readonly Privilege[]): number {
  let bits = feedBitsOf.get(privileges);
  if (bits === undefined) {
    bits = 0;
    FEED_PRIVILEGES.forEach((privilege, i) => {
      if (hasPrivilege(privileges, privilege)) bits = (bits as number) | (1 << i);
    });
    feedBitsOf.set(privileges, bits);
  }
  return bits;
}

/** Whether a load file's applets declare the metrology capability, cached by its (never mutated) manifest. */
const takesMetrologyOf = new WeakMap<object, boolean>();
function takesMetrology(manifest: { capabilities: readonly string[] }): boolean {
  let takes = takesMetrologyOf.get(manifest);
  if (takes === undefined) {
    takes = manifest.capabilities.includes('metrology');
    takesMetrologyOf.set(manifest, takes);
  }
  return takes;
}

/**
 * The part of a day's feed that a set of privileges grants (DESIGN.md "Firewall"): the calendar
 * fields always; the registers with `metrology` (empty arrays otherwise); supply voltage and its
 * excursions with `voltage`; occupant activity steps with `activity`. A frozen object of plain
 * copies (its arrays the caller's own).
 */
export function feedFor(day: MetrologyInput, privileges: readonly Privilege[]): MetrologyDay {
  return new DayFeeds(day).feed(feedBits(privileges));
}

/**
 * An applet record with a call's storage, outbox and windows. A literal, not a spread (V8 clones a
 * spread of a record slowly in a locked-down realm); every field of AppletRecord is required, so a
 * new one fails to compile here until it is copied.
 */
function withWorkspace(applet: AppletRecord, storage: AppletRecord['storage'], outbox: AppletRecord['outbox'], controls: AppletRecord['controls']): AppletRecord {
  return {
    aid: applet.aid,
    elfAid: applet.elfAid,
    moduleAid: applet.moduleAid,
    sdAid: applet.sdAid,
    appletId: applet.appletId,
    version: applet.version,
    hash: applet.hash,
    lifecycle: applet.lifecycle,
    locked: applet.locked,
    privileges: applet.privileges,
    storage,
    outbox,
    controls,
  };
}

/**
 * Publishes one local day of metrology to every selectable applet that declares the metrology
 * capability, each receiving only the parts its privileges grant (`feedFor`); an applet holding
 * none of the feed privileges receives nothing. An applet that throws keeps nothing from this day;
 * the fault is an event. Load-control windows that ended before this day are dropped.
 */
export function feedMetrology(env: SecureElementEnv, state: SecureElementState, day: MetrologyInput): { state: SecureElementState; events: SeEvent[] } {
  // Only applet records change: a new registry with new records for them, the rest shared with
  // the input (which is never mutated) — no clone of the whole state per day.
  const applets = { ...state.registry.applets };
  // Literals rather than spreads of the state (V8 clones a spread slowly in a locked-down realm);
  // every field of both is required, so a new one fails to compile here until it is copied.
  const registry: SecureElementState['registry'] = { issuerAid: state.registry.issuerAid, domains: state.registry.domains, loadFiles: state.registry.loadFiles, applets };
  const draft: SecureElementState = {
    kind: state.kind,
    version: state.version,
    cardLifecycle: state.cardLifecycle,
    ca: state.ca,
    registry,
    channels: state.channels,
    commandCounter: state.commandCounter,
    events: state.events,
  };
  const at = env.now();
  const events: SeEvent[] = [];
  // Each applet's feed from the day's parts (its arrays its own copies).
  const feeds = new DayFeeds(day);
  for (const applet of Object.values(state.registry.applets)) {
    const loadFile = state.registry.loadFiles[applet.elfAid];
    if (!loadFile || applet.locked || applet.lifecycle !== 'SELECTABLE') continue;
    if (!takesMetrology(loadFile.manifest)) continue;
    const granted = feedBits(applet.privileges);
    if (granted === 0) continue;
    const feed = feeds.feed(granted);
    const result = env.instances.run(applet, loadFile, ({ instance }) => instance.onMetrology?.(feed));
    if (result.ok) {
      const { storage, outbox, controls } = result.workspace;
      // An applet that changed nothing keeps its record (the workspace copies only on a write).
      if (storage !== applet.storage || outbox !== applet.outbox || controls !== (applet.controls ?? controls)) applets[applet.aid] = withWorkspace(applet, storage, outbox, controls);
      for (const event of result.workspace.events) events.push(event);
    } else {
      for (const event of result.events) events.push(event);
      events.push({ at, kind: 'applet.fault', actor: applet.aid, target: day.date, detail: result.error instanceof Error ? result.error.message : 'metrology handler failed' });
    }
  }
  for (const applet of Object.values(applets)) {
    if (applet.controls && applet.controls.length > 0 && applet.controls.some((window) => window.toUtc <= day.startUtc)) {
      applets[applet.aid] = withWorkspace(applet, applet.storage, applet.outbox, applet.controls.filter((window) => window.toUtc > day.startUtc));
    }
  }
  if (events.length > 0) draft.events = appendEvents(draft.events, events);
  return { state: draft, events };
}

/**
 * Calls a shareable interface of applet `to` on behalf of applet `from`, as the card manager
 * brokers it: allowed only when `to`'s manifest lists `from`'s applet id under `name`; otherwise
 * refused (6982) and recorded. The callee's `process` receives `{ name, body }`.
 */
export function invokeShareable(
  env: SecureElementEnv,
  state: SecureElementState,
  request: { from: string; to: string; name: string; body: { [key: string]: Json } },
): { state: SecureElementState; response: AppletResponse; events: SeEvent[] } {
  const at = env.now();
  try {
    assertShareableGrant(state.registry, request.from, request.to, request.name);
  } catch (error) {
    const events = refusalEvents(error, at, request.from);
    return { state: withEvents(state, events), response: { status: statusWordOf(error), body: { error: error instanceof Error ? error.message : 'refused' } }, events };
  }
  const draft = clone(state);
  const applet = draft.registry.applets[request.to];
  const loadFile = applet ? draft.registry.loadFiles[applet.elfAid] : undefined;
  if (!applet || !loadFile) return { state, response: { status: 0x6a82, body: {} }, events: [] };
  const result = env.instances.run(applet, loadFile, ({ instance }) => instance.process?.(harden({ name: request.name, body: request.body })));
  if (!result.ok || !result.value) {
    const events: SeEvent[] = [...(result.ok ? [] : result.events), { at, kind: 'applet.fault', actor: request.to, target: request.from, detail: 'shareable call failed' }];
    return { state: withEvents(state, events), response: { status: 0x6f00, body: {} }, events };
  }
  applet.storage = result.workspace.storage;
  applet.outbox = result.workspace.outbox;
  applet.controls = result.workspace.controls;
  draft.events = appendEvents(draft.events, result.workspace.events);
  return { state: draft, response: result.value, events: result.workspace.events };
}

/* Manufacture, persistence and the stateful wrapper -------------------------------------------- */

/** One party's supplementary security domain at manufacture. */
export interface PartyDomainOptions {
  party: Party;
  /** Default: `hydraAid('sd', party)`. */
  aid?: string;
  /** Publisher key that signs this party's packages (DAP Verification). */
  dapPublicKey?: Uint8Array;
  /** CA-KLOC roots for SCP11a OCE certificates. */
  oceTrustAnchors?: TrustAnchor[];
  /** Default: Authorized Management, DAP Verification, metrology. */
  privileges?: Privilege[];
}

/** Options for {@link manufactureSecureElementState} and {@link createSecureElement}. */
export interface ManufactureOptions {
  random: RandomSource;
  now: () => number;
  /**
   * The simulated manufacturer CA that certifies every domain's SCP11 key. With only its public
   * half, domains are left uncertified until `installDomainCertificates` (registration).
   */
  ca: ManufacturerCa | ManufacturerCaPublic;
  parties: PartyDomainOptions[];
  /** The issuer security domain's DAP key and OCE roots. */
  issuer?: { dapPublicKey?: Uint8Array; oceTrustAnchors?: TrustAnchor[] };
  /** Card life cycle after manufacture (default SECURED: personalised and issued). */
  cardLifecycle?: CardLifecycle;
}

const ISSUER_PRIVILEGES: Privilege[] = ['security-domain', 'dap-verification', 'authorized-management', 'card-lock', 'card-terminate', 'global-delete', 'metrology'];
const PARTY_PRIVILEGES: Privilege[] = ['security-domain', 'dap-verification', 'authorized-management', 'metrology'];

/**
 * Manufactures a secure element's state: the issuer security domain and one supplementary domain
 * per party, each with fresh keys from `random` (never a seed) and an SCP11 certificate from `ca`.
 * @throws {RangeError} for duplicate parties or AIDs.
 */
export function manufactureSecureElementState(options: ManufactureOptions): SecureElementState {
  if (typeof options.random !== 'function' || typeof options.now !== 'function') throw new TypeError('manufacture: random and now are required');
  const now = options.now();
  const caPublic = scp11CaPublicKey(options.ca);
  const domains: SecureElementState['registry']['domains'] = {};
  domains[ISSUER_AID] = manufactureDomain({
    aid: ISSUER_AID,
    party: null,
    privileges: ISSUER_PRIVILEGES,
    associatedSd: null,
    ca: options.ca,
    random: options.random,
    now,
    dapPublicKey: options.issuer?.dapPublicKey ?? null,
    oceTrustAnchors: options.issuer?.oceTrustAnchors ?? [],
  });
  for (const party of options.parties) {
    const aid = party.aid ?? hydraAid('sd', party.party);
    if (domains[aid] || Object.values(domains).some((domain) => domain.party === party.party)) throw new RangeError(`party ${party.party}: a security domain exists already`);
    domains[aid] = manufactureDomain({
      aid,
      party: party.party,
      privileges: party.privileges ?? PARTY_PRIVILEGES,
      associatedSd: ISSUER_AID,
      ca: options.ca,
      random: options.random,
      now,
      dapPublicKey: party.dapPublicKey ?? null,
      oceTrustAnchors: party.oceTrustAnchors ?? [],
    });
  }
  return {
    kind: 'hydra-secure-element',
    version: 1,
    cardLifecycle: options.cardLifecycle ?? 'SECURED',
    ca: { id: bytesToHex(options.ca.id), publicKey: caPublic },
    registry: { issuerAid: ISSUER_AID, domains, loadFiles: {}, applets: {} },
    channels: {},
    commandCounter: 0,
    events: [],
  };
}

function scp11CaPublicKey(ca: ManufacturerCa | ManufacturerCaPublic): string {
  // The CA's private key stays at the factory; the card keeps its public key so hosts know which root to check.
  return bytesToHex('privateKey' in ca ? publicKeyOf(ca.privateKey) : ca.publicKey);
}

/** Serialises the state for storage (IndexedDB, a file). */
export function serializeSecureElement(state: SecureElementState): string {
  return JSON.stringify(state);
}

/**
 * Parses a serialised state.
 * @throws {TypeError} when it is not a secure element state of this version.
 */
export function parseSecureElementState(serialized: string): SecureElementState {
  const value = JSON.parse(serialized) as Partial<SecureElementState> | null;
  if (!value || value.kind !== 'hydra-secure-element' || value.version !== 1 || !value.registry || !value.channels || !Array.isArray(value.events)) {
    throw new TypeError('secure element state: expected kind "hydra-secure-element", version 1');
  }
  // Loaded sources shared with every other meter holding the same package (their hash was verified at LOAD).
  for (const loadFile of Object.values(value.registry.loadFiles ?? {})) {
    if (loadFile && typeof loadFile.hash === 'string' && typeof loadFile.source === 'string') loadFile.source = sharedSource(loadFile.hash, loadFile.source);
  }
  return value as SecureElementState;
}

/** Options for the runtime around a state. */
export interface SecureElementRuntimeOptions {
  random: RandomSource;
  now: () => number;
  /** Compiles published applet sources (the host passes `parseAppletModule` with SES's ModuleSource). */
  compile: AppletCompiler;
  /** Native fast paths for the applets' crypto capability (DESIGN.md Decision 17; default noble only). */
  primitives?: CryptoPrimitives;
}

/**
 * A secure element: the current state plus the runtime (compartment cache, random, clock). Each
 * method runs the pure transition and keeps the result; persist `state` (or `serialize()`) after
 * every call.
 */
export class SecureElement {
  private current: SecureElementState;
  readonly env: SecureElementEnv;

  constructor(state: SecureElementState, options: SecureElementRuntimeOptions) {
    this.current = state;
    this.env = { random: options.random, now: options.now, instances: new AppletInstances(options.compile, options.now, options.random, options.primitives) };
  }

  /** The current state (treat as read-only). */
  get state(): SecureElementState {
    return this.current;
  }

  /**
   * Replaces the state with one derived from it by a pure transition outside this class
   * (e.g. `installDomainCertificates`). Warning: pass only a state computed from `state`.
   */
  replaceState(state: SecureElementState): void {
    this.current = state;
  }

  /** Processes one APDU on a logical channel; returns the response bytes and events. */
  process(input: SecureElementInput): ProcessResult {
    const result = processApdu(this.env, this.current, input);
    this.current = result.state;
    return result;
  }

  /** Feeds one day of metrology to the privileged applets. */
  feedMetrology(day: MetrologyInput): SeEvent[] {
    const result = feedMetrology(this.env, this.current, day);
    this.current = result.state;
    return result.events;
  }

  /** Brokers a shareable-interface call between two applets. */
  invokeShareable(request: { from: string; to: string; name: string; body: { [key: string]: Json } }): AppletResponse {
    const result = invokeShareable(this.env, this.current, request);
    this.current = result.state;
    return result.response;
  }

  /** The state as a string, for storage. */
  serialize(): string {
    return serializeSecureElement(this.current);
  }
}

/** Manufactures a new secure element (see {@link manufactureSecureElementState}). */
export function createSecureElement(options: ManufactureOptions & SecureElementRuntimeOptions): SecureElement {
  return new SecureElement(manufactureSecureElementState(options), options);
}

/**
 * Restores a secure element from `serialize()` output. Compartments are rebuilt lazily from the
 * stored sources on first use; open sessions resume where they were.
 */
export function restoreSecureElement(serialized: string, options: SecureElementRuntimeOptions): SecureElement {
  return new SecureElement(parseSecureElementState(serialized), options);
}
