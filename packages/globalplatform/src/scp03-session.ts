/**
 * The state of an established SCP03 secure channel session (GP Card Specification v2.3
 * Amendment D §6.2 and §7.1), whether it was opened by the SCP03 handshake or by SCP11
 * (GP Amendment F §6.6: SCP11 hands over to SCP03 secure messaging).
 *
 * The state is a plain JSON-serialisable object — keys as hex, the MAC chaining value, the
 * encryption counter, the security level — and every operation on it is a pure transition
 * `(state, input) → { state, output }`, so a backend can keep a session in a database row and a meter
 * in IndexedDB, and resume after a restart. A state is never mutated: a rejected input leaves the
 * caller's state exactly as it was.
 */
import { assertBytes, assertInteger } from './assert';
import { bytesToHex } from './bytes';

/** The result of every state transition: the next state and what to send or hand on. */
export interface Transition<S, O> {
  state: S;
  output: O;
}

/**
 * Security levels of GP Card Specification v2.3.1 §10.6 / Amendment D §5.1: C-MAC (01),
 * C-DECRYPTION (02, only with C-MAC), R-MAC (10), R-ENCRYPTION (20, only with C-DECRYPTION and R-MAC).
 */
export const SECURITY_LEVEL = {
  C_MAC: 0x01,
  C_MAC_C_DEC: 0x03,
  C_MAC_R_MAC: 0x11,
  C_MAC_C_DEC_R_MAC: 0x13,
  C_MAC_C_DEC_R_MAC_R_ENC: 0x33,
} as const;

/** One of the security levels this library accepts: 01, 03, 11, 13 or 33. */
export type SecurityLevel = (typeof SECURITY_LEVEL)[keyof typeof SECURITY_LEVEL];

const LEVELS: readonly number[] = Object.values(SECURITY_LEVEL);

/** True for 01, 03, 11, 13, 33 — the combinations GP allows with authentication and C-MAC. */
export function isSecurityLevel(value: unknown): value is SecurityLevel {
  return typeof value === 'number' && LEVELS.includes(value);
}

/** Which end of the channel holds this state. */
export type ScpRole = 'host' | 'card';

/** How the session was opened. */
export type ScpOrigin = 'scp03' | 'scp11a' | 'scp11b';

/** An established SCP03 session. JSON-serialisable; treat as immutable. */
export interface Scp03Session {
  readonly kind: 'scp03-session';
  /** Format version of this object, for stored sessions. */
  readonly version: 1;
  readonly role: ScpRole;
  readonly origin: ScpOrigin;
  readonly securityLevel: SecurityLevel;
  /** S8 (8-byte MACs and challenges) or S16 mode (GP Amendment D §6.2.3, v1.1.2). */
  readonly macLength: 8 | 16;
  /** Session keys as lower-case hex (16, 24 or 32 bytes each). `sDek` is the static DEK for SCP03, the derived S-DEK for SCP11. */
  readonly keys: { readonly sEnc: string; readonly sMac: string; readonly sRmac: string; readonly sDek: string | null };
  /** The 16-byte MAC chaining value (hex): the full C-MAC of the last command. */
  readonly macChainingValue: string;
  /** The encryption counter of the last command (0 before the first command after authentication). */
  readonly encryptionCounter: number;
  /** A command was wrapped (host) or unwrapped (card) and its response is still to come. */
  readonly awaitingResponse: boolean;
}

/** Highest encryption counter used; beyond it the session must be re-opened (a counter is never reused). */
export const MAX_ENCRYPTION_COUNTER = 0xffffffff;

/** Options for {@link createScp03Session}. */
export interface CreateScp03SessionOptions {
  role: ScpRole;
  origin: ScpOrigin;
  securityLevel: SecurityLevel;
  macLength: 8 | 16;
  sEnc: Uint8Array;
  sMac: Uint8Array;
  sRmac: Uint8Array;
  sDek: Uint8Array | null;
  /** The initial MAC chaining value: the EXTERNAL AUTHENTICATE C-MAC (SCP03) or the receipt (SCP11). */
  macChainingValue: Uint8Array;
}

/**
 * Builds a session state from derived keys. Used by the SCP03 and SCP11 handshakes; exported so a
 * test or a tool can start from known session keys.
 * @throws {TypeError|RangeError} for wrongly sized keys or an unknown level.
 */
export function createScp03Session(options: CreateScp03SessionOptions): Scp03Session {
  if (!isSecurityLevel(options.securityLevel)) throw new RangeError(`security level: expected 01, 03, 11, 13 or 33, got ${String(options.securityLevel)}`);
  if (options.macLength !== 8 && options.macLength !== 16) throw new RangeError(`MAC length: expected 8 or 16, got ${String(options.macLength)}`);
  if (options.role !== 'host' && options.role !== 'card') throw new TypeError(`role: expected host or card, got ${String(options.role)}`);
  assertBytes('S-ENC', options.sEnc, 16, 24, 32);
  assertBytes('S-MAC', options.sMac, options.sEnc.length);
  assertBytes('S-RMAC', options.sRmac, options.sEnc.length);
  if (options.sDek !== null) assertBytes('S-DEK', options.sDek, 16, 24, 32);
  assertBytes('MAC chaining value', options.macChainingValue, 16);
  return {
    kind: 'scp03-session',
    version: 1,
    role: options.role,
    origin: options.origin,
    securityLevel: options.securityLevel,
    macLength: options.macLength,
    keys: {
      sEnc: bytesToHex(options.sEnc),
      sMac: bytesToHex(options.sMac),
      sRmac: bytesToHex(options.sRmac),
      sDek: options.sDek === null ? null : bytesToHex(options.sDek),
    },
    macChainingValue: bytesToHex(options.macChainingValue),
    encryptionCounter: 0,
    awaitingResponse: false,
  };
}

const HEX_KEY = /^(?:[0-9a-f]{32}|[0-9a-f]{48}|[0-9a-f]{64})$/;

/**
 * Checks that a value (for instance read back from storage) is a well-formed session.
 * @throws {TypeError|RangeError} naming the first bad field.
 */
export function assertScp03Session(value: unknown): asserts value is Scp03Session {
  if (typeof value !== 'object' || value === null) throw new TypeError(`SCP03 session: expected an object, got ${value === null ? 'null' : typeof value}`);
  const s = value as Partial<Scp03Session>;
  if (s.kind !== 'scp03-session' || s.version !== 1) throw new TypeError('SCP03 session: expected kind "scp03-session", version 1');
  if (s.role !== 'host' && s.role !== 'card') throw new TypeError(`SCP03 session role: expected host or card, got ${String(s.role)}`);
  if (!isSecurityLevel(s.securityLevel)) throw new RangeError(`SCP03 session security level: expected 01, 03, 11, 13 or 33, got ${String(s.securityLevel)}`);
  if (s.macLength !== 8 && s.macLength !== 16) throw new RangeError(`SCP03 session MAC length: expected 8 or 16, got ${String(s.macLength)}`);
  const keys = s.keys;
  if (typeof keys !== 'object' || keys === null) throw new TypeError('SCP03 session keys: expected an object');
  for (const name of ['sEnc', 'sMac', 'sRmac'] as const) {
    if (typeof keys[name] !== 'string' || !HEX_KEY.test(keys[name])) throw new TypeError(`SCP03 session key ${name}: expected 32, 48 or 64 lower-case hex digits`);
  }
  if (keys.sDek !== null && (typeof keys.sDek !== 'string' || !HEX_KEY.test(keys.sDek))) throw new TypeError('SCP03 session key sDek: expected hex or null');
  if (typeof s.macChainingValue !== 'string' || !/^[0-9a-f]{32}$/.test(s.macChainingValue)) throw new TypeError('SCP03 session MAC chaining value: expected 32 lower-case hex digits');
  assertInteger('SCP03 session encryption counter', s.encryptionCounter, 0, MAX_ENCRYPTION_COUNTER);
  if (typeof s.awaitingResponse !== 'boolean') throw new TypeError('SCP03 session awaitingResponse: expected a boolean');
}
