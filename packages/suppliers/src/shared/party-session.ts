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
 * in the party's own table, before anything is posted, and the envelope in flight is kept in it:
 * a restart of the party resumes exactly and re-posts it (the relay answers a byte-identical
 * repost "already delivered"). An answer is taken in one transaction with whatever the caller
 * stores from it (bills, receipt), so a crash leaves either both or neither. A meter that no
 * longer knows the session (its answer is a bare 6982) makes the party re-open SCP11b and re-send
 * the command that failed; a second bare 6982 to that re-sent command is the applet's refusal.
 *
 * Generic over parties: the energy supplier, the DNO and the telecare provider each use it with
 * their own store (`session-store.ts`), KEK and party id.
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
  /** Set when the command is sent again on a re-opened session after a bare 6982. */
  resent?: boolean;
  /** Queued with placement `first`: ahead of the others, in the order such commands were queued. */
  ahead?: boolean;
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
  /** Re-opens since the last completed command (bounded, so a broken card does not loop). */
  reopens: number;
}

/**
 * Where a party keeps its sealed session rows (its own table). `Tx` is the party's database
 * transaction: an answer's new session state is saved in the same transaction as what the caller
 * stores from it.
 */
export interface PartySessionStore<Tx = unknown> {
  load(meterId: string): Promise<Uint8Array | null>;
  save(meterId: string, worldId: string, sealed: Uint8Array, tx?: Tx): Promise<void>;
  remove(meterId: string): Promise<void>;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** What a party session needs: identity, KEK, randomness, clock, trust anchor, relay and store. */
export interface PartySessionOptions<Tx = unknown> {
  partyId: string;
  kek: Uint8Array;
  random: RandomSource;
  /** Wall-clock ms for certificate validity. */
  now: () => number;
  /** The manufacturer CA the domain certificates must chain to. */
  trustAnchors: TrustAnchor[];
  relay: RelayClient;
  store: PartySessionStore<Tx>;
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

/** One load → change → save at a time per party and meter in this process. */
const locks = new Map<string, Promise<unknown>>();
async function exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.catch(() => undefined);
  locks.set(key, settled);
  try {
    return await run;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}

function sealedId(partyId: string, meterId: string): string {
  return `${partyId}-session|${meterId}`;
}

async function load<Tx>(options: PartySessionOptions<Tx>, meterId: string): Promise<PartySessionState | null> {
  const sealed = await options.store.load(meterId);
  if (!sealed) return null;
  return JSON.parse(bytesToUtf8(openKey(options.kek, sealedId(options.partyId, meterId), sealed))) as PartySessionState;
}

async function save<Tx>(options: PartySessionOptions<Tx>, state: PartySessionState, tx?: Tx): Promise<void> {
  await options.store.save(state.meterId, state.worldId, sealKey(options.kek, sealedId(options.partyId, state.meterId), utf8ToBytes(JSON.stringify(state)), options.random), tx);
}

function toApdu(command: QueuedCommand['apdu']): CommandApdu {
  return { cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2, data: hexToBytes(command.data), ...(command.ne !== undefined ? { ne: command.ne } : {}) };
}

function selectApdu(aid: string): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hexToBytes(aid), ne: 256 };
}

/** Puts one downlink in flight: a fresh message id, the envelope kept (hex) for re-posting. */
function putInFlight<Tx>(options: PartySessionOptions<Tx>, state: PartySessionState, next: { step: Step; command: QueuedCommand | null; apdu: Uint8Array; messageClass: string; appletId: string }): void {
  const header: RoutingHeader = {
    messageId: bytesToHex(options.random(16)),
    worldId: state.worldId,
    meterId: state.meterId,
    partyId: options.partyId,
    appletId: next.appletId,
    messageClass: next.messageClass,
    direction: 'downlink',
  };
  state.inFlight = { messageId: header.messageId, step: next.step, command: next.command, envelope: bytesToHex(encodeEnvelope(header, frameApdu(next.apdu))) };
}

/** For an idle channel with something queued: puts the next downlink in flight (advancing the MAC chain). */
function prepareNext<Tx>(options: PartySessionOptions<Tx>, state: PartySessionState): void {
  const head = state.queue[0];
  if (state.inFlight || !head) return;
  if (state.phase !== 'open' || !state.session) {
    Object.assign(state, { phase: 'handshake', session: null, handshake: null, selectedApplet: null });
    putInFlight(options, state, { step: 'select-domain', command: null, apdu: encodeCommandApdu(selectApdu(state.sdAid)), messageClass: 'session-setup', appletId: head.appletId });
    return;
  }
  if (state.selectedApplet !== head.appletAid) {
    const wrapped = scp03WrapCommand(state.session, selectApdu(head.appletAid));
    state.session = wrapped.state;
    putInFlight(options, state, { step: 'select-applet', command: null, apdu: wrapped.output, messageClass: 'applet-command', appletId: head.appletId });
    return;
  }
  state.queue.shift();
  const wrapped = scp03WrapCommand(state.session, toApdu(head.apdu));
  state.session = wrapped.state;
  putInFlight(options, state, { step: 'command', command: head, apdu: wrapped.output, messageClass: head.messageClass, appletId: head.appletId });
}

/**
 * Posts the envelope in flight (after it has been saved). A failure is not an error of the
 * caller's operation: the envelope stays in flight and {@link resendInFlight} posts it again.
 * @returns whether the relay took it.
 */
async function postInFlight<Tx>(options: PartySessionOptions<Tx>, state: PartySessionState): Promise<boolean> {
  if (!state.inFlight?.envelope) return false;
  try {
    await options.relay.postDownlink(hexToBytes(state.inFlight.envelope));
    return true;
  } catch {
    return false;
  }
}

function freshState(target: { worldId: string; meterId: string; sdAid: string }): PartySessionState {
  return {
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
}

/**
 * Queues a command for the party's applet on a meter and sends it (or the session set-up it
 * needs) when the channel is idle. The command is stored before anything is posted; if the relay
 * cannot be reached it stays in flight and goes out with {@link resendInFlight}.
 * @param target - world, meter and the AID of the party's security domain there.
 * @param placement - `first` puts the command ahead of those waiting (not ahead of the one in
 *   flight, nor of earlier `first` commands): for set-up a meter needs before its next metering,
 *   which standing collects must not delay.
 * @returns whether a downlink reached the relay now.
 * @throws {RangeError} when the meter's queue is full.
 */
export async function queuePartyCommand<Tx>(
  options: PartySessionOptions<Tx>,
  target: { worldId: string; meterId: string; sdAid: string },
  command: QueuedCommand,
  placement: 'last' | 'first' = 'last',
): Promise<{ posted: boolean }> {
  return exclusive(sealedId(options.partyId, target.meterId), async () => {
    const state = (await load(options, target.meterId)) ?? freshState(target);
    if (state.queue.length >= MAX_QUEUE) throw new RangeError(`party session ${target.meterId}: at most ${MAX_QUEUE} queued commands`);
    if (placement === 'first') {
      // Never ahead of the head whose applet SELECT is in flight (that answer selects the head's
      // applet), nor ahead of commands queued `first` before it: two campaigns sent before the meter
      // wakes reach it in the order they were signed (a later sequence first would make the card
      // refuse the earlier one as a replay).
      let at = state.inFlight?.step === 'select-applet' ? 1 : 0;
      while (at < state.queue.length && state.queue[at]?.ahead === true) at++;
      state.queue.splice(at, 0, { ...command, ahead: true });
    } else {
      state.queue.push(command);
    }
    const wasIdle = state.inFlight === null;
    prepareNext(options, state);
    await save(options, state);
    return { posted: wasIdle && (await postInFlight(options, state)) };
  });
}

/** The commands queued or in flight for a meter (for "is a collect armed?"). */
export async function pendingPartyCommands<Tx>(options: PartySessionOptions<Tx>, meterId: string): Promise<QueuedCommand[]> {
  const state = await load(options, meterId);
  if (!state) return [];
  return [...(state.inFlight?.command ? [state.inFlight.command] : []), ...state.queue];
}

/**
 * Re-posts the downlink in flight, if any (after a crash between saving the session and posting,
 * or a relay that could not be reached): the relay answers a byte-identical envelope "already
 * delivered", so this is safe to repeat. Returns whether something reached the relay.
 */
export async function resendInFlight<Tx>(options: PartySessionOptions<Tx>, meterId: string): Promise<boolean> {
  return exclusive(sealedId(options.partyId, meterId), async () => {
    const state = await load(options, meterId);
    return state ? postInFlight(options, state) : false;
  });
}

/** Forgets a meter's session (e.g. the meter was re-manufactured with new keys). */
export async function resetPartySession<Tx>(options: PartySessionOptions<Tx>, meterId: string): Promise<void> {
  await exclusive(sealedId(options.partyId, meterId), () => options.store.remove(meterId));
}

/** What the caller stores from an answer, in the same transaction as the session's new state. */
export type RecordAnswer<Tx> = (completed: CompletedCommand | null, tx: Tx) => Promise<void>;

/**
 * Handles the card's answer to the command in flight: advances the set-up, unwraps a secured
 * response (R-MAC verified before R-ENC is removed), re-opens on a bare 6982, and puts the next
 * downlink in flight. The new state and `record` (what the caller keeps from a completed applet
 * command) commit in one transaction; the next downlink is posted after that.
 * @throws {PartySessionError} UNEXPECTED_RESPONSE for an answer to nothing in flight (stale or
 *   replayed), AUTHENTICATION_FAILED for a response that fails R-MAC, CERTIFICATE_INVALID for a
 *   certificate chain that does not verify. Nothing is stored then.
 */
export async function receivePartyResponse<Tx>(options: PartySessionOptions<Tx>, header: RoutingHeader, payload: Uint8Array, record?: RecordAnswer<Tx>): Promise<CompletedCommand | null> {
  return exclusive(sealedId(options.partyId, header.meterId), async () => {
    const state = await load(options, header.meterId);
    if (!state?.inFlight || header.correlationId !== state.inFlight.messageId) {
      throw new PartySessionError('UNEXPECTED_RESPONSE', `party session: ${header.messageId} answers no command in flight`);
    }
    const completed = advance(options, state, header, payload);
    prepareNext(options, state);
    await options.store.transaction(async (tx) => {
      await save(options, state, tx);
      if (record) await record(completed, tx);
    });
    await postInFlight(options, state);
    return completed;
  });
}

/** The state change one answer makes (no I/O); the answer's in-flight entry is cleared. */
function advance<Tx>(options: PartySessionOptions<Tx>, state: PartySessionState, header: RoutingHeader, payload: Uint8Array): CompletedCommand | null {
  const inFlight = state.inFlight;
  if (!inFlight) throw new PartySessionError('UNEXPECTED_RESPONSE', 'party session: nothing in flight');
  let bytes: Uint8Array;
  let plain: ResponseApdu;
  try {
    bytes = unframeApdu(payload);
    plain = parseResponseApdu(bytes);
  } catch {
    throw new PartySessionError('AUTHENTICATION_FAILED', 'party session: the response is not an APDU');
  }
  const reopen = () => {
    // The card no longer knows the session (restored from older state, or a command was lost): re-open.
    if (inFlight.command) state.queue.unshift({ ...inFlight.command, resent: true });
    state.reopens += 1;
    Object.assign(state, { phase: 'closed', session: null, handshake: null, selectedApplet: null });
    if (state.reopens > MAX_REOPENS) {
      // Give up until the next command is queued: the card keeps refusing the set-up.
      state.reopens = 0;
      state.queue = [];
    }
  };
  // A bare 6982 to a command already re-sent on a freshly opened session is the applet's own
  // refusal (e.g. a signature it does not accept), not a lost session: Amendment D §6.2.5 sends
  // error status words bare either way. It completes the command instead of looping on re-opens.
  const appletRefusal = plain.sw === 0x6982 && inFlight.step === 'command' && inFlight.command?.resent === true && state.session !== null;
  if (!appletRefusal && (plain.sw === 0x6982 || (inFlight.step !== 'command' && plain.sw !== 0x9000 && plain.sw !== 0x6310))) {
    state.inFlight = null;
    reopen();
    return null;
  }
  const head = state.queue[0];
  switch (inFlight.step) {
    case 'select-domain': {
      // GP Amendment F §7.5: GET DATA BF21 for the SD's SCP11b key (KVN 1, KID 13).
      if (!head) throw new PartySessionError('NO_SESSION', 'party session: set-up with nothing queued');
      putInFlight(options, state, { step: 'get-data', command: null, apdu: buildGetCertificatesCommand(1, 0x13), messageClass: 'session-setup', appletId: head.appletId });
      return null;
    }
    case 'get-data': {
      if (!head) throw new PartySessionError('NO_SESSION', 'party session: set-up with nothing queued');
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
      putInFlight(options, state, { step: 'authenticate', command: null, apdu: authenticate, messageClass: 'session-setup', appletId: head.appletId });
      return null;
    }
    case 'authenticate': {
      state.inFlight = null;
      if (!state.handshake) throw new PartySessionError('NO_SESSION', 'party session: no handshake in progress');
      try {
        state.session = scp11HostFinish(state.handshake, bytes).state;
      } catch {
        // A receipt that does not verify: the card is not the certified domain; start again.
        reopen();
        return null;
      }
      Object.assign(state, { handshake: null, phase: 'open', selectedApplet: null });
      return null;
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
      state.inFlight = null;
      if (inFlight.step === 'select-applet') {
        if (response.sw !== 0x9000) {
          // The applet is not selectable (deleted, locked): drop what was queued for it.
          const aid = head?.appletAid;
          state.queue = state.queue.filter((queued) => queued.appletAid !== aid);
        } else state.selectedApplet = head?.appletAid ?? null;
        return null;
      }
      if (!inFlight.command) return null;
      state.reopens = 0;
      const { resent: _resent, ...command } = inFlight.command;
      return { command, response };
    }
  }
}
