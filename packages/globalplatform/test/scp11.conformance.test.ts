/**
 * SCP11 conformance.
 * - SCP11a against Samsung/OpenSCP-Java's published transcripts (P-256; AES-128/192/256; S8): with
 *   the published OCE static and ephemeral keys and the SD public key from the published SD
 *   certificate, the host reproduces MUTUAL AUTHENTICATE byte for byte, accepts the card's receipt,
 *   wraps the next command exactly as published and opens the card's encrypted response.
 * - SCP11b: no published transcript with known keys was found (see vectors/README.md). It is checked
 *   by an independent re-computation of both ECDH secrets, the X9.63 KDF and the receipt over
 *   node:crypto (OpenSSL) against what our card side answers, and by interoperation of both ends.
 */
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { parseCommandApdu, parseResponseApdu } from '../src/apdu';
import { bytesToHex, concatBytes, hexToBytes } from '../src/bytes';
import { ScpAuthenticationError } from '../src/errors';
import { buildGetCertificatesCommand, scp11CardAuthenticate, scp11HostFinish, scp11HostStart } from '../src/scp11';
import { scp03UnwrapResponse, scp03WrapCommand } from '../src/secure-messaging';
import { parseTlvs } from '../src/tlv';
import { cardKeys, makePki, seededRandom } from './fixtures';
import { nodeCmac, nodeEcdh, nodeX963 } from './node-reference';
import v from './vectors/scp11a-openscp.json';

const hex = (bytes: Uint8Array) => bytesToHex(bytes).toUpperCase();

describe('SCP11a conformance: Samsung/OpenSCP-Java transcripts', () => {
  it('the published key pairs and GET DATA command match', () => {
    expect(hex(p256.getPublicKey(hexToBytes(v.oceStaticPrivateKey), false))).toBe(v.oceStaticPublicKey);
    expect(hex(p256.getPublicKey(hexToBytes(v.oceEphemeralPrivateKey), false))).toBe(v.oceEphemeralPublicKey);
    expect(hex(buildGetCertificatesCommand(v.keyVersion, v.keyId))).toBe(v.getDataCommand);
  });

  for (const c of v.cases) {
    const start = () =>
      scp11HostStart({
        variant: 'a',
        keyVersion: v.keyVersion,
        sdPublicKey: hexToBytes(v.sdPublicKey),
        keyLength: c.keyLength as 16 | 24 | 32,
        ephemeralPrivateKey: hexToBytes(v.oceEphemeralPrivateKey),
        oceStaticPrivateKey: hexToBytes(v.oceStaticPrivateKey),
        // Samsung uploads an X.509 certificate with command chaining; the upload is not what this vector pins.
        oceCertificates: [new Uint8Array(1)],
      });

    it(`${c.name}: MUTUAL AUTHENTICATE, receipt, wrapped GET STATUS and its response`, () => {
      const s = start();
      expect(hex(s.output.at(-1)!)).toBe(c.mutualAuthenticate);
      const done = scp11HostFinish(s.state, hexToBytes(c.mutualAuthenticateResponse));
      expect(done.state.securityLevel).toBe(0x33);
      const w = scp03WrapCommand(done.state, parseCommandApdu(hexToBytes(v.listPackagesPlain)));
      expect(hex(w.output)).toBe(c.listPackages);
      const r = scp03UnwrapResponse(w.state, hexToBytes(c.listPackagesResponse));
      expect(hex(r.output.data)).toBe(v.listPackagesPlainResponse);
    });

    it(`${c.name}: a flipped receipt bit, ephemeral key bit or R-MAC bit is refused (6982)`, () => {
      const response = hexToBytes(c.mutualAuthenticateResponse);
      for (const index of [response.length - 3, response.length - 18, 20]) {
        const tampered = response.slice();
        tampered[index]! ^= 1;
        expect(() => scp11HostFinish(start().state, tampered)).toThrow(ScpAuthenticationError);
      }
      const done = scp11HostFinish(start().state, response);
      const w = scp03WrapCommand(done.state, parseCommandApdu(hexToBytes(v.listPackagesPlain)));
      const tampered = hexToBytes(c.listPackagesResponse);
      tampered[tampered.length - 3]! ^= 1;
      expect(() => scp03UnwrapResponse(w.state, tampered)).toThrow(ScpAuthenticationError);
    });

    it(`${c.name}: the receipt also reproduces with node:crypto ECDH, X9.63 and CMAC`, () => {
      const s = start();
      const data = parseCommandApdu(s.output.at(-1)!).data;
      const response = parseResponseApdu(hexToBytes(c.mutualAuthenticateResponse)).data;
      const [ePkTlv, receipt] = parseTlvs(response, { recursive: false });
      const z = concatBytes(nodeEcdh(hexToBytes(v.oceEphemeralPrivateKey), ePkTlv!.value), nodeEcdh(hexToBytes(v.oceStaticPrivateKey), hexToBytes(v.sdPublicKey)));
      const keyData = nodeX963(z, Uint8Array.of(0x3c, 0x88, c.keyLength), 5 * c.keyLength);
      expect(hex(nodeCmac(keyData.subarray(0, c.keyLength), concatBytes(data, ePkTlv!.raw)))).toBe(hex(receipt!.value));
    });
  }
});

describe('SCP11b: independent cross-check over node:crypto (no published vector found)', () => {
  const pki = makePki();
  for (const keyLength of [16, 24, 32] as const) {
    it(`AES-${keyLength * 8}: our card's receipt equals a node:crypto recomputation, and our host accepts it`, () => {
      const host = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: pki.sd.publicKey, keyLength, random: seededRandom(keyLength) });
      const card = scp11CardAuthenticate(null, host.output[0]!, { keys: cardKeys(pki), random: seededRandom(100 + keyLength) });
      const data = parseCommandApdu(host.output[0]!).data;
      const [, oceKey] = parseTlvs(data, { recursive: false });
      const [sdKey, receipt] = parseTlvs(parseResponseApdu(card.output).data, { recursive: false });
      const eSkOce = hexToBytes(host.state.ephemeralPrivateKey);
      // Host view: ShSee = ECDH(eSK.OCE, ePK.SD), ShSes = ECDH(eSK.OCE, PK.SD).
      const zHost = concatBytes(nodeEcdh(eSkOce, sdKey!.value), nodeEcdh(eSkOce, pki.sd.publicKey));
      // Card view: ShSee = ECDH(eSK.SD, ePK.OCE) is not observable, but ShSes = ECDH(SK.SD, ePK.OCE) is.
      expect(bytesToHex(nodeEcdh(pki.sd.privateKey, oceKey!.value))).toBe(bytesToHex(zHost.subarray(32)));
      const keyData = nodeX963(zHost, Uint8Array.of(0x3c, 0x88, keyLength), 5 * keyLength);
      expect(bytesToHex(nodeCmac(keyData.subarray(0, keyLength), concatBytes(data, sdKey!.raw)))).toBe(bytesToHex(receipt!.value));
      const session = scp11HostFinish(host.state, card.output).state;
      expect(session.keys.sEnc).toBe(bytesToHex(keyData.subarray(keyLength, 2 * keyLength)));
      expect(session.keys.sDek).toBe(bytesToHex(keyData.subarray(4 * keyLength)));
      expect(card.state.keys).toEqual(session.keys);
    });
  }
});
