/**
 * Signs a home up (DESIGN.md message catalog, "enrolment: telecare ↔ DCC, with the meter's proof of
 * consent"): the householder hands the telecare provider the proof their meter produced when they
 * consented on the in-home display; the provider carries it to the relay under its own credential.
 * The relay checks it against the meter's registered device key and, if it stands, announces the
 * home back (→ `admitHome`). The provider never sees the consent document itself.
 */
import { consentProofSchema, type ConsentProof } from '@hydra/dcc';
import { PartyError } from '../shared/party-error';
import type { EnrolmentAcceptance } from '../shared/relay-client';
import { TELECARE_PARTY_ID, type TelecareContext } from './context';

/** Options for {@link enrolHome}. */
export interface EnrolHomeOptions {
  context: TelecareContext;
  proof: unknown;
}

/**
 * Hands the proof to the relay.
 * @throws {PartyError} INVALID_REQUEST for something that is not a proof; the relay's own refusal
 *   (forged, stale, another meter's) propagates from the relay client.
 */
export async function enrolHome(options: EnrolHomeOptions): Promise<EnrolmentAcceptance> {
  const parsed = consentProofSchema.safeParse(options.proof);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PartyError(TELECARE_PARTY_ID, 'INVALID_REQUEST', `proof.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'} — paste the proof exactly as the in-home display gave it`);
  }
  const proof: ConsentProof = parsed.data;
  return options.context.relay.enrol(proof);
}
