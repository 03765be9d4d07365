/**
 * Adapter: the `SecureChannel` shape (secure-channel.ts) on top of an established SCP03 session at
 * level 33 (C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION; GP Amendment D §6.2), so code written
 * against the walking-skeleton ECDH channel can carry opaque payloads through a real GP channel.
 *
 * Mapping. The host's `seal` wraps a command `80 E2 80 00` (STORE DATA, last block; GP Card
 * Specification v2.3.1 §11.11) whose data is SHA-256(associated data) ‖ payload; the card's
 * `open` unwraps it and checks the hash; the card's `seal` wraps the response (9000) the same way;
 * the host's `open` unwraps it. SCP03 does not MAC anything outside the APDU, so the associated data
 * (the routing header) is bound by its hash inside the encrypted, MACed data field.
 *
 * Limits that follow from SCP03 and are why the APDU-level API (secure-messaging.ts) is the better
 * seam for the meter: traffic must alternate host → card → host (a card answers, it never
 * initiates; DESIGN Decision 5); the channel is stateful (its `state` must be persisted after every
 * call — `onStateChange` hands it over); and a payload is at most 65,400 bytes (one extended APDU).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes } from './assert';
import { concatBytes, constantTimeEqual } from './bytes';
import { GlobalPlatformError, ScpProtocolError } from './errors';
import { assertScp03Session, type Scp03Session } from './scp03-session';
import { scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse } from './secure-messaging';
import { ChannelAuthenticationError, type SecureChannel } from './secure-channel';

/** The command header the channel uses for payloads: STORE DATA, last block. */
export const SCP03_CHANNEL_COMMAND = { cla: 0x80, ins: 0xe2, p1: 0x80, p2: 0x00 } as const;
/** Largest payload one sealed message carries. */
export const SCP03_CHANNEL_MAX_PAYLOAD = 65400;

/** Options for {@link createScp03Channel}. */
export interface Scp03ChannelOptions {
  /** An established session at security level 33; its role decides the channel's role. */
  session: Scp03Session;
  /** Called with the new state after every successful seal or open: persist it. */
  onStateChange?: (state: Scp03Session) => void;
}

/** A `SecureChannel` over SCP03 that also exposes its current session state. */
export interface Scp03Channel extends SecureChannel {
  /** The current session state (JSON-serialisable), to persist and resume from. */
  readonly state: Scp03Session;
}

/**
 * Opens a channel over an established SCP03 session.
 * @throws {RangeError} when the session is not at level 33 (payloads must be encrypted both ways).
 */
export function createScp03Channel(options: Scp03ChannelOptions): Scp03Channel {
  assertScp03Session(options.session);
  if (options.session.securityLevel !== 0x33) throw new RangeError('SCP03 channel: the session must be at security level 33');
  let state = options.session;
  const commit = (next: Scp03Session) => {
    state = next;
    options.onStateChange?.(next);
  };
  const bind = (plaintext: Uint8Array, associatedData: Uint8Array) => {
    assertBytes('plaintext', plaintext);
    assertBytes('associated data', associatedData);
    if (plaintext.length > SCP03_CHANNEL_MAX_PAYLOAD) throw new RangeError(`plaintext: expected at most ${SCP03_CHANNEL_MAX_PAYLOAD} bytes, got ${plaintext.length}`);
    return concatBytes(sha256(associatedData), plaintext);
  };
  const unbind = (data: Uint8Array, associatedData: Uint8Array) => {
    if (data.length < 32 || !constantTimeEqual(data.subarray(0, 32), sha256(associatedData))) throw new ChannelAuthenticationError();
    return data.slice(32);
  };
  return {
    get role() {
      return state.role;
    },
    get state() {
      return state;
    },
    seal(plaintext, associatedData) {
      const data = bind(plaintext, associatedData);
      if (state.role === 'host') {
        const { state: next, output } = scp03WrapCommand(state, { ...SCP03_CHANNEL_COMMAND, data, ne: 65536 });
        commit(next);
        return output;
      }
      if (!state.awaitingResponse) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'a card seals only the answer to a command it has opened');
      const { state: next, output } = scp03WrapResponse(state, { data, sw: 0x9000 });
      commit(next);
      return output;
    },
    open(sealed, associatedData) {
      assertBytes('sealed message', sealed);
      assertBytes('associated data', associatedData);
      try {
        if (state.role === 'card') {
          const { state: next, output } = scp03UnwrapCommand(state, sealed);
          const { cla, ins, p1, p2 } = output;
          if (cla !== SCP03_CHANNEL_COMMAND.cla || ins !== SCP03_CHANNEL_COMMAND.ins || p1 !== SCP03_CHANNEL_COMMAND.p1 || p2 !== SCP03_CHANNEL_COMMAND.p2) throw new ChannelAuthenticationError();
          const payload = unbind(output.data, associatedData);
          commit(next);
          return payload;
        }
        const { state: next, output } = scp03UnwrapResponse(state, sealed);
        if (output.sw !== 0x9000) throw new ChannelAuthenticationError();
        const payload = unbind(output.data, associatedData);
        commit(next);
        return payload;
      } catch (error) {
        if (error instanceof GlobalPlatformError || error instanceof ChannelAuthenticationError) throw new ChannelAuthenticationError();
        throw error;
      }
    },
  };
}
