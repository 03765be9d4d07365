/**
 * @hydra/suppliers — one folder per party backend. Each holds only its own keys and tables.
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
  SUPPLIER_ERROR_STATUS,
  SUPPLIER_PARTY_ID,
  SupplierError,
  type AccountView,
  type BillView,
  type ConsentedReadView,
  type FlatTariff,
  type SupplierContext,
  type TariffView,
} from './energy-supplier/index';
export { openKey, sealKey } from './shared/sealed-keys';
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
export { supplierSessionOptions } from './energy-supplier/session';
export type { RelayAcceptance, RelayClient } from './shared/relay-client';
export { PARTIES, type PartyRegistration } from './shared/parties';
