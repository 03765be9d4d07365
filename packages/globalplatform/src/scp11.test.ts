import { describe, expect, it } from 'vitest';
import { cardKeys, makePki, NOW, openScp11, roundTrip, seededRandom } from '../test/fixtures';
import { type CommandApdu, parseCommandApdu } from './apdu';
import { bytesToHex, hexToBytes } from './bytes';
import { ApduError, CertificateError, ScpAuthenticationError, ScpProtocolError } from './errors';
import { generateKeyPair } from './keys';
import {
  buildGetCertificatesCommand,
  parseGetCertificatesResponse,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  scp11CardPerformSecurityOperation,
  scp11HostFinish,
  scp11HostStart,
} from './scp11';
import { verifyCertificateChain } from './certificate';
import { scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse } from './secure-messaging';

const pki = makePki();
const keys = cardKeys(pki);
const plain: CommandApdu = { cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x00, data: hexToBytes('4f00'), ne: 256 };

describe('SCP11 (GP Amendment F)', () => {
  for (const variant of ['a', 'b'] as const) {
    for (const keyLength of [16, 24, 32] as const) {
      it(`SCP11${variant}, AES-${keyLength * 8}: both ends agree and secure messaging runs at level 33`, () => {
        const { host, card, receipt } = openScp11(variant, pki, keyLength);
        expect(host.securityLevel).toBe(0x33);
        expect(host.keys).toEqual(card.keys);
        expect(host.macChainingValue).toBe(bytesToHex(receipt));
        expect(host.origin).toBe(`scp11${variant}`);
        const w = scp03WrapCommand(host, plain);
        const u = scp03UnwrapCommand(card, w.output);
        expect(u.output.data).toEqual(plain.data);
        const r = scp03WrapResponse(u.state, { data: hexToBytes('e3024f00'), sw: 0x9000 });
        expect(scp03UnwrapResponse(w.state, r.output).output.data).toEqual(hexToBytes('e3024f00'));
      });
    }
  }

  it('builds INTERNAL AUTHENTICATE for SCP11b and PSO + MUTUAL AUTHENTICATE for SCP11a', () => {
    const b = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(1) });
    expect(b.output.length).toBe(1);
    expect(bytesToHex(b.output[0]!.subarray(0, 20))).toBe('8088011353a60d9002110095013c800188810110');
    const a = scp11HostStart({ variant: 'a', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(1), oceStaticPrivateKey: pki.oce.privateKey, oceCertificates: pki.oceCertificates, oceKeyVersion: 1, oceKeyId: 0x10 });
    expect(a.output.map((c) => bytesToHex(c.subarray(0, 4)))).toEqual(['802a0190', '802a0110', '8082011153'.slice(0, 8)]);
    expect(parseCommandApdu(a.output[2]!).p2).toBe(0x11);
  });

  it('serves the SD certificate store with GET DATA BF21, which the host verifies to a CA-KLCC', () => {
    const response = scp11CardGetCertificates(keys, buildGetCertificatesCommand(1, 0x13));
    const chain = parseGetCertificatesResponse(response);
    const leaf = verifyCertificateChain(chain, { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'sd' });
    expect(bytesToHex(leaf.publicKey.subarray(1, 33))).toBe(bytesToHex(pki.sd.publicKey.subarray(1)));
    expect(() => scp11CardGetCertificates(keys, buildGetCertificatesCommand(2, 0x13))).toThrow(expect.objectContaining({ statusWord: 0x6a88 }));
    expect(() => parseGetCertificatesResponse(hexToBytes('6a88'))).toThrow(ApduError);
  });

  it('fails closed on a wrong receipt, a card with another key, or a swapped ephemeral key (6982)', () => {
    const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(2) });
    const card = scp11CardAuthenticate(null, start.output[0]!, { keys, random: seededRandom(3) });
    for (const index of [card.output.length - 3, 10]) {
      const tampered = card.output.slice();
      tampered[index]! ^= 1;
      expect(() => scp11HostFinish(start.state, tampered)).toThrow(ScpAuthenticationError);
    }
    const impostor = { ...keys, sdPrivateKey: generateKeyPair(seededRandom(4)).privateKey };
    const fake = scp11CardAuthenticate(null, start.output[0]!, { keys: impostor, random: seededRandom(3) });
    expect(() => scp11HostFinish(start.state, fake.output)).toThrow(ScpAuthenticationError);
    expect(() => scp11HostFinish(start.state, hexToBytes('6982'))).toThrow(ApduError);
    expect(scp11HostFinish(roundTrip(start.state), card.output).state.role).toBe('host');
  });

  it('SCP11a: the card needs a verified OCE chain and refuses an untrusted one', () => {
    const start = scp11HostStart({ variant: 'a', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(5), oceStaticPrivateKey: pki.oce.privateKey, oceCertificates: pki.oceCertificates });
    const auth = start.output.at(-1)!;
    expect(() => scp11CardAuthenticate(null, auth, { keys, random: seededRandom(6) })).toThrow(expect.objectContaining({ statusWord: 0x6985 }));
    const first = scp11CardPerformSecurityOperation(null, start.output[0]!, { keys, now: NOW });
    expect(first.state.ocePublicKey).toBeNull();
    expect(() => scp11CardPerformSecurityOperation(first.state, start.output[1]!, { keys: { ...keys, oceTrustAnchors: [pki.klccAnchor] }, now: NOW })).toThrow(CertificateError);
    expect(() => scp11CardPerformSecurityOperation(first.state, start.output[1]!, { keys, now: NOW + 10 * 365 * 24 * 3600 })).toThrow(expect.objectContaining({ reason: 'expired' }));
    const second = scp11CardPerformSecurityOperation(roundTrip(first.state), start.output[1]!, { keys, now: NOW });
    expect(second.state.ocePublicKey).not.toBeNull();
    // An OCE that presents a valid chain but holds another static key: receipts differ.
    const liar = scp11HostStart({ variant: 'a', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(5), oceStaticPrivateKey: generateKeyPair(seededRandom(8)).privateKey, oceCertificates: pki.oceCertificates });
    const answer = scp11CardAuthenticate(second.state, liar.output.at(-1)!, { keys, random: seededRandom(6) });
    expect(() => scp11HostFinish(liar.state, answer.output)).toThrow(ScpAuthenticationError);
  });

  it('refuses unknown KVN/KID (6A88), other parameters (6A80) and invalid points', () => {
    const start = scp11HostStart({ variant: 'b', keyVersion: 2, sdPublicKey: pki.sd.publicKey, random: seededRandom(7) });
    expect(() => scp11CardAuthenticate(null, start.output[0]!, { keys, random: seededRandom(1) })).toThrow(expect.objectContaining({ statusWord: 0x6a88 }));
    const ok = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: pki.sd.publicKey, random: seededRandom(7) }).output[0]!;
    const usage = ok.slice();
    usage[13]! = 0x34; // key usage 3C → 34
    expect(() => scp11CardAuthenticate(null, usage, { keys, random: seededRandom(1) })).toThrow(expect.objectContaining({ statusWord: 0x6a80 }));
    const point = ok.slice();
    point[30]! ^= 1; // a coordinate byte of ePK.OCE: no longer on the curve
    expect(() => scp11CardAuthenticate(null, point, { keys, random: seededRandom(1) })).toThrow(ScpProtocolError);
    expect(() => scp11CardAuthenticate(null, ok, { keys: { ...keys, variants: ['a'] }, random: seededRandom(1) })).toThrow(expect.objectContaining({ statusWord: 0x6d00 }));
  });
});
