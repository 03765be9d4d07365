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
 *   mask_j(t) = uint32 number t of X9.63-KDF-SHA256(secret_j, "hydra/aggregation/v1|feeder|date")
 *   sign(self, j) = +1 if self's meter id sorts before j's, else −1
 *
 * where secret_j is the one fixed ECDH secret this meter shares with feeder peer j (DESIGN.md
 * Decision 13). Each mask appears once with + and once with − across the feeder, so the sum of
 * all the feeder's shares is the feeder's import; one share alone is uniformly distributed and
 * says nothing about the home. Feeders of fewer than 5 meters report nothing.
 *
 * Commands:
 *   personalise { feederId, meterId, peers: [{ meterId, secret }] }  → { result, reason }
 *               (the feeder's membership; replaced whole when the feeder changes)
 * Outbox: 'feeder-shares' { date, feederId, shares } — one message per day, 46/48/50 shares.
 *
 * @typedef {{ meterId: string, secret: string }} Peer
 * @typedef {{ feederId: string, meterId: string, peers: Peer[] }} Membership
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'aggregation',
  version: '1.0.0',
  owner: 'dno',
  capabilities: ['metrology', 'storage', 'outbox', 'crypto'],
  sends: ['feeder-shares'],
  description: 'Sends one masked share per half hour, once a day; the masks cancel only over the whole feeder (≥ 5 meters), so the DNO learns feeder load and nothing about one home.',
};

const OK = 0x9000;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;
const MODULUS = 2 ** 32;
const MIN_FEEDER = 5;
const MAX_FEEDER = 500;

/** @param {unknown} v */
const isId = (v) => typeof v === 'string' && v.length > 0 && v.length <= 64;
/** @param {unknown} v */
const isSecret = (v) => typeof v === 'string' && v.length >= 32 && v.length <= 128 && /^(?:[0-9a-f]{2})+$/i.test(v);

/** @param {unknown} body @returns {string | undefined} */
function membershipProblem(body) {
  if (!body || typeof body !== 'object') return 'personalise: expected an object';
  const b = /** @type {Record<string, unknown>} */ (body);
  if (!isId(b.feederId)) return 'feederId: expected a string of 1–64 characters';
  if (!isId(b.meterId)) return 'meterId: expected a string of 1–64 characters';
  if (!Array.isArray(b.peers) || b.peers.length > MAX_FEEDER) return `peers: expected up to ${MAX_FEEDER} peers`;
  const ids = new Set([b.meterId]);
  for (const p of b.peers) {
    if (!p || typeof p !== 'object' || !isId(p.meterId) || !isSecret(p.secret)) return 'peers[]: expected { meterId, secret (≥ 16 bytes hex) }';
    if (ids.has(p.meterId)) return `peers[]: meter ${String(p.meterId)} appears twice`;
    ids.add(p.meterId);
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

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const stored = storage.get('membership');
      if (!stored || !crypto) return; // not set up: nothing leaves the meter
      const m = /** @type {Membership} */ (/** @type {unknown} */ (stored));
      if (m.peers.length + 1 < MIN_FEEDER) return; // too few meters to hide one home
      const n = day.halfHours;
      /** @type {number[]} */
      const shares = Array.from({ length: n }, (_, t) => {
        const wh = day.importWh[t] ?? 0;
        return ((wh % MODULUS) + MODULUS) % MODULUS;
      });
      for (const peer of m.peers) {
        const stream = crypto.kdf(peer.secret, `hydra/aggregation/v1|${m.feederId}|${day.date}`, 4 * n);
        const plus = m.meterId < peer.meterId;
        for (let t = 0; t < n; t++) {
          const mask = Number.parseInt(stream.slice(8 * t, 8 * t + 8), 16);
          const s = /** @type {number} */ (shares[t]);
          shares[t] = plus ? (s + mask) % MODULUS : (s - mask + MODULUS) % MODULUS;
        }
      }
      outbox.put('feeder-shares', { date: day.date, feederId: m.feederId, shares });
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name !== 'personalise') {
        return { status: INS_NOT_SUPPORTED, body: { result: 'refused', reason: `aggregation: unknown command ${command.name.slice(0, 32)}` } };
      }
      if (!crypto) return { status: CONDITIONS_NOT_SATISFIED, body: { result: 'refused', reason: 'this meter offers no crypto capability' } };
      const problem = membershipProblem(command.body);
      if (problem) return { status: WRONG_DATA, body: { result: 'refused', reason: problem } };
      const b = command.body;
      const peers = /** @type {Peer[]} */ (/** @type {unknown} */ (b.peers)).map((p) => ({ meterId: p.meterId, secret: p.secret.toLowerCase() }));
      storage.set('membership', /** @type {Json} */ ({ feederId: b.feederId, meterId: b.meterId, peers }));
      return { status: OK, body: { result: 'applied', reason: peers.length + 1 < MIN_FEEDER ? `feeder of ${peers.length + 1} meters: fewer than ${MIN_FEEDER}, nothing will be sent` : null } };
    },
  };
}
