// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, Json } from '../src/secure-element/applet' */
/**
 * Load-control applet — owned by the distribution network operator (DNO).
 *
 * Switches the home's EV charger or heat pump off, or caps it, for a window the DNO asks for in a
 * signed command (ECDSA P-256 over the command's canonical JSON, checked against the DNO's
 * command key personalised at set-up). The window is shifted by a randomised delay of up to the
 * command's `randomisationSeconds` (≤ 600 s: DCUSA DCP204, Smart Charge Points Regulations 2021) so
 * that a feeder's devices do not all switch at the same instant.
 *
 * Randomisation is deterministic per meter and command: offset = uint32(X9.63-KDF(meter secret,
 * "hydra/load-control/offset|" + commandId)) mod (randomisationSeconds + 1) seconds, through the
 * `crypto` capability. The meter secret is drawn by the host from its secure random source at
 * set-up and personalised here; the DNO never learns it, so it cannot predict one meter's offset,
 * while a redelivered command lands on the same offset (no second draw to leak or to disagree).
 *
 * Refused, with the reason in the ack: unsigned or badly signed commands, a commandId already seen,
 * a sequence not above the last accepted one, a window already over, malformed fields.
 *
 * Commands:
 *   personalise  { dnoKey, offsetSecret }   write-once
 *   load-control { command: { commandId, sequence, device: 'ev' | 'heat-pump', action: 'off' | 'limit',
 *                  limitKw, start (UTC ms), durationSeconds, randomisationSeconds }, signature }
 *                → 'load-control-ack' { commandId, result, appliedStart, appliedEnd, reason }
 *
 * @typedef {{ commandId: string, sequence: number, device: 'ev' | 'heat-pump', action: 'off' | 'limit', limitKw: number, start: number, durationSeconds: number, randomisationSeconds: number }} ControlCommand
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'load-control',
  version: '1.0.0',
  owner: 'dno',
  capabilities: ['storage', 'outbox', 'clock', 'crypto', 'load-control'],
  sends: ['load-control-ack'],
  description: 'Applies signed DNO load-control commands to the EV charger or heat pump with a randomised start (≤ 600 s) and acknowledges them: command id, applied start and end.',
};

const OK = 0x9000;
const SECURITY_NOT_SATISFIED = 0x6982;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;
const MAX_RANDOMISATION_S = 600;
const SEEN_KEPT = 128;

/** @param {unknown} v @param {number} min @param {number} max */
const isInt = (v, min, max) => Number.isSafeInteger(v) && /** @type {number} */ (v) >= min && /** @type {number} */ (v) <= max;
/** @param {unknown} v */
const isHex = (v) => typeof v === 'string' && v.length > 0 && v.length <= 256 && /^(?:[0-9a-f]{2})+$/i.test(v);

/** @param {unknown} value @returns {string} */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = /** @type {Record<string, unknown>} */ (value);
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** @param {unknown} value @returns {string | undefined} */
function commandProblem(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'command: expected an object';
  const c = /** @type {Record<string, unknown>} */ (value);
  if (typeof c.commandId !== 'string' || c.commandId.length === 0 || c.commandId.length > 64) return 'commandId: expected a string of 1–64 characters';
  if (!isInt(c.sequence, 1, Number.MAX_SAFE_INTEGER)) return 'sequence: expected an integer ≥ 1';
  if (c.device !== 'ev' && c.device !== 'heat-pump') return "device: expected 'ev' or 'heat-pump'";
  if (c.action !== 'off' && c.action !== 'limit') return "action: expected 'off' or 'limit'";
  if (typeof c.limitKw !== 'number' || !Number.isFinite(c.limitKw) || c.limitKw < 0 || c.limitKw > 50) return 'limitKw: expected a number 0…50';
  if (c.action === 'off' && c.limitKw !== 0) return "limitKw: expected 0 with action 'off'";
  if (c.action === 'limit' && c.limitKw === 0) return "limitKw: expected > 0 with action 'limit' (use 'off')";
  if (!isInt(c.start, 0, 8.64e15)) return 'start: expected UTC milliseconds';
  if (!isInt(c.durationSeconds, 60, 86_400)) return 'durationSeconds: expected an integer 60…86400';
  if (!isInt(c.randomisationSeconds, 0, MAX_RANDOMISATION_S)) return `randomisationSeconds: expected an integer 0…${MAX_RANDOMISATION_S}`;
  return undefined;
}

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createLoadControlApplet(caps) {
  const { storage, outbox, clock, crypto, loadControl } = caps;
  if (!storage || !outbox) throw new Error('load-control: needs storage and outbox');

  /**
   * @param {string} commandId @param {'applied' | 'refused'} result
   * @param {number | null} appliedStart @param {number | null} appliedEnd @param {string | null} reason @param {number} status
   * @returns {AppletResponse}
   */
  const ack = (commandId, result, appliedStart, appliedEnd, reason, status) => {
    const body = { commandId, result, appliedStart, appliedEnd, reason };
    outbox.put('load-control-ack', body);
    return { status, body };
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const control = (body) => {
    const raw = body.command;
    const claimedId = raw && typeof raw === 'object' && !Array.isArray(raw) && typeof raw.commandId === 'string' ? raw.commandId.slice(0, 64) : '';
    /** @param {string} reason @param {number} status */
    const refuse = (reason, status) => ack(claimedId, 'refused', null, null, reason, status);
    const problem = commandProblem(raw);
    if (problem) return refuse(`malformed: ${problem}`, WRONG_DATA);
    const c = /** @type {ControlCommand} */ (/** @type {unknown} */ (raw));
    const dnoKey = storage.get('dnoKey');
    const secret = storage.get('offsetSecret');
    if (typeof dnoKey !== 'string' || typeof secret !== 'string') return refuse('not personalised: no DNO key or randomisation secret', CONDITIONS_NOT_SATISFIED);
    if (!crypto || !loadControl) return refuse('this meter offers no crypto or actuator capability', CONDITIONS_NOT_SATISFIED);
    // GP-style fail closed: one reason for any signature failure, checked before anything else.
    if (!isHex(body.signature) || !crypto.verify(/** @type {string} */ (body.signature), canonicalJson(c), dnoKey)) {
      return refuse('signature: not signed by the DNO command key', SECURITY_NOT_SATISFIED);
    }
    const seen = /** @type {string[]} */ (storage.get('seen') ?? []);
    if (seen.includes(c.commandId)) return refuse('replayed: command id already seen', SECURITY_NOT_SATISFIED);
    const lastSequence = /** @type {number} */ (storage.get('sequence') ?? 0);
    if (c.sequence <= lastSequence) return refuse(`replayed: sequence ${c.sequence} is not above ${lastSequence}`, SECURITY_NOT_SATISFIED);
    const now = clock ? clock.now() : 0;
    const end = c.start + c.durationSeconds * 1000;
    if (end <= now) return refuse('expired: the window is already over', CONDITIONS_NOT_SATISFIED);

    const draw = Number.parseInt(crypto.kdf(secret, `hydra/load-control/offset|${c.commandId}`, 4), 16);
    const offsetMs = (draw % (c.randomisationSeconds + 1)) * 1000;
    const appliedStart = c.start + offsetMs;
    const appliedEnd = end + offsetMs;
    loadControl.schedule({ commandId: c.commandId, device: c.device, fromUtc: appliedStart, toUtc: appliedEnd, limitKw: c.action === 'off' ? 0 : c.limitKw });
    storage.set('seen', [...seen, c.commandId].slice(-SEEN_KEPT));
    storage.set('sequence', c.sequence);
    return ack(c.commandId, 'applied', appliedStart, appliedEnd, null, OK);
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const personalise = (body) => {
    /** @param {string} reason @param {number} status */
    const refuse = (reason, status) => ({ status, body: { result: 'refused', reason } });
    /** @type {[string, string][]} */
    const writes = [];
    if (body.dnoKey !== undefined) {
      if (!isHex(body.dnoKey) || (String(body.dnoKey).length !== 66 && String(body.dnoKey).length !== 130)) return refuse('dnoKey: expected a SEC 1 P-256 public key in hex', WRONG_DATA);
      writes.push(['dnoKey', String(body.dnoKey).toLowerCase()]);
    }
    if (body.offsetSecret !== undefined) {
      if (!isHex(body.offsetSecret) || String(body.offsetSecret).length < 32) return refuse('offsetSecret: expected at least 16 random bytes in hex', WRONG_DATA);
      writes.push(['offsetSecret', String(body.offsetSecret).toLowerCase()]);
    }
    for (const [name, value] of writes) {
      const existing = storage.get(name);
      if (existing !== undefined && existing !== value) return refuse(`${name}: already personalised`, CONDITIONS_NOT_SATISFIED);
    }
    for (const [name, value] of writes) storage.set(name, value);
    return { status: OK, body: { result: 'applied', reason: null } };
  };

  return {
    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name === 'load-control') return control(command.body);
      if (command.name === 'personalise') return personalise(command.body);
      return { status: INS_NOT_SUPPORTED, body: { result: 'refused', reason: `load-control: unknown command ${command.name.slice(0, 32)}` } };
    },
  };
}
