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
export { ecdhSharedSecret, generateKeyPair, isP256PublicKey, publicKeyOf, signMessage, verifyMessage, type KeyPair } from './keys';
export { verifyMessageFast } from './native-crypto';
export type { RandomSource } from './random';
export { ChannelAuthenticationError, type SecureChannel } from './secure-channel';
export { decodePayload, encodePayload, PAYLOAD_BUCKETS, PayloadError, type Json } from './sealed-payload';
export { routingHeaderAad, type RoutingHeader } from './message-aad';
export { x963Kdf } from './x963-kdf';
export { addChacha20Words, chacha20KeyWords, chacha20Keystream, chacha20Words } from './keystream';

// Codecs: BER-TLV, ISO/IEC 7816-4 APDUs, status words, typed errors.
export { encodeLength, encodeTag, encodeTlv, findTlv, parseTlv, parseTlvs, readTlv, requireTlv, type ParseTlvOptions, type Tlv } from './tlv';
export {
  apduCase,
  encodeCommandApdu,
  encodeLc,
  encodeResponseApdu,
  expectStatus,
  MAX_EXTENDED_DATA,
  MAX_EXTENDED_NE,
  needsExtendedLength,
  parseCommandApdu,
  parseResponseApdu,
  type ApduCase,
  type CommandApdu,
  type ResponseApdu,
} from './apdu';
export { describeStatusWord, isSecuredStatus, statusCategory, STATUS_WORDS, type StatusCategory, type StatusWordInfo } from './status-words';
export {
  ApduError,
  ApduFormatError,
  CertificateError,
  ERROR_STATUS_WORDS,
  GlobalPlatformError,
  ScpAuthenticationError,
  ScpProtocolError,
  TlvError,
  type ErrorCode,
} from './errors';

// Primitives.
export { aesCmac } from './aes-cmac';
export { SCP03_DERIVATION, scp03Kdf } from './scp03-kdf';

// SCP03: handshake, session state, secure messaging.
export {
  assertScp03Session,
  createScp03Session,
  isSecurityLevel,
  MAX_ENCRYPTION_COUNTER,
  SECURITY_LEVEL,
  type CreateScp03SessionOptions,
  type Scp03Session,
  type ScpOrigin,
  type ScpRole,
  type SecurityLevel,
  type Transition,
} from './scp03-session';
export {
  INS_EXTERNAL_AUTHENTICATE,
  INS_INITIALIZE_UPDATE,
  parseInitializeUpdateResponse,
  SCP03_I,
  scp03CardCryptogram,
  scp03CardExternalAuthenticate,
  scp03CardInitializeUpdate,
  scp03DeriveSessionKeys,
  scp03HostComplete,
  scp03HostCryptogram,
  scp03HostExternalAuthenticate,
  scp03HostInitializeUpdate,
  scp03PseudoRandomCardChallenge,
  type InitializeUpdateResponse,
  type Scp03CardHandshake,
  type Scp03CardInitializeUpdateOptions,
  type Scp03CardKeyset,
  type Scp03HostHandshake,
  type Scp03HostOptions,
  type Scp03SessionKeys,
  type Scp03StaticKeys,
} from './scp03';
export { pad80, scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse, unpad80 } from './secure-messaging';
export { createScp03Channel, SCP03_CHANNEL_COMMAND, SCP03_CHANNEL_MAX_PAYLOAD, type Scp03Channel, type Scp03ChannelOptions } from './scp03-channel';

// SCP11 and its certificates.
export {
  encodeCertificateStore,
  issueCertificate,
  MAX_CERTIFICATE_ID_BYTES,
  nameSubjectId,
  parseCertificate,
  parseCertificateStore,
  TAG_CERTIFICATE,
  TAG_CERTIFICATE_STORE,
  verifyCertificateChain,
  type Certificate,
  type CertificateBody,
  type CertificateRole,
  type TrustAnchor,
  type VerifyChainOptions,
} from './certificate';
export {
  buildGetCertificatesCommand,
  INS_GET_DATA,
  INS_INTERNAL_AUTHENTICATE,
  INS_MUTUAL_AUTHENTICATE,
  INS_PERFORM_SECURITY_OPERATION,
  parseGetCertificatesResponse,
  SCP11_KID,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  scp11CardPerformSecurityOperation,
  scp11DeriveKeys,
  scp11HostFinish,
  scp11HostStart,
  type Scp11CardAuthenticateOptions,
  type Scp11CardHandshake,
  type Scp11CardKeys,
  type Scp11CardPsoOptions,
  type Scp11HostHandshake,
  type Scp11HostOptions,
  type Scp11Variant,
} from './scp11';

// Package signatures (DAP).
export { packageHash, signPackage, verifyPackage } from './dap';
export { aesKeyCheckValue, decodePutKeyData, encodePutKeyData, type AesKeySet } from './put-key';
