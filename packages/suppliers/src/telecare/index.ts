/**
 * The telecare provider's backend: enrolment on the meter's proof of consent, enrolled homes,
 * its inbox (wellbeing alerts) and the operator's acknowledgement of an alert.
 */
export { acknowledgeAlert, acknowledgeAlertSchema, type AcknowledgeAlertOptions } from './acknowledge-alert';
export { admitHome, type AdmitHomeOptions } from './admit-home';
export { ensureTelecareCollectsArmed } from './arm-collect';
export { TELECARE_APPLET, TELECARE_PARTY_ID, type TelecareContext } from './context';
export { enrolHome, type EnrolHomeOptions } from './enrol-home';
export { listAlerts, type AlertView, type ListAlertsOptions } from './list-alerts';
export { listHomes, type HomeView, type ListHomesOptions } from './list-homes';
export { receiveTelecareUplink, type ReceiveTelecareUplinkOptions, type ReceiveTelecareUplinkResult } from './receive-uplink';
export { telecareSessionOptions } from './session';
export { withdrawHome, type WithdrawHomeOptions } from './withdraw-home';
