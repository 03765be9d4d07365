/**
 * The simulated GlobalPlatform secure element: card manager, security domains, registry, life
 * cycles, privileges, firewall, load files and the host-side command builders. Named re-exports.
 */
export {
  createSecureElement,
  feedFor,
  feedMetrology,
  invokeShareable,
  manufactureSecureElementState,
  MAX_CHANNELS,
  parseSecureElementState,
  processApdu,
  restoreSecureElement,
  SecureElement,
  serializeSecureElement,
  type ManufactureOptions,
  type MetrologyInput,
  type PartyDomainOptions,
  type ProcessResult,
  type SecureElementEnv,
  type SecureElementInput,
  type SecureElementRuntimeOptions,
} from './secure-element';
export { AppletInstances, type AppletCompiler, type AppletCallResult, type AppletWorkspace } from './applet-instances';
export { createAppletCrypto, type CryptoPrimitives } from './applet-crypto';
export { encodeHouseholderToken, readHouseholderToken, verifyHouseholderToken, type HouseholderDecision, type VerifiedDecision } from './consent-token';
export { AppletFault, INS, keyCheckValue, MAX_LOAD_FILE_BYTES, MAX_STORE_DATA_BYTES } from './card-manager';
export { appendEvents, isRefusal, MAX_EVENTS, type SeEvent, type SeEventKind } from './firewall';
export { appletLifecycleByte, CARD_LIFECYCLE_BYTES, LOAD_FILE_LOADED, type AppletLifecycle, type CardLifecycle } from './lifecycle';
export { appletSourceHash, buildLoadFile, parseLoadFile, signAppletSource, type DapBlock } from './load-file';
export { decodePrivileges, encodePrivileges, FEED_PRIVILEGES, PRIVILEGES, type Privilege } from './privileges';
export {
  hydraAid,
  ISSUER_AID,
  type AppletRecord,
  type ChannelState,
  type DomainRecord,
  type LoadFileRecord,
  type Party,
  type Registry,
  type SecureElementState,
  type SignedDocumentRecord,
} from './registry';
export { caTrustAnchor, type ManufacturerCa, type ManufacturerCaPublic } from './security-domain';
export { domainCertificationRequests, installDomainCertificates, type DomainCertificationRequest } from './certification';
export { SE_STATUS_WORDS, SeError, type SeErrorCode } from './se-error';
export {
  appletCommand,
  collectCommand,
  deleteCommand,
  getStatusCommand,
  installForInstallCommand,
  installForLoadCommand,
  installForMakeSelectableCommand,
  installForPersonalizationCommand,
  loadCommands,
  parseAppletResponse,
  parseCollectResponse,
  parseGetStatusResponse,
  putKeyCommand,
  selectCommand,
  setStatusCommand,
  storeDataCommands,
  type GetStatusScope,
  type StatusEntry,
} from './commands';
export { HostChannel, openScp03, openScp11b, transmit, type ApduPort, type OpenScp11bOptions } from './host-channel';
