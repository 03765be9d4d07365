/**
 * The energy supplier's backend: its keys, accounts, tariffs, inbox and bills.
 */
export { armCollect, ensureCollectsArmed, type ArmCollectOptions } from './arm-collect';
export { loadChannelKey } from './channel-key';
export { SUPPLIER_PARTY_ID, type SupplierContext } from './context';
export { enrolMeter, type EnrolMeterOptions } from './enrol-meter';
export { listAccounts, type AccountView, type ListAccountsOptions } from './list-accounts';
export { listBills, type BillView, type ListBillsOptions } from './list-bills';
export { listConsentedReads, type ConsentedReadView, type ListConsentedReadsOptions } from './list-consented-reads';
export { listTariffs, type ListTariffsOptions, type TariffView } from './list-tariffs';
export { receiveUplink, type ReceiveUplinkOptions, type ReceiveUplinkResult } from './receive-uplink';
export { defaultTariff, type FlatTariff } from './tariffs';
