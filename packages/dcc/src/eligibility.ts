/**
 * Who may send what (DESIGN.md "Message catalog"): which party owns each applet, and which roles
 * are eligible for each downlink message class — as GB service requests restrict them. The relay
 * refuses anything else before it is queued.
 */

/** Owner party of each published applet. */
export const APPLET_OWNERS: Readonly<Record<string, string>> = {
  billing: 'supplier',
  'power-quality': 'dno',
  'load-control': 'dno',
  aggregation: 'dno',
  telecare: 'telecare',
  insights: 'householder',
};

/** Downlink message classes and the parties eligible to send each. `owner` = the applet's owner. */
export const DOWNLINK_ELIGIBILITY: Readonly<Record<string, readonly string[] | 'owner'>> = {
  // SCP11b set-up to the owner's own security domain (SELECT, GET DATA BF21, INTERNAL AUTHENTICATE).
  'session-setup': 'owner',
  // Wrapped SELECT of the owner's applet, or a generic applet command, under the owner's session.
  'applet-command': 'owner',
  collect: 'owner',
  'set-tariff': ['supplier'],
  'load-control': ['dno'],
};

/**
 * Parties whose traffic only the householder's consent admits (DESIGN.md "The cast": telecare
 * serves only homes that consented). The relay routes nothing between such a party and a meter
 * unless that meter's device-signed proof of consent stands (`consent-proof.ts`, `Relay.enrol`).
 */
export const CONSENT_PARTIES: readonly string[] = ['telecare'];

/** Whether `partyId` may reach a meter only once its householder admitted the service. */
export function needsConsent(partyId: string): boolean {
  return CONSENT_PARTIES.includes(partyId);
}

/** Uplink message classes a meter may send (always responses). */
export const UPLINK_CLASSES: readonly string[] = ['session-setup-response', 'applet-command-response', 'collect-response', 'set-tariff-response', 'load-control-response'];

/**
 * Why `partyId` may not send `messageClass` to `appletId`, or null when it may.
 */
export function downlinkRefusal(partyId: string, appletId: string, messageClass: string): string | null {
  const owner = APPLET_OWNERS[appletId];
  if (!owner) return `no published applet ${appletId}`;
  const eligible = DOWNLINK_ELIGIBILITY[messageClass];
  if (!eligible) return `${messageClass} is not a downlink message class`;
  if (eligible === 'owner') return partyId === owner ? null : `only ${owner} (the applet's owner) may send ${messageClass} to ${appletId}`;
  if (!eligible.includes(partyId)) return `only ${eligible.join(', ')} may send ${messageClass}`;
  if (owner !== partyId) return `${appletId} belongs to ${owner}, not ${partyId}`;
  return null;
}

/** Why a meter may not send `messageClass` to `partyId`'s `appletId`, or null when it may. */
export function uplinkRefusal(partyId: string, appletId: string, messageClass: string): string | null {
  const owner = APPLET_OWNERS[appletId];
  if (!owner) return `no published applet ${appletId}`;
  if (owner !== partyId) return `${appletId} answers only to ${owner}, not ${partyId}`;
  if (!UPLINK_CLASSES.includes(messageClass)) return `${messageClass} is not an uplink message class`;
  return null;
}
