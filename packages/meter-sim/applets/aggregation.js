// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, Json, MetrologyDay } from '../src/secure-element/applet' */
/**
 * Aggregation applet — owned by the distribution network operator (DNO).
 *
 * The DNO needs feeder load, not household load (Ofgem's DNO data privacy plans, SLC 10A: data
 * about one home over less than a month is personal data). Each meter therefore sends, once a
 * day, one masked share per half hour:
 *
 *   share_t = ( importWh_t + Σ_j sign(self, j) · mask_j(t) )  mod 2^32
 *   key_j     = X9.63-KDF-SHA256(Z_j, "hydra/aggregation/v1|pair", 32 bytes)     at the roster
 *   mask_j(t) = uint32 number t (big-endian) of ChaCha20(key_j, nonce = the date "YYYY-MM-DD")
 *   sign(self, j) = +1 if self's meter id sorts before j's, else −1
 *
 * where Z_j is the one fixed ECDH secret this meter shares with feeder peer j (DESIGN.md Decision
 * 13): the KDF turns it into the pair's mask key once, and the ChaCha20 keystream expands that key
 * into each day's 46–50 masks (about three times cheaper than running the KDF for every day's
 * masks; one date is one nonce, never reused). The card's `crypto.prfWordsSum` computes the signed
 * sum of a day's masks over all peers in one call. Each mask appears once with + and once with −
 * across the feeder, so the sum of all the feeder's shares is the feeder's import; one share alone
 * is uniformly distributed and says nothing about the home. Feeders of fewer than 5 meters report
 * nothing.
 *
 * Keys: the meter's aggregation key pair is generated here, on the card, from the card's secure
 * random source (`crypto.generateKeyPair`); only its public half leaves, in the answer to the DNO's
 * 'public-key' command. The DNO then sends every meter of the feeder the same roster — each
 * member's meter id and public key — signed with its command key; each meter checks the signature,
 * finds itself in it, and computes one ECDH secret per peer. The DNO never learns a pair secret, so
 * it cannot remove one home's masks.
 *
 * Commands (every answer is { result: 'applied' | 'refused', reason, … }):
 *   personalise { meterId?, dnoKey? }          each write-once (meterId at manufacture, dnoKey by the DNO)
 *   public-key  {}                             → also publicKey (SEC 1 compressed, hex); the key pair is
 *                                                generated on the first call and kept
 *   roster      { roster: { feederId, sequence, members: [{ meterId, publicKey }] }, signature }
 *                                              signature = ECDSA P-256 over the roster's canonical JSON
 *                                              by the DNO command key; sequence strictly increases
 * Outbox: 'feeder-shares' { date, feederId, shares } — one message per day, 46/48/50 shares.
 *
 * @typedef {{ meterId: string, secret: string }} Peer  secret: the pair's mask key (hex)
 * @typedef {{ feederId: string, meterId: string, peers: Peer[] }} Membership
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'aggregation',
  version: '1.2.2',
  owner: 'dno',
  capabilities: ['metrology', 'storage', 'outbox', 'crypto'],
  sends: ['feeder-shares'],
  description: 'Sends one masked share per half hour, once a day; the masks cancel only over the whole feeder (≥ 5 meters), so the DNO learns feeder load and nothing about one home.',
};

const OK = 0x9000;
const SECURITY_NOT_SATISFIED = 0x6982;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;
const MIN_FEEDER = 5;
const MAX_FEEDER = 500;

/** @param {unknown} v */
const isId = (v) => typeof v === 'string' && v.length > 0 && v.length <= 64;
/** @param {unknown} v */
const isKey = (v) => typeof v === 'string' && (v.length === 66 || v.length === 130) && /^(?:[0-9a-f]{2})+$/i.test(v);
/** @param {unknown} v */
const isHex = (v) => typeof v === 'string' && v.length > 0 && v.length <= 256 && /^(?:[0-9a-f]{2})+$/i.test(v);

/** Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace (what the DNO signs). @param {unknown} value @returns {string} */
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
function rosterProblem(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'roster: expected an object';
  const r = /** @type {Record<string, unknown>} */ (value);
  if (!isId(r.feederId)) return 'roster.feederId: expected a string of 1–64 characters';
  if (!Number.isSafeInteger(r.sequence) || /** @type {number} */ (r.sequence) < 1) return 'roster.sequence: expected an integer ≥ 1';
  if (!Array.isArray(r.members) || r.members.length === 0 || r.members.length > MAX_FEEDER) return `roster.members: expected 1 to ${MAX_FEEDER} members`;
  const ids = new Set();
  for (const m of r.members) {
    if (!m || typeof m !== 'object' || !isId(m.meterId) || !isKey(m.publicKey)) return 'roster.members[]: expected { meterId, publicKey (SEC 1 P-256, hex) }';
    if (ids.has(m.meterId)) return `roster.members[]: meter ${String(m.meterId).slice(0, 64)} appears twice`;
    ids.add(m.meterId);
  }
  return undefined;
}

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createAggregationApplet(caps) {
  const { storage, outbox, crypto } = caps;
  if (!storage || !outbox) throw new Error('aggregation: needs storage and outbox');

  /** @param {string} reason @param {number} status @returns {AppletResponse} */
  const refuse = (reason, status) => ({ status, body: { result: 'refused', reason } });

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const personalise = (body) => {
    /** @type {[string, string][]} */
    const writes = [];
    if (body.meterId !== undefined) {
      if (!isId(body.meterId)) return refuse('meterId: expected a string of 1–64 characters', WRONG_DATA);
      writes.push(['meterId', /** @type {string} */ (body.meterId)]);
    }
    if (body.dnoKey !== undefined) {
      if (!isKey(body.dnoKey)) return refuse('dnoKey: expected a SEC 1 P-256 public key in hex', WRONG_DATA);
      writes.push(['dnoKey', /** @type {string} */ (body.dnoKey).toLowerCase()]);
    }
    // Write-once: nobody can later swap the key rosters are checked against.
    for (const [name, value] of writes) {
      const existing = storage.get(name);
      if (existing !== undefined && existing !== value) return refuse(`${name}: already personalised`, CONDITIONS_NOT_SATISFIED);
    }
    for (const [name, value] of writes) storage.set(name, value);
    return { status: OK, body: { result: 'applied', reason: null } };
  };

  /** @returns {AppletResponse} */
  const publicKey = () => {
    if (!crypto) return { status: CONDITIONS_NOT_SATISFIED, body: { result: 'refused', reason: 'this meter offers no crypto capability', publicKey: null } };
    let key = storage.get('publicKey');
    if (typeof key !== 'string') {
      const pair = crypto.generateKeyPair();
      storage.set('privateKey', pair.privateKey);
      storage.set('publicKey', pair.publicKey);
      key = pair.publicKey;
    }
    return { status: OK, body: { result: 'applied', reason: null, publicKey: key } };
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const roster = (body) => {
    const dnoKey = storage.get('dnoKey');
    const meterId = storage.get('meterId');
    const privateKey = storage.get('privateKey');
    const ownKey = storage.get('publicKey');
    if (!crypto) return refuse('this meter offers no crypto capability', CONDITIONS_NOT_SATISFIED);
    if (typeof dnoKey !== 'string' || typeof meterId !== 'string') return refuse('not personalised: no DNO key or meter id', CONDITIONS_NOT_SATISFIED);
    if (typeof privateKey !== 'string' || typeof ownKey !== 'string') return refuse('no aggregation key yet: ask for the public key first', CONDITIONS_NOT_SATISFIED);
    const problem = rosterProblem(body.roster);
    if (problem) return refuse(`malformed: ${problem}`, WRONG_DATA);
    const r = /** @type {{ feederId: string, sequence: number, members: { meterId: string, publicKey: string }[] }} */ (/** @type {unknown} */ (body.roster));
    // Fail closed: one reason for any signature failure, checked before the roster is used.
    if (!isHex(body.signature) || !crypto.verify(/** @type {string} */ (body.signature), canonicalJson(r), dnoKey)) {
      return refuse('signature: not signed by the DNO command key', SECURITY_NOT_SATISFIED);
    }
    if (r.sequence <= /** @type {number} */ (storage.get('rosterSequence') ?? 0)) return refuse('replayed: roster sequence is not above the last one applied', SECURITY_NOT_SATISFIED);
    const self = r.members.find((m) => m.meterId === meterId);
    if (!self) return refuse('roster: this meter is not a member', CONDITIONS_NOT_SATISFIED);
    if (self.publicKey.toLowerCase() !== ownKey) return refuse("roster: lists another key for this meter", CONDITIONS_NOT_SATISFIED);
    /** @type {Peer[]} */
    const peers = [];
    for (const m of r.members) {
      if (m.meterId === meterId) continue;
      let shared;
      try {
        shared = crypto.ecdh(privateKey, m.publicKey);
      } catch {
        return refuse(`roster: the key of ${m.meterId} is not a P-256 point`, WRONG_DATA);
      }
      peers.push({ meterId: m.meterId, secret: crypto.kdf(shared, 'hydra/aggregation/v1|pair', 32) });
    }
    storage.set('membership', /** @type {Json} */ ({ feederId: r.feederId, meterId, peers }));
    storage.set('rosterSequence', r.sequence);
    const size = peers.length + 1;
    return { status: OK, body: { result: 'applied', reason: size < MIN_FEEDER ? `feeder of ${size} meters: fewer than ${MIN_FEEDER}, nothing will be sent` : null } };
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const stored = storage.get('membership');
      if (!stored || !crypto) return; // not set up: nothing leaves the meter
      const m = /** @type {Membership} */ (/** @type {unknown} */ (stored));
      if (m.peers.length + 1 < MIN_FEEDER) return; // too few meters to hide one home
      const n = day.halfHours;
      // Σ_j sign(self, j) · mask_j(t) mod 2^32 over the feeder peers, in one call to the card.
      /** @type {{ keyHex: string, sign: 1 | -1 }[]} */
      const terms = [];
      // An index loop: V8 reads a stored (frozen) array's elements on a slow path, `map` more so.
      for (let k = 0; k < m.peers.length; k++) {
        const peer = /** @type {Peer} */ (m.peers[k]);
        terms.push({ keyHex: peer.secret, sign: m.meterId < peer.meterId ? 1 : -1 });
      }
      const masks = crypto.prfWordsSum(terms, day.date, n);
      /** @type {number[]} */
      const shares = [];
      // `>>> 0` is ToUint32: exactly "mod 2^32" for these whole numbers.
      for (let t = 0; t < n; t++) shares.push(((day.importWh[t] ?? 0) + /** @type {number} */ (masks[t])) >>> 0);
      outbox.put('feeder-shares', { date: day.date, feederId: m.feederId, shares });
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name === 'personalise') return personalise(command.body);
      if (command.name === 'public-key') return publicKey();
      if (command.name === 'roster') return roster(command.body);
      return refuse(`aggregation: unknown command ${command.name.slice(0, 32)}`, INS_NOT_SUPPORTED);
    },
  };
}
