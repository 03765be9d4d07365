/**
 * Life cycle states of the card, of security domains and of applications, with their GP coding
 * (GP Card Specification v2.3.1 §5.1 and §11.1.1, Tables 11-3 to 11-5) and the transitions the
 * card manager allows (§5.1.1.x and SET STATUS §11.10).
 *
 * Card: OP_READY → INITIALIZED → SECURED ⇄ CARD_LOCKED → TERMINATED (from any state).
 * Application: INSTALLED → SELECTABLE, either of which may be LOCKED (b8) and unlocked again.
 * Security domain: INSTALLED → SELECTABLE → PERSONALIZED, and LOCKED likewise.
 */
import { SeError } from './se-error';

/** Card life cycle states (GP §5.1.1). */
export type CardLifecycle = 'OP_READY' | 'INITIALIZED' | 'SECURED' | 'CARD_LOCKED' | 'TERMINATED';

/** GP Table 11-3 coding. */
export const CARD_LIFECYCLE_BYTES: Record<CardLifecycle, number> = {
  OP_READY: 0x01,
  INITIALIZED: 0x07,
  SECURED: 0x0f,
  CARD_LOCKED: 0x7f,
  TERMINATED: 0xff,
};

/** Application and security domain base states (before the LOCKED bit). */
export type AppletLifecycle = 'INSTALLED' | 'SELECTABLE' | 'PERSONALIZED';

/** GP Tables 11-4 and 11-5: LOCKED sets b8 on top of the state it locks. */
const APPLET_LIFECYCLE_BYTES: Record<AppletLifecycle, number> = { INSTALLED: 0x03, SELECTABLE: 0x07, PERSONALIZED: 0x0f };
const LOCKED_BIT = 0x80;

/** Executable load files are always LOADED (GP Table 11-2). */
export const LOAD_FILE_LOADED = 0x01;

/** The life cycle byte of an application or security domain. */
export function appletLifecycleByte(state: AppletLifecycle, locked: boolean): number {
  return APPLET_LIFECYCLE_BYTES[state] | (locked ? LOCKED_BIT : 0);
}

/** Whether the card accepts content management (load, install, delete, keys) in this state (GP §5.1.1). */
export function cardAllowsManagement(state: CardLifecycle): boolean {
  return state === 'OP_READY' || state === 'INITIALIZED' || state === 'SECURED';
}

/**
 * The card's next state for SET STATUS P1=80 with P2 = `target`.
 * @throws {SeError} 6A80 for an unknown coding, 6985 for a transition GP does not allow.
 */
export function nextCardLifecycle(current: CardLifecycle, target: number): CardLifecycle {
  const entry = (Object.entries(CARD_LIFECYCLE_BYTES) as [CardLifecycle, number][]).find(([, byte]) => byte === target);
  if (!entry) throw new SeError('WRONG_DATA', `card life cycle: ${target.toString(16).padStart(2, '0')} is not a state`);
  const next = entry[0];
  const allowed: Record<CardLifecycle, readonly CardLifecycle[]> = {
    OP_READY: ['INITIALIZED', 'SECURED', 'TERMINATED'],
    INITIALIZED: ['SECURED', 'TERMINATED'],
    SECURED: ['CARD_LOCKED', 'TERMINATED'],
    CARD_LOCKED: ['SECURED', 'TERMINATED'],
    TERMINATED: [],
  };
  if (!allowed[current].includes(next)) throw new SeError('CONDITIONS_NOT_SATISFIED', `card life cycle: ${current} cannot become ${next}`);
  return next;
}

/**
 * The application's next state for SET STATUS P1=40 with P2 = `target`: b8 set locks it; b8 clear
 * unlocks it (GP §11.10.2.2 — the state before locking is restored) or moves INSTALLED → SELECTABLE.
 * @throws {SeError} 6985 for a transition GP does not allow.
 */
export function nextAppletLifecycle(current: { lifecycle: AppletLifecycle; locked: boolean }, target: number): { lifecycle: AppletLifecycle; locked: boolean } {
  if ((target & LOCKED_BIT) !== 0) {
    if (current.locked) throw new SeError('CONDITIONS_NOT_SATISFIED', 'application life cycle: already LOCKED');
    return { lifecycle: current.lifecycle, locked: true };
  }
  if (current.locked) return { lifecycle: current.lifecycle, locked: false };
  if (target === APPLET_LIFECYCLE_BYTES.SELECTABLE && current.lifecycle === 'INSTALLED') return { lifecycle: 'SELECTABLE', locked: false };
  throw new SeError('CONDITIONS_NOT_SATISFIED', `application life cycle: ${current.lifecycle} cannot become ${target.toString(16).padStart(2, '0')}`);
}
