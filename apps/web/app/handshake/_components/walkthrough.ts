// One real SCP11b handshake with throwaway keys (a demonstration channel: no live key is ever
// shown), run with the same functions the meters and backends use, and every derived value
// recomputed independently from the transcript so the page can show how each byte came about.
import {
  aesCmac,
  bytesToHex,
  concatBytes,
  describeStatusWord,
  generateKeyPair,
  hexToBytes,
  issueCertificate,
  parseCommandApdu,
  parseResponseApdu,
  parseTlvs,
  scp03UnwrapCommand,
  scp03WrapCommand,
  scp11CardAuthenticate,
  scp11CardGetCertificates,
  scp11DeriveKeys,
  scp11HostFinish,
  scp11HostStart,
  utf8ToBytes,
  verifyCertificateChain,
  x963Kdf,
  type RandomSource,
  type Tlv,
} from '@hydra/globalplatform';
import { p256 } from '@noble/curves/nist.js';

/** A decoded TLV node for display. */
export interface TlvNode {
  tag: string;
  length: number;
  value: string;
  children: TlvNode[];
}

/** One step of the walkthrough: what was sent or computed, and how. */
export interface WalkStep {
  id: string;
  title: string;
  who: 'host' | 'card' | 'both';
  explanation: string;
  bytes?: string;
  tlv?: TlvNode[];
  fields?: { label: string; value: string; note?: string }[];
  status?: string;
}

// Containers whose values are data objects. Everything else is shown as a value: GP's public-key
// tag B0 sets the constructed bit but holds a plain point, so generic recursion would misread it.
const CONTAINERS = new Set([0x7f21, 0xbf21, 0xa6]);

function tree(list: readonly Tlv[]): TlvNode[] {
  return list.map((t) => ({
    tag: t.tag.toString(16).toUpperCase(),
    length: t.value.length,
    value: bytesToHex(t.value),
    children: CONTAINERS.has(t.tag) ? tree(parseTlvs(t.value, { recursive: false })) : [],
  }));
}

/** Decodes data objects one level at a time (see {@link CONTAINERS}). */
function decode(bytes: Uint8Array): TlvNode[] {
  return tree(parseTlvs(bytes, { recursive: false }));
}

const ecdhX = (privateKey: Uint8Array, publicKey: Uint8Array) => p256.getSharedSecret(privateKey, publicKey).slice(1);

/** Runs the handshake and returns its steps. */
export function runWalkthrough(random: RandomSource): WalkStep[] {
  const steps: WalkStep[] = [];
  const now = 1_767_225_600; // 2026-01-01, fixed so the demo certificate is valid whatever the wall clock says
  const ca = generateKeyPair(random);
  const sd = generateKeyPair(random);
  const caId = utf8ToBytes('DEMO-CA');
  const sdCert = issueCertificate(
    { serial: Uint8Array.of(1), issuerId: caId, subjectId: utf8ToBytes('DEMO-SD'), role: 'sd', notBefore: now - 86_400, notAfter: now + 86_400 * 365, publicKey: sd.publicKey },
    ca.privateKey,
  );
  steps.push({
    id: 'keys',
    title: 'Throwaway keys for this demonstration',
    who: 'both',
    explanation: 'A demo certificate authority signs the security domain’s static key (PK.SD.ECKA). A real meter’s keys are made the same way at manufacture — but never shown.',
    fields: [
      { label: 'CA public key', value: bytesToHex(ca.publicKey) },
      { label: 'PK.SD.ECKA (static, in the certificate)', value: bytesToHex(sd.publicKey) },
    ],
    tlv: decode(sdCert),
    bytes: bytesToHex(sdCert),
  });

  const cardKeys = { keyVersion: 1, sdPrivateKey: sd.privateKey, sdCertificates: [sdCert], oceTrustAnchors: [] };
  const getData = Uint8Array.of(0x80, 0xca, 0xbf, 0x21, 0x06, 0xa6, 0x04, 0x83, 0x02, 0x13, 0x01, 0x00);
  const certResponse = scp11CardGetCertificates(cardKeys, getData);
  const certParsed = parseResponseApdu(certResponse);
  steps.push({
    id: 'get-data',
    title: '1 · Host → card: GET DATA (BF21) — “show me your certificate”',
    who: 'host',
    explanation: 'CLA 80, INS CA, P1P2 BF21; the data names the key: A6 { 83 KID=13 (SCP11b) KVN=01 }.',
    bytes: bytesToHex(getData),
    tlv: decode(parseCommandApdu(getData).data),
  });
  steps.push({
    id: 'cert',
    title: '2 · Card → host: the certificate store',
    who: 'card',
    explanation: 'The security domain answers with its certificate chain (7F21 per certificate). The host verifies it against the CA it trusts and takes PK.SD.ECKA from it.',
    bytes: bytesToHex(certResponse),
    tlv: decode(certParsed.data),
    status: `${describeStatusWord(certParsed.sw).hex} ${describeStatusWord(certParsed.sw).meaning}`,
  });
  const leaf = verifyCertificateChain([sdCert], { trustAnchors: [{ id: caId, publicKey: ca.publicKey }], now, leafRole: 'sd' });

  const started = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: leaf.publicKey, keyLength: 16, random });
  const auth = started.output[started.output.length - 1];
  if (!auth) throw new Error('handshake: no authenticate command');
  const authApdu = parseCommandApdu(auth);
  steps.push({
    id: 'internal-authenticate',
    title: '3 · Host → card: INTERNAL AUTHENTICATE with the host’s ephemeral key',
    who: 'host',
    explanation: 'The host makes a fresh ephemeral key pair (eSK.OCE / ePK.OCE) and sends ePK.OCE (5F49) with the control reference template A6: SCP11b, key usage 3C (C-MAC, R-MAC, C-ENC, R-ENC), AES, 16-byte keys.',
    bytes: bytesToHex(auth),
    tlv: decode(authApdu.data),
  });

  const card = scp11CardAuthenticate(null, auth, { keys: cardKeys, random });
  const answer = parseResponseApdu(card.output);
  const answerTlv = parseTlvs(answer.data, { recursive: false });
  steps.push({
    id: 'card-answer',
    title: '4 · Card → host: its ephemeral key and the receipt',
    who: 'card',
    explanation: 'The card makes its own ephemeral pair, agrees two secrets, derives the session keys and proves it with a receipt (86): an AES-CMAC over both sides’ key-agreement data.',
    bytes: bytesToHex(card.output),
    tlv: decode(answer.data),
    status: `${describeStatusWord(answer.sw).hex} ${describeStatusWord(answer.sw).meaning}`,
  });

  // Recompute every derived value from the transcript, independently of the handshake code.
  const eSkOce = hexToBytes(started.state.ephemeralPrivateKey);
  const ePkSd = answerTlv.find((t) => t.tag === 0x5f49)?.value ?? new Uint8Array(0);
  const receipt = answerTlv.find((t) => t.tag === 0x86)?.value ?? new Uint8Array(0);
  const shSee = ecdhX(eSkOce, ePkSd);
  const shSes = ecdhX(eSkOce, leaf.publicKey);
  const sharedInfo = Uint8Array.of(0x3c, 0x88, 0x10);
  const keyData = x963Kdf(concatBytes(shSee, shSes), sharedInfo, 80);
  const keys = scp11DeriveKeys(shSee, shSes, 16);
  const receiptInput = concatBytes(authApdu.data, answerTlv.find((t) => t.tag === 0x5f49)?.raw ?? new Uint8Array(0));
  const recomputedReceipt = aesCmac(keys.receipt, receiptInput);
  steps.push({
    id: 'derive',
    title: '5 · Both sides: key agreement and key derivation',
    who: 'both',
    explanation: 'SCP11b (GP Amendment F §6.5): ShSee = ECDH(eSK.OCE, ePK.SD), ShSes = ECDH(eSK.OCE, PK.SD). The X9.63 KDF with SHA-256 over ShSee ‖ ShSes and SharedInfo (key usage ‖ key type ‖ length) gives 80 bytes, cut into five 16-byte keys.',
    fields: [
      { label: 'ShSee (ephemeral–ephemeral)', value: bytesToHex(shSee) },
      { label: 'ShSes (ephemeral–static)', value: bytesToHex(shSes) },
      { label: 'SharedInfo', value: bytesToHex(sharedInfo), note: '3C key usage · 88 AES · 10 = 16-byte keys' },
      { label: 'KDF output (80 bytes)', value: bytesToHex(keyData) },
      { label: 'Receipt key', value: bytesToHex(keys.receipt) },
      { label: 'S-ENC', value: bytesToHex(keys.sEnc) },
      { label: 'S-MAC', value: bytesToHex(keys.sMac) },
      { label: 'S-RMAC', value: bytesToHex(keys.sRmac) },
      { label: 'S-DEK', value: bytesToHex(keys.sDek) },
    ],
  });
  const host = scp11HostFinish(started.state, card.output);
  steps.push({
    id: 'receipt',
    title: '6 · Host: check the receipt',
    who: 'host',
    explanation: 'Receipt = AES-CMAC(receipt key, A6… ‖ 5F49 ePK.OCE ‖ 5F49 ePK.SD). Recomputed here from the bytes above; the host opens the session only if it matches the card’s — and it becomes the first MAC chaining value.',
    fields: [
      { label: 'Receipt input', value: bytesToHex(receiptInput) },
      { label: 'Receipt from the card', value: bytesToHex(receipt) },
      { label: 'Receipt recomputed here', value: bytesToHex(recomputedReceipt), note: bytesToHex(recomputedReceipt) === bytesToHex(receipt) ? 'matches' : 'DOES NOT MATCH' },
      { label: 'Host session keys agree with the card’s', value: String(host.state.keys.sMac === card.state.keys.sMac && host.state.keys.sEnc === card.state.keys.sEnc) },
    ],
  });

  const select = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hexToBytes('A00000015142494C4C494E47'), le: 0 };
  const wrapped = scp03WrapCommand(host.state, select);
  const unwrapped = scp03UnwrapCommand(card.state, wrapped.output);
  steps.push({
    id: 'first-command',
    title: '7 · Host → card: the first command under secure messaging (level 33)',
    who: 'host',
    explanation: 'SELECT of an applet, as the party sees it (plain) and as the relay sees it (wrapped): the data is AES-CBC encrypted under S-ENC with an ICV from the encryption counter, then an 8-byte C-MAC under S-MAC chains from the receipt. The card unwraps it back to the plain command.',
    fields: [
      { label: 'Plain (party’s view)', value: bytesToHex(concatBytes(Uint8Array.of(select.cla, select.ins, select.p1, select.p2, select.data.length), select.data, Uint8Array.of(0))) },
      { label: 'Wrapped (relay’s view)', value: bytesToHex(wrapped.output) },
      { label: 'Card unwrapped data', value: bytesToHex(unwrapped.output.data), note: bytesToHex(unwrapped.output.data) === bytesToHex(select.data) ? 'same as sent' : 'differs' },
    ],
  });
  return steps;
}
