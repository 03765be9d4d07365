/**
 * The seam between an applet's traffic and the cryptography that protects it. Both ends of a
 * party's channel — the meter's security domain and the party's backend — hold one of these; the
 * relay never does. The walking-skeleton implementation is `ecdh-channel.ts`; the GlobalPlatform
 * SCP11/SCP03 channel implements the same shape.
 */

/** One end of a channel: protects outgoing bytes and authenticates incoming ones. */
export interface SecureChannel {
  /** Which end this is. Messages sealed by one end open only at the other. */
  readonly role: 'card' | 'host';
  /**
   * Encrypts and authenticates `plaintext`, binding `associatedData` (sent in the clear, e.g. the
   * routing header) into the tag.
   */
  seal(plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  /**
   * Verifies and decrypts a sealed message from the other end.
   * @throws {ChannelAuthenticationError} for any failure (one generic error, no detail).
   */
  open(sealed: Uint8Array, associatedData: Uint8Array): Uint8Array;
}

/** The one error a channel gives for every authentication failure: no oracle on what was wrong. */
export class ChannelAuthenticationError extends Error {
  readonly code = 'CHANNEL_AUTHENTICATION_FAILED';
  constructor() {
    super('secure channel: message failed authentication');
    this.name = 'ChannelAuthenticationError';
  }
}
