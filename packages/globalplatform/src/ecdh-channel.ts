/**
 * Walking-skeleton secure channel: static P-256 ECDH between a security domain's key pair and a
 * party's key pair (SEC 1 v2 §3.3.1), keys derived with the X9.63 SHA-256 KDF, messages sealed with
 * AES-256-GCM (NIST SP 800-38D) under a separate key per direction. Replaced by SCP11 + SCP03
 * behind the same `SecureChannel` shape.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { p256 } from '@noble/curves/nist.js';
import { assertBytes } from './assert';
import { concatBytes, utf8ToBytes, wipe } from './bytes';
import type { RandomSource } from './random';
import { ChannelAuthenticationError, type SecureChannel } from './secure-channel';
import { x963Kdf } from './x963-kdf';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Options for {@link createEcdhChannel}. */
export interface EcdhChannelOptions {
  /** Which end this is: the meter's security domain is the card, the party's backend the host. */
  role: 'card' | 'host';
  /** This end's P-256 private key (32 bytes). */
  privateKey: Uint8Array;
  /** The other end's P-256 public key (33 or 65 bytes, SEC 1 encoding). */
  peerPublicKey: Uint8Array;
  /** Binds the keys to one channel, e.g. `meterId/securityDomain`: the same pair of keys gives unrelated channels for different contexts. */
  context: string;
  /** Source of the per-message nonces. */
  random: RandomSource;
}

/**
 * Opens one end of an ECDH + AES-GCM channel.
 * @throws {TypeError|RangeError} when a key has the wrong type or size; an invalid point throws.
 */
export function createEcdhChannel(options: EcdhChannelOptions): SecureChannel {
  const { role, privateKey, peerPublicKey, context, random } = options;
  assertBytes('private key', privateKey, 32);
  assertBytes('peer public key', peerPublicKey, 33, 65);
  // noble returns the shared point compressed; the ECDH secret Z is its x-coordinate.
  const point = p256.getSharedSecret(privateKey, peerPublicKey);
  const z = point.slice(1);
  const keys = x963Kdf(z, utf8ToBytes(`hydra ecdh channel v1|${context}`), 64);
  wipe(z);
  wipe(point);
  const cardToHost = keys.slice(0, 32);
  const hostToCard = keys.slice(32, 64);
  wipe(keys);
  const sendKey = role === 'card' ? cardToHost : hostToCard;
  const receiveKey = role === 'card' ? hostToCard : cardToHost;

  return {
    role,
    seal(plaintext, associatedData) {
      assertBytes('plaintext', plaintext);
      assertBytes('associated data', associatedData);
      const nonce = random(NONCE_BYTES);
      assertBytes('nonce from random source', nonce, NONCE_BYTES);
      return concatBytes(nonce, gcm(sendKey, nonce, associatedData).encrypt(plaintext));
    },
    open(sealed, associatedData) {
      assertBytes('sealed message', sealed);
      assertBytes('associated data', associatedData);
      if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new ChannelAuthenticationError();
      try {
        return gcm(receiveKey, sealed.slice(0, NONCE_BYTES), associatedData).decrypt(sealed.slice(NONCE_BYTES));
      } catch {
        throw new ChannelAuthenticationError();
      }
    },
  };
}
