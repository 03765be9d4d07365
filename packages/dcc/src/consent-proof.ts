/**
 * The meter's proof that its householder admitted (or withdrew) an optional service — the
 * "enrolment" row of DESIGN.md's message catalog. The consent itself (the document the householder
 * signed on the in-home display) stays on the meter; what leaves it is a statement — this meter,
 * this party's applet, admitted or withdrawn, sequence n — signed with the meter's device key,
 * the key the manufacturer CA certified and the relay registered (Decision 3). The party carries
 * it to the relay (`Relay.enrol`), which checks it against the registered key and then routes that
 * party's traffic for the meter only while the admission stands.
 *
 * Statement bytes: UTF-8 JSON with exactly these members in this order (one encoding, so the bytes
 * signed are the bytes checked):
 *   {"kind":"hydra-consent/v1","worldId":…,"meterId":…,"partyId":…,"appletId":…,"sequence":n,"admitted":true|false}
 * Signature: ECDSA P-256 / SHA-256 over those bytes, r‖s (64 bytes) in hex — what the meter's
 * `sign(bytes)` (the comms hub's envelope signer) produces.
 */
import { bytesToUtf8, hexToBytes, utf8ToBytes } from '@hydra/globalplatform';
import { z } from 'zod';
import { RelayError } from './errors';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, at most 64');

/** What a consent statement says. */
export interface ConsentStatement {
  worldId: string;
  meterId: string;
  partyId: string;
  appletId: string;
  /** Strictly increasing per meter and party (a withdrawn admission cannot be replayed). */
  sequence: number;
  admitted: boolean;
}

/** A statement and the meter's signature over its bytes, as carried over HTTP. */
export interface ConsentProof {
  /** The statement's exact bytes as UTF-8 text. */
  statement: string;
  /** Hex, 64 bytes r‖s. */
  signature: string;
}

const statementSchema = z
  .object({
    kind: z.literal('hydra-consent/v1'),
    worldId: id,
    meterId: id,
    partyId: id,
    appletId: id,
    sequence: z.number().int().min(1).max(2 ** 31 - 1),
    admitted: z.boolean(),
  })
  .strict();

/** The proof's schema at an HTTP edge. */
export const consentProofSchema = z
  .object({
    statement: z.string().min(2).max(1024),
    signature: z.string().regex(/^[0-9a-f]{128}$/, '64 bytes (r‖s) in lower-case hex'),
  })
  .strict();

/** The exact bytes a meter signs for `statement`. */
export function consentStatementBytes(statement: ConsentStatement): Uint8Array {
  return utf8ToBytes(
    JSON.stringify({
      kind: 'hydra-consent/v1',
      worldId: statement.worldId,
      meterId: statement.meterId,
      partyId: statement.partyId,
      appletId: statement.appletId,
      sequence: statement.sequence,
      admitted: statement.admitted,
    }),
  );
}

/**
 * Builds a proof with the meter's signer (its device key).
 * @param sign - signs bytes with the meter's device key (64-byte r‖s).
 */
export function createConsentProof(statement: ConsentStatement, sign: (bytes: Uint8Array) => Uint8Array): ConsentProof {
  const bytes = consentStatementBytes(statement);
  const signature = sign(bytes);
  if (signature.length !== 64) throw new RangeError(`consent signature: expected 64 bytes, got ${signature.length}`);
  return { statement: bytesToUtf8(bytes), signature: Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join('') };
}

/**
 * Parses a proof strictly: the statement must be exactly the canonical encoding of its fields.
 * @returns the statement, its bytes (what the signature must cover) and the signature bytes.
 * @throws {RelayError} ENVELOPE_MALFORMED naming what is wrong.
 */
export function parseConsentProof(proof: unknown): { statement: ConsentStatement; bytes: Uint8Array; signature: Uint8Array } {
  const outer = consentProofSchema.safeParse(proof);
  if (!outer.success) throw new RelayError('ENVELOPE_MALFORMED', `consent proof: ${outer.error.issues[0]?.path.join('.') || 'proof'}: ${outer.error.issues[0]?.message ?? 'invalid'}`);
  let json: unknown;
  try {
    json = JSON.parse(outer.data.statement);
  } catch {
    throw new RelayError('ENVELOPE_MALFORMED', 'consent proof: statement is not JSON');
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) throw new RelayError('ENVELOPE_MALFORMED', `consent proof: statement.${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { kind: _kind, ...statement } = parsed.data;
  const bytes = consentStatementBytes(statement);
  if (bytesToUtf8(bytes) !== outer.data.statement) throw new RelayError('ENVELOPE_MALFORMED', 'consent proof: statement is not in its one encoding (members in order, no spaces)');
  return { statement, bytes, signature: hexToBytes(outer.data.signature) };
}
