/**
 * @hydra/meter-sim — the home and its meter: household model, calendar, the secure element and
 * its applet runtime. Runs unchanged in a browser worker and in Node.
 */
export {
  addDays,
  datesBetween,
  HALF_HOUR_MS,
  londonDateOf,
  londonDay,
  londonMidnightUtc,
  londonMinuteOfDay,
  monthOf,
  nextMonthStart,
  type LocalDate,
  type LocalDay,
} from './calendar';
export { forkPrng, type Prng } from './prng';
export type {
  AppletCapabilities,
  AppletCommand,
  AppletInstance,
  AppletManifest,
  AppletResponse,
  CapabilityName,
  MetrologyDay,
} from './secure-element/applet';
export { AppletLoadError, instantiateApplet, parseAppletModule, type AppletModule } from './secure-element/applet-runtime';
export type { CryptoPrimitives } from './secure-element/applet-crypto';
export {
  appletAidOf,
  manufactureMeterState,
  METER_STATE_VERSION,
  MeterCore,
  type CreateMeterOptions,
  type ManufacturerCaInfo,
  type MeterCertificates,
  type MeterCoreOptions,
  type MeterRegistration,
  type MeterState,
  type MetrologySource,
  type FactoryApplet,
  type FactoryFacts,
  type PendingUplink,
  type SharingPreset,
  type SealedMessage,
  type SignedCatalog,
} from './meter/meter-core';
export { APDU_TRACE_LIMIT, ApduTrace, traceExchange, type ApduExchange, type ApduTraceOptions, type ExchangeInput, type TracedExchange } from './meter/apdu-trace';
export {
  canonicalJson,
  Householder,
  HouseholderError,
  signHouseholderDocument,
  type HouseholderErrorCode,
  type HouseholderOptions,
  type InsightsView,
  type SharingSetting,
  type SharingView,
  type SignedDocument,
  type TelecareView,
} from './meter/householder';
export {
  appletCommand,
  collectCommand,
  hydraAid,
  parseCollectResponse,
  parseAppletResponse,
  selectCommand,
  type AppletCompiler,
} from './secure-element/index';
export { createMemoryStateStore, FACTORY_APPLETS, MeterFleet, meterIdOf, SECURITY_DOMAINS, type FleetOptions, type MeterStateStore } from './host/fleet';
export { createHomeProfile, simulateHomeDay } from './home/index';
export { metrologyFromHomeDay, readingsFromHomeDay, type MetrologyReadings } from './host/metrology-feed';
export type { Archetype, ControlWindow, HomeDay, HomeProfile, Incident, SimulateOptions } from './home/index';
export { inferActive, scoreOccupancyInference, type InferenceDay, type InferenceScore } from './inference/occupancy-inference';
export { downlinkPort, PROBE_KINDS, probeRecordedRefusal, runProbe, type ProbeKind, type ProbeOptions, type ProbeResult, type ProbeStep } from './meter/student-probes';
export { isRefusal, type SeEvent, type SeEventKind } from './secure-element/firewall';
export {
  describeSecureElement,
  type AppletView,
  type ChannelView,
  type DomainView,
  type LoadFileView,
  type SecureElementView,
} from './secure-element/registry-view';
