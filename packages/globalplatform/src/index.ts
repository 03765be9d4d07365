/**
 * @hydra/globalplatform — the one security architecture shared by card side and host side.
 * Browser-safe and free of I/O.
 */
export { assertBytes, assertInteger } from './assert';
export {
  base64UrlToBytes,
  bytesToBase64Url,
  bytesToHex,
  bytesToUint,
  bytesToUtf8,
  concatBytes,
  copyBytes,
  constantTimeEqual,
  hexToBytes,
  uintToBytes,
  utf8ToBytes,
  wipe,
} from './bytes';
export { createEcdhChannel, type EcdhChannelOptions } from './ecdh-channel';
export { generateKeyPair, publicKeyOf, signMessage, verifyMessage, type KeyPair } from './keys';
export type { RandomSource } from './random';
export { ChannelAuthenticationError, type SecureChannel } from './secure-channel';
export { decodePayload, encodePayload, PAYLOAD_BUCKETS, PayloadError, type Json } from './sealed-payload';
export { routingHeaderAad, type RoutingHeader } from './message-aad';
export { x963Kdf } from './x963-kdf';
