/**
 * Householder consent tokens for optional applets (DESIGN.md "Optional applets need consent"): the
 * in-home display signs a small JSON document with the householder key; the card manager checks it
 * against the householder key and meter id personalised into the issuer security domain at
 * manufacture, and keeps a high-water mark of sequence numbers so no token is used twice.
 *
 * Wire form, inside the parameters of INSTALL [for load] (consent) and the data of DELETE
 * (withdrawal): `C9 { 80 <document, UTF-8 JSON>, 9E <ECDSA P-256 signature, 64 bytes r‖s> }` —
 * C9 as GP's application-specific parameters, 9E as its token/signature tag. The signature covers
 * the document's exact bytes, which the display writes as canonical JSON (keys sorted, no
 * whitespace) so the applet can check the same signature again.
 *
 * Documents: `{ decision: 'consent' | 'withdraw', service: <applet id>, meterId, sequence, … }`.
 */
import { bytesToHex, bytesToUtf8, encodeTlv, hexToBytes, parseTlvs, utf8ToBytes, verifyMessage, type Json, type Tlv } from '@hydra/globalplatform';
import type { DomainRecord, SignedDocumentRecord } from './registry';
import { SeError } from './se-error';

const TAG_PARAMETERS = 0xc9;
const TAG_DOCUMENT = 0x80;
const TAG_SIGNATURE = 0x9e;
const MAX_DOCUMENT_BYTES = 512;

/** What a householder decides about an optional service. */
export type HouseholderDecision = 'consent' | 'withdraw';

/** A verified householder document. */
export interface VerifiedDecision extends SignedDocumentRecord {
  decision: HouseholderDecision;
  service: string;
  sequence: number;
  /** The parsed document (passed on to the applet as its consent). */
  fields: { [key: string]: Json };
}

/** Encodes a signed document as the C9 template. */
export function encodeHouseholderToken(document: string, signatureHex: string): Uint8Array {
  return encodeTlv(TAG_PARAMETERS, [encodeTlv(TAG_DOCUMENT, utf8ToBytes(document)), encodeTlv(TAG_SIGNATURE, hexToBytes(signatureHex))]);
}

/** Finds a C9 template among parsed TLVs and reads its document and signature; null without one. */
export function readHouseholderToken(items: readonly Tlv[]): SignedDocumentRecord | null {
  const template = items.find((item) => item.tag === TAG_PARAMETERS);
  if (!template || template.value.length === 0) return null;
  let inner: Tlv[];
  try {
    inner = parseTlvs(template.value, { maxDepth: 1 });
  } catch {
    throw new SeError('WRONG_DATA', 'householder token: C9 must hold 80 <document> and 9E <signature>');
  }
  const document = inner.find((item) => item.tag === TAG_DOCUMENT);
  const signature = inner.find((item) => item.tag === TAG_SIGNATURE);
  if (!document || !signature || inner.length !== 2) throw new SeError('WRONG_DATA', 'householder token: C9 must hold 80 <document> and 9E <signature>');
  if (document.value.length === 0 || document.value.length > MAX_DOCUMENT_BYTES) throw new SeError('WRONG_DATA', `householder token: the document must be 1 to ${MAX_DOCUMENT_BYTES} bytes`);
  if (signature.value.length !== 64) throw new SeError('WRONG_DATA', `householder token: the signature must be 64 bytes, got ${signature.value.length}`);
  let text: string;
  try {
    text = bytesToUtf8(document.value);
  } catch {
    throw new SeError('WRONG_DATA', 'householder token: the document is not UTF-8');
  }
  return { document: text, signature: bytesToHex(signature.value) };
}

/**
 * Checks a householder token for `decision` on `service` against the issuer security domain's
 * personalisation (its `householderKey`, `meterId` and `consentSequence` high-water mark).
 * @throws {SeError} 6985 when the card holds no householder key; 6982 (recorded as
 *   firewall.consent-refused) for a missing token, a bad signature, another meter or service, the
 *   wrong decision or a sequence not above the last one used.
 */
export function verifyHouseholderToken(issuer: DomainRecord, token: SignedDocumentRecord | null, decision: HouseholderDecision, service: string): VerifiedDecision {
  const refuse = (reason: string): never => {
    throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `householder ${decision}: ${reason}`, { kind: 'firewall.consent-refused', actor: issuer.aid, target: service });
  };
  const key = issuer.data.householderKey;
  const meterId = issuer.data.meterId;
  if (typeof key !== 'string' || typeof meterId !== 'string') throw new SeError('CONDITIONS_NOT_SATISFIED', 'householder consent: the card holds no householder key');
  if (!token) return refuse(`${service} is optional: it needs a token the householder signed`);
  let signature: Uint8Array;
  try {
    signature = hexToBytes(token.signature);
  } catch {
    return refuse('the signature is not hex');
  }
  // Fail closed: the signature is checked before anything in the document is believed.
  if (!verifyMessage(signature, utf8ToBytes(token.document), hexToBytes(key))) return refuse('not signed by the householder');
  let parsed: unknown;
  try {
    parsed = JSON.parse(token.document);
  } catch {
    return refuse('the document is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse('the document is not an object');
  const fields = parsed as { [key: string]: Json };
  if (fields.decision !== decision) return refuse(`the document decides ${String(fields.decision)}, not ${decision}`);
  if (fields.service !== service) return refuse(`the document is for ${String(fields.service)}, not ${service}`);
  if (fields.meterId !== meterId) return refuse('the document is for another meter');
  const sequence = fields.sequence;
  const last = typeof issuer.data.consentSequence === 'number' ? issuer.data.consentSequence : 0;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence <= last) return refuse('replayed or out of order (sequence)');
  return { ...token, decision, service, sequence, fields };
}
