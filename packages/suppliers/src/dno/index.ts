/**
 * The distribution network operator's backend: its command key, meters and feeders, inbox
 * (power-quality events, feeder shares → feeder load, load-control acknowledgements) and
 * load-control campaigns.
 */
export { ensureDnoCollectsArmed } from './arm-collects';
export { loadCommandKey } from './command-key';
export { DNO_APPLETS, DNO_PARTY_ID, type DnoContext } from './context';
export { campaignRequestSchema, createCampaign, type CampaignRequest, type CreateCampaignOptions, type LoadControlDocument } from './create-campaign';
export { distributeRoster, distributeRosters, type DistributeRosterOptions, type DistributeRosterResult, type FeederRoster } from './distribute-roster';
export { enrolDnoMeter, type EnrolDnoMeterOptions } from './enrol-meter';
export { FeederSharesError, MIN_FEEDER_METERS, recoverFeederTotals, SHARE_MODULUS, type FeederPeriodTotal, type FeederShares } from './feeder-totals';
export { listCampaigns, type CampaignTargetView, type CampaignView, type ListCampaignsOptions } from './list-campaigns';
export { listFeeders, type FeederLoadPoint, type FeederOverview, type FeederView, type ListFeedersOptions } from './list-feeders';
export { listPowerQualityEvents, type ListPowerQualityEventsOptions, type PowerQualityEventView } from './list-power-quality-events';
export { receiveDnoUplink, type ReceiveDnoUplinkOptions, type ReceiveDnoUplinkResult } from './receive-uplink';
export { dnoSessionOptions } from './session';
