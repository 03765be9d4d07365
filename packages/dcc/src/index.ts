/**
 * @hydra/dcc — the relay: envelope codec, eligibility, store-and-forward, metadata log, and the
 * comms-hub client a meter host uses.
 */
export { APPLET_OWNERS, CONSENT_PARTIES, downlinkRefusal, needsConsent, uplinkRefusal } from './eligibility';
export { consentProofSchema, consentStatementBytes, createConsentProof, parseConsentProof, type ConsentProof, type ConsentStatement } from './consent-proof';
export { decodeEnvelope, encodeEnvelope, MAX_ENVELOPE_BYTES, routingHeaderSchema, type Envelope } from './envelope';
export { DeliveryRefusedError, RELAY_ERROR_STATUS, RelayError, type RelayErrorCode } from './errors';
export {
  createDatabaseQueue,
  type ChannelDepth,
  type ClaimedMessage,
  type ClaimRequest,
  type DatabaseQueueOptions,
  type QueueDirection,
  type QueueListFilter,
  type QueueMessage,
  type QueueRecord,
  type QueueState,
  type RelayQueue,
} from './queue';
export { TokenBuckets, type RateLimit, type TakeResult, type TokenBucketsOptions } from './rate-limit';
export {
  DEFAULT_RATE_LIMITS,
  Relay,
  type AcceptResult,
  type RefusalRecord,
  type DeliveryOutcome,
  type EnrolmentRecord,
  type MeterAnnouncement,
  type MeterWithdrawal,
  type MeterRegistrationRequest,
  type MetadataRecord,
  type PartyTransport,
  type PendingDownlink,
  type RelayOptions,
} from './relay';
export { FRAME_BUCKETS, frameApdu, unframeApdu } from './apdu-frame';
export { createManufacturerCa, MANUFACTURER_CA_ID, manufacturerCaAnchor, type CertificationRequest, type IssuedCertificates, type ManufacturerCa } from './manufacturer-ca';
export { createHttpHubTransport, type HttpHubTransport, type HttpHubTransportOptions } from './http-hub-transport';
export { DownlinkSignal, HostDownlinkStream, readDownlinkStream, streamDownlinks, type DownlinkSource, type DownlinkStreamLine, type DownlinkSubscription, type HostDownlinkStreamOptions, type StreamDownlinksOptions, type StreamedDownlink } from './downlink-stream';
export { CommsHub, MAX_ROUNDS_PER_WAKE, type CommsHubOptions, type HubCycleReport, type HubMeter, type HubTransport } from './comms-hub';
export { advanceHost, type AdvanceHostOptions, type HostFleet, type HostProgress } from './host-runner';
export { conventionalReadSchema, queryConventionalReads, storeConventionalReads, type ConventionalReadInput } from './conventional';
