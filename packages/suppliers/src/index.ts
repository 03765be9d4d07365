/**
 * @hydra/suppliers — one folder per party backend (energy supplier, DNO, telecare provider). Each
 * holds only its own keys and tables; what they share (the SCP11b/SCP03 party session, sealed
 * keys, the inbox steps, standing collects) is in `shared/`.
 */
export {
  armCollect,
  defaultTariff,
  enrolMeter,
  ensureCollectsArmed,
  listAccounts,
  listBills,
  listConsentedReads,
  listTariffs,
  loadChannelKey,
  receiveUplink,
  SUPPLIER_PARTY_ID,
  type AccountView,
  type BillView,
  type ConsentedReadView,
  type FlatTariff,
  type SupplierContext,
  type TariffView,
} from './energy-supplier/index';
export {
  campaignRequestSchema,
  createCampaign,
  DNO_APPLETS,
  distributeRoster,
  distributeRosters,
  DNO_PARTY_ID,
  dnoSessionOptions,
  enrolDnoMeter,
  ensureDnoCollectsArmed,
  FeederSharesError,
  listCampaigns,
  listFeeders,
  listPowerQualityEvents,
  loadCommandKey,
  MIN_FEEDER_METERS,
  receiveDnoUplink,
  recoverFeederTotals,
  SHARE_MODULUS,
  type CampaignRequest,
  type CampaignTargetView,
  type CampaignView,
  type DistributeRosterResult,
  type DnoContext,
  type FeederLoadPoint,
  type FeederRoster,
  type FeederOverview,
  type FeederPeriodTotal,
  type FeederView,
  type LoadControlDocument,
  type PowerQualityEventView,
} from './dno/index';
export {
  acknowledgeAlert,
  acknowledgeAlertSchema,
  admitHome,
  enrolHome,
  ensureTelecareCollectsArmed,
  listAlerts,
  listHomes,
  receiveTelecareUplink,
  TELECARE_APPLET,
  TELECARE_PARTY_ID,
  telecareSessionOptions,
  withdrawHome,
  type AlertView,
  type HomeView,
  type TelecareContext,
} from './telecare/index';
export { appletAid } from './shared/applet-commands';
export { canonicalJson } from './shared/canonical-json';
export { openKey, sealKey } from './shared/sealed-keys';
export { PARTY_ERROR_STATUS, PartyError, type PartyErrorCode } from './shared/party-error';
export {
  pendingPartyCommands,
  PartySessionError,
  queuePartyCommand,
  receivePartyResponse,
  resetPartySession,
  type CompletedCommand,
  type PartySessionOptions,
  type PartySessionState,
  type PartySessionStore,
  type QueuedCommand,
} from './shared/party-session';
export type { PartyContext } from './shared/session-store';
export { supplierSessionOptions } from './energy-supplier/session';
export type { EnrollingRelayClient, EnrolmentAcceptance, RelayAcceptance, RelayClient } from './shared/relay-client';
export { PARTIES, type PartyRegistration } from './shared/parties';
export { registerParties, type PartyRegistry, type RegisterPartiesOptions } from './register-parties';
export { rearmParties, type RearmPartiesOptions, type RearmPartiesResult } from './rearm-parties';
