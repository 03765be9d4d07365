/**
 * The privacy contract of DESIGN.md ("Message catalog — the privacy contract, message by message"),
 * as data: every class of message an applet may put in its outbox, who receives it, exactly which
 * fields it carries and under which setting it may leave the meter; and the fields of each
 * command's response (responses travel sealed to the applet's owner too, so they are uplink data).
 * Nothing else leaves a meter. Tests check every published applet against this table.
 */

/** The householder's data-sharing setting for the supplier (Decision 11). */
export type SharingSetting = 'monthly' | 'daily' | 'half-hourly';

/** Parties a meter answers. */
export type ContractParty = 'supplier' | 'dno' | 'telecare';

/** One outbox message class. */
export interface UplinkClass {
  /** Class name used in the outbox and the relay's metadata. */
  messageClass: string;
  /** The row of DESIGN.md's message catalog it implements. */
  catalogRow: string;
  applet: string;
  to: ContractParty;
  /** Exactly these fields, no more, no fewer. */
  fields: readonly string[];
  /** Sharing settings under which the class may leave the meter (absent: always). */
  onlyWhenSharing?: readonly SharingSetting[];
  /** Only in homes whose householder signed a consent for the service. */
  onlyWithConsent?: boolean;
}

/** The outbox classes. */
export const UPLINK_CLASSES: readonly UplinkClass[] = [
  { messageClass: 'bill-statement', catalogRow: 'bill statement', applet: 'billing', to: 'supplier', fields: ['statementId', 'period', 'amountPence', 'importWh', 'exportWh'] },
  {
    messageClass: 'consented-reads',
    catalogRow: 'consented reads',
    applet: 'billing',
    to: 'supplier',
    fields: ['date', 'resolution', 'importWh', 'exportWh'],
    onlyWhenSharing: ['daily', 'half-hourly'],
  },
  { messageClass: 'tariff-ack', catalogRow: 'tariff acknowledgement', applet: 'billing', to: 'supplier', fields: ['tariffId', 'result', 'reason'] },
  { messageClass: 'power-quality-event', catalogRow: 'power-quality event', applet: 'power-quality', to: 'dno', fields: ['type', 'start', 'durationSeconds', 'extremeV'] },
  { messageClass: 'feeder-shares', catalogRow: 'feeder share', applet: 'aggregation', to: 'dno', fields: ['date', 'feederId', 'shares'] },
  { messageClass: 'load-control-ack', catalogRow: 'load-control ack', applet: 'load-control', to: 'dno', fields: ['commandId', 'result', 'appliedStart', 'appliedEnd', 'reason'] },
  { messageClass: 'wellbeing-alert', catalogRow: 'wellbeing alert', applet: 'telecare', to: 'telecare', fields: ['type', 'windowStart', 'windowEnd'], onlyWithConsent: true },
];

/** Fields of every answer that carries no data: the outcome and why. */
export const OUTCOME_FIELDS: readonly string[] = ['result', 'reason'];

/**
 * Response fields per applet and command. A command not listed answers with {@link OUTCOME_FIELDS}.
 * The insights applet lives in the householder's own domain, which no party's channel reaches:
 * its answers go only to the in-home display.
 */
export const RESPONSE_FIELDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  billing: {
    'set-tariff': ['tariffId', 'result', 'reason'],
    'set-sharing': ['result', 'reason', 'setting', 'effectiveFromUtc'],
    sharing: ['result', 'reason', 'preset', 'setting', 'effectiveFromUtc', 'sequence'],
  },
  'power-quality': {},
  'load-control': { 'load-control': ['commandId', 'result', 'appliedStart', 'appliedEnd', 'reason'] },
  // The meter's aggregation public key (generated on the card) for the DNO's feeder roster.
  aggregation: { 'public-key': ['result', 'reason', 'publicKey'] },
  telecare: {},
  insights: {
    view: ['result', 'period', 'importWh', 'exportWh', 'estimatedPence', 'budgetPence', 'projectedPence', 'onTrack', 'breakdown', 'recent', 'tips'],
  },
};

/** Applets whose answers stay on the meter (read by the in-home display only). */
export const LOCAL_ONLY_APPLETS: readonly string[] = ['insights'];

/** Conditions an applet runs under, for {@link permittedClasses}. */
export interface ContractConditions {
  sharing?: SharingSetting;
  consent?: boolean;
}

/**
 * The classes `applet` may send under `conditions`.
 * @param applet - the applet id.
 * @param conditions - sharing defaults to 'monthly' (the Hydra default), consent to false.
 */
export function permittedClasses(applet: string, conditions: ContractConditions = {}): UplinkClass[] {
  const sharing = conditions.sharing ?? 'monthly';
  return UPLINK_CLASSES.filter(
    (c) => c.applet === applet && (!c.onlyWhenSharing || c.onlyWhenSharing.includes(sharing)) && (!c.onlyWithConsent || conditions.consent === true),
  );
}

/** Response fields of `command` on `applet`. */
export function responseFields(applet: string, command: string): readonly string[] {
  return RESPONSE_FIELDS[applet]?.[command] ?? OUTCOME_FIELDS;
}
