/**
 * How a party's backend talks to the relay: it posts sealed downlink commands under its own
 * credential. HTTP in the web app, a direct call in a headless run.
 */

/** The relay's answer to a posted envelope. */
export interface RelayAcceptance {
  messageId: string;
  status: 'accepted' | 'already-delivered';
}

/** The relay as a party sees it. */
export interface RelayClient {
  /** Posts one downlink envelope; throws when the relay refuses it. */
  postDownlink(envelope: Uint8Array): Promise<RelayAcceptance>;
}

/** The relay's answer to a proof of consent a party carried. */
export interface EnrolmentAcceptance {
  meterId: string;
  state: 'admitted' | 'withdrawn';
}

/** The relay as a consent-gated party (telecare) sees it: it also carries meters' proofs of consent. */
export interface EnrollingRelayClient extends RelayClient {
  /** Hands the relay a meter's proof of consent; throws when the relay refuses it. */
  enrol(proof: { statement: string; signature: string }): Promise<EnrolmentAcceptance>;
}
