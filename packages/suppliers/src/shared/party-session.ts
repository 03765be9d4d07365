/**
 * The host (party) end of a secure channel to the party's own security domain on one meter,
 * driven entirely through the relay (DESIGN.md Decisions 5, 6): SCP11b set-up per GP Amendment F
 * §7.6 — SELECT the domain, GET DATA BF21 (certificate store), verify the chain against the
 * manufacturer CA, INTERNAL AUTHENTICATE → receipt → SCP03 session keys — then SCP03 secure
 * messaging at security level 33 (Amendment D §6.2: C-MAC + C-DECRYPTION, R-MAC + R-ENCRYPTION)
 * for SELECT of the party's applet and the applet commands.
 *
 * SCP03 allows one command in flight per channel, so commands wait in a queue inside the session
 * state and go out one per answer. Every step's state is persisted, sealed under the party's KEK
 * in the party's own table, before anything is posted: a restart of the party resumes exactly;
 * a meter that no longer knows the session (its answer is a bare 6982) makes the party re-open
 * SCP11b and re-send the command that failed.
 *
 * Generic over parties: the energy supplier uses it now; DNO and telecare backends reuse it with
 * their own store, KEK and party id.
 */
import { encodeEnvelope, frameApdu, unframeApdu } from '@hydra/dcc';
import {
  buildGetCertificatesCommand,
  bytesToHex,
  bytesToUtf8,
  encodeCommandApdu,
  hexToBytes,
  parseGetCertificatesResponse,
  parseResponseApdu,
  scp03UnwrapResponse,
  scp03WrapCommand,
  scp11HostFinish,
  scp11HostStart,
  utf8ToBytes,
  verifyCertificateChain,
  type CommandApdu,
  type RandomSource,
  type ResponseApdu,
  type RoutingHeader,
  type Scp03Session,
  type Scp11HostHandshake,
  type TrustAnchor,
} from '@hydra/globalplatform';
import type { RelayClient } from './relay-client';
import { openKey, sealKey } from './sealed-keys';

/** One command waiting for (or in) the channel. APDU fields as JSON (data in hex). */
export interface QueuedCommand {
  /** Caller's id for this command (e.g. to match a standing collect). */
  tag: string;
  appletId: string;
  appletAid: string;
  /** Routing message class (checked by the relay's eligibility rules and bound to the APDU by the meter). */
  messageClass: string;
  apdu: { cla: number; ins: number; p1: number; p2: number; data: string; ne?: number };
}

type Step = 'select-domain' | 'get-data' | 'authenticate' | 'select-applet' | 'command';

/** The party's side of one channel. Plain JSON; stored sealed. */
export interface PartySessionState {
  kind: 'party-session';
  version: 1;
  worldId: string;
  meterId: string;
  sdAid: string;
  phase: 'closed' | 'handshake' | 'open';
  handshake: Scp11HostHandshake | null;
  session: Scp03Session | null;
  selectedApplet: string | null;
  /** The downlink awaiting its answer; `envelope` (hex) is kept so it can be re-posted after a crash. */
  inFlight: { messageId: string; step: Step; command: QueuedCommand | null; envelope?: string } | null;
  queue: QueuedCommand[];
  /**
   * The last uplink this session took an answer from, and what it completed. A crash after the
   * session was saved but before the caller stored its results leaves the relay redelivering that
   * uplink: it is answered again from here instead of being refused as unexpected.
   */
  lastAnswered?: { messageId: string; completed: { command: QueuedCommand; sw: number; data: string } | null } | null;
  /** Re-opens since the last completed command (bounded, so a broken card does not loop). */
  reopens: number;
}

/** Where a party keeps its sealed session rows (its own table). */
export interface PartySessionStore {
  load(meterId: string): Promise<Uint8Array | null>;
  save(meterId: string, worldId: string, sealed: Uint8Array): Promise<void>;
  remove(meterId: string): Promise<void>;
}

/** What a party session needs: identity, KEK, randomness, clock, trust anchor, relay and store. */
export interface PartySessionOptions {
  partyId: string;
  kek: Uint8Array;
  random: RandomSource;
  /** Wall-clock ms for certificate validity. */
  now: () => number;
  /** The manufacturer CA the domain certificates must chain to. */
  trustAnchors: TrustAnchor[];
  relay: RelayClient;
  store: PartySessionStore;
}

/** A refusal from the session layer. */
export class PartySessionError extends Error {
  constructor(
    readonly code: 'AUTHENTICATION_FAILED' | 'UNEXPECTED_RESPONSE' | 'CERTIFICATE_INVALID' | 'NO_SESSION',
    message: string,
  ) {
    super(message);
    this.name = 'PartySessionError';
  }
}

/** A completed command: what it was and the card's (unwrapped) answer. */
export interface CompletedCommand {
  command: QueuedCommand;
  response: ResponseApdu;
}

const MAX_REOPENS = 3;
const MAX_QUEUE = 32;

function sealedId(partyId: string, meterId: string): string {
  return `${partyId}-session|${meterId}`;
}

async function load(options: PartySessionOptions, meterId: string): Promise<PartySessionState | null> {
  const sealed = await options.store.load(meterId);
  if (!sealed) return null;
  return JSON.parse(bytesToUtf8(openKey(options.kek, sealedId(options.partyId, meterId), sealed))) as PartySessionState;
}

async function save(options: PartySessionOptions, state: PartySessionState): Promise<void> {
  await options.store.save(state.meterId, state.worldId, sealKey(options.kek, sealedId(options.partyId, state.meterId), utf8ToBytes(JSON.stringify(state)), options.random));
}

function toApdu(command: QueuedCommand['apdu']): CommandApdu {
  return { cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2, data: hexToBytes(command.data), ...(command.ne !== undefined ? { ne: command.ne } : {}) };
}

function selectApdu(aid: string): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hexToBytes(aid), ne: 256 };
}

/** Computes the next downlink for an idle channel (advancing the state) or null when nothing is queued. */
function nextDownlink(options: PartySessionOptions, state: PartySessionState): { step: Step; command: QueuedCommand | null; apdu: Uint8Array; messageClass: string; appletId: string } | null {
  const head = state.queue[0];
  if (state.inFlight || !head) return null;
  if (state.phase !== 'open' || !state.session) {
    state.phase = 'handshake';
    state.session = null;
    state.handshake = null;
    state.selectedApplet = null;
    return { step: 'select-domain', command: null, apdu: encodeCommandApdu(selectApdu(state.sdAid)), messageClass: 'session-setup', appletId: head.appletId };
  }
  if (state.selectedApplet !== head.appletAid) {
    const wrapped = scp03WrapCommand(state.session, selectApdu(head.appletAid));
    state.session = wrapped.state;
    return { step: 'select-applet', command: null, apdu: wrapped.output, messageClass: 'applet-command', appletId: head.appletId };
  }
  state.queue.shift();
  const wrapped = scp03WrapCommand(state.session, toApdu(head.apdu));
  state.session = wrapped.state;
  return { step: 'command', command: head, apdu: wrapped.output, messageClass: head.messageClass, appletId: head.appletId };
}

/** Sends the next downlink if the channel is idle: persist first, then post (at-least-once). */
async function pump(options: PartySessionOptions, state: PartySessionState): Promise<void> {
  const next = nextDownlink(options, state);
  if (!next) {
    await save(options, state);
    return;
  }
  const header: RoutingHeader = {
    messageId: bytesToHex(options.random(16)),
    worldId: state.worldId,
    meterId: state.meterId,
    partyId: options.partyId,
    appletId: next.appletId,
    messageClass: next.messageClass,
    direction: 'downlink',
  };
  const envelope = encodeEnvelope(header, frameApdu(next.apdu));
  state.inFlight = { messageId: header.messageId, step: next.step, command: next.command, envelope: bytesToHex(envelope) };
  await save(options, state);
  try {
    await options.relay.postDownlink(envelope);
  } catch (error) {
    // Never sent: the host's MAC chain moved on alone, so the session is unusable; re-open next time.
    if (next.command) state.queue.unshift(next.command);
    Object.assign(state, { inFlight: null, phase: 'closed', session: null, handshake: null, selectedApplet: null });
    await save(options, state);
    throw error;
  }
}

/**
 * Queues a command for the party's applet on a meter and sends it (or the session set-up it
 * needs) when the channel is idle.
 * @param target - world, meter and the AID of the party's security domain there.
 */
export async function queuePartyCommand(options: PartySessionOptions, target: { worldId: string; meterId: string; sdAid: string }, command: QueuedCommand): Promise<void> {
  const state: PartySessionState = (await load(options, target.meterId)) ?? {
    kind: 'party-session',
    version: 1,
    worldId: target.worldId,
    meterId: target.meterId,
    sdAid: target.sdAid.toLowerCase(),
    phase: 'closed',
    handshake: null,
    session: null,
    selectedApplet: null,
    inFlight: null,
    queue: [],
    reopens: 0,
  };
  if (state.queue.length >= MAX_QUEUE) throw new RangeError(`party session ${target.meterId}: at most ${MAX_QUEUE} queued commands`);
  state.queue.push(command);
  await pump(options, state);
}

/** The commands queued or in flight for a meter (for "is a collect armed?"). */
export async function pendingPartyCommands(options: PartySessionOptions, meterId: string): Promise<QueuedCommand[]> {
  const state = await load(options, meterId);
  if (!state) return [];
  return [...(state.inFlight?.command ? [state.inFlight.command] : []), ...state.queue];
}

/**
 * Re-posts the downlink in flight, if any (after a crash between saving the session and posting,
 * or to be sure it reached the relay): the relay answers a byte-identical envelope "already
 * delivered", so this is safe to repeat. Returns whether something was posted.
 */
export async function resendInFlight(options: PartySessionOptions, meterId: string): Promise<boolean> {
  const state = await load(options, meterId);
  if (!state?.inFlight?.envelope) return false;
  await options.relay.postDownlink(hexToBytes(state.inFlight.envelope));
  return true;
}

/** Forgets a meter's session (e.g. the meter was re-manufactured with new keys). */
export async function resetPartySession(options: PartySessionOptions, meterId: string): Promise<void> {
  await options.store.remove(meterId);
}

/**
 * Handles the card's answer to the command in flight: advances the set-up, unwraps a secured
 * response (R-MAC verified before R-ENC is removed), re-opens on a bare 6982, sends the next
 * queued command, and returns the completed applet command if this answer completed one.
 * @throws {PartySessionError} UNEXPECTED_RESPONSE for an answer to nothing in flight (stale or
 *   replayed), AUTHENTICATION_FAILED for a response that fails R-MAC, CERTIFICATE_INVALID for a
 *   certificate chain that does not verify. Nothing is stored then.
 */
export async function receivePartyResponse(options: PartySessionOptions, header: RoutingHeader, payload: Uint8Array): Promise<CompletedCommand | null> {
  const state = await load(options, header.meterId);
  if (state?.lastAnswered && state.lastAnswered.messageId === header.messageId) {
    // A redelivery of the answer this session already took (the caller crashed before storing
    // its results): hand the same completion back so the caller can store it idempotently.
    const done = state.lastAnswered.completed;
    return done ? { command: done.command, response: { sw: done.sw, data: hexToBytes(done.data) } } : null;
  }
  if (!state?.inFlight || header.correlationId !== state.inFlight.messageId) {
    throw new PartySessionError('UNEXPECTED_RESPONSE', `party session: ${header.messageId} answers no command in flight`);
  }
  let bytes: Uint8Array;
  let plain: ResponseApdu;
  try {
    bytes = unframeApdu(payload);
    plain = parseResponseApdu(bytes);
  } catch {
    throw new PartySessionError('AUTHENTICATION_FAILED', 'party session: the response is not an APDU');
  }
  const inFlight = state.inFlight;
  let completed: CompletedCommand | null = null;
  state.lastAnswered = { messageId: header.messageId, completed: null };
  const reopen = () => {
    // The card no longer knows the session (restored from older state, or a command was lost): re-open.
    if (inFlight.command) state.queue.unshift(inFlight.command);
    state.reopens += 1;
    Object.assign(state, { phase: 'closed', session: null, handshake: null, selectedApplet: null });
  };
  state.inFlight = null;
  if (plain.sw === 0x6982 || (inFlight.step !== 'command' && plain.sw !== 0x9000 && plain.sw !== 0x6310)) {
    reopen();
    if (state.reopens > MAX_REOPENS) {
      // Give up until the next command is queued: the card keeps refusing the set-up.
      state.reopens = 0;
      state.queue = [];
    }
  } else {
    switch (inFlight.step) {
      case 'select-domain': {
        // GP Amendment F §7.5: GET DATA BF21 for the SD's SCP11b key (KVN 1, KID 13).
        await postPlain(options, state, buildGetCertificatesCommand(1, 0x13), 'get-data');
        return null;
      }
      case 'get-data': {
        let leafKey: Uint8Array;
        try {
          const chain = parseGetCertificatesResponse(bytes);
          const leaf = verifyCertificateChain(chain, { trustAnchors: options.trustAnchors, now: Math.floor(options.now() / 1000), leafRole: 'sd' });
          if (bytesToHex(leaf.subjectId) !== state.sdAid) throw new Error('certificate for another domain');
          leafKey = leaf.publicKey;
        } catch {
          throw new PartySessionError('CERTIFICATE_INVALID', `party session: the security domain certificate of ${header.meterId} does not chain to the manufacturer CA`);
        }
        const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: leafKey, random: options.random });
        const authenticate = start.output[0];
        if (!authenticate) throw new PartySessionError('NO_SESSION', 'SCP11b: no authenticate command');
        state.handshake = start.state;
        await postPlain(options, state, authenticate, 'authenticate');
        return null;
      }
      case 'authenticate': {
        if (!state.handshake) throw new PartySessionError('NO_SESSION', 'party session: no handshake in progress');
        try {
          state.session = scp11HostFinish(state.handshake, bytes).state;
        } catch {
          // A receipt that does not verify: the card is not the certified domain; start again.
          reopen();
          break;
        }
        state.handshake = null;
        state.phase = 'open';
        state.selectedApplet = null;
        break;
      }
      case 'select-applet':
      case 'command': {
        if (!state.session) throw new PartySessionError('NO_SESSION', 'party session: no session');
        let response: ResponseApdu;
        try {
          const unwrapped = scp03UnwrapResponse(state.session, bytes);
          state.session = unwrapped.state;
          response = unwrapped.output;
        } catch {
          throw new PartySessionError('AUTHENTICATION_FAILED', 'party session: the response failed R-MAC verification');
        }
        if (inFlight.step === 'select-applet') {
          if (response.sw !== 0x9000) {
            // The applet is not selectable (deleted, locked): drop what was queued for it.
            const aid = state.queue[0]?.appletAid;
            state.queue = state.queue.filter((queued) => queued.appletAid !== aid);
          } else state.selectedApplet = state.queue[0]?.appletAid ?? null;
        } else if (inFlight.command) {
          completed = { command: inFlight.command, response };
          state.lastAnswered = { messageId: header.messageId, completed: { command: inFlight.command, sw: response.sw, data: bytesToHex(response.data) } };
          state.reopens = 0;
        }
        break;
      }
    }
  }
  await pump(options, state);
  return completed;
}

async function postPlain(options: PartySessionOptions, state: PartySessionState, apdu: Uint8Array, step: Step): Promise<void> {
  const head = state.queue[0];
  if (!head) throw new PartySessionError('NO_SESSION', 'party session: set-up with nothing queued');
  const header: RoutingHeader = {
    messageId: bytesToHex(options.random(16)),
    worldId: state.worldId,
    meterId: state.meterId,
    partyId: options.partyId,
    appletId: head.appletId,
    messageClass: 'session-setup',
    direction: 'downlink',
  };
  const envelope = encodeEnvelope(header, frameApdu(apdu));
  state.inFlight = { messageId: header.messageId, step, command: null, envelope: bytesToHex(envelope) };
  await save(options, state);
  try {
    await options.relay.postDownlink(envelope);
  } catch (error) {
    Object.assign(state, { inFlight: null, phase: 'closed', session: null, handshake: null, selectedApplet: null });
    await save(options, state);
    throw error;
  }
}
