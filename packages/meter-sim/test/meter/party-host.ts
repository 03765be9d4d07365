/**
 * Test helpers for meter cores with every published applet: a catalog signed by a test publisher,
 * a test manufacturer CA that certifies a meter's domains, and a party's end of its channel that
 * speaks to the core through `handleDownlink` exactly as the relay delivers commands (SCP11b
 * set-up, then SCP03 level-33 commands under the party's own session).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  base64UrlToBytes,
  buildGetCertificatesCommand,
  bytesToHex,
  bytesToUtf8,
  encodeCommandApdu,
  generateKeyPair,
  hexToBytes,
  issueCertificate,
  nameSubjectId,
  parseGetCertificatesResponse,
  publicKeyOf,
  scp03UnwrapResponse,
  scp03WrapCommand,
  scp11HostFinish,
  scp11HostStart,
  signMessage,
  utf8ToBytes,
  verifyCertificateChain,
  type CommandApdu,
  type Json,
  type ResponseApdu,
  type RoutingHeader,
  type Scp03Session,
} from '@hydra/globalplatform';
import { canonicalJson } from '../../src/meter/householder';
import { appletAidOf, type MeterCore, type SignedCatalog } from '../../src/meter/meter-core';
import { appletCommand, collectCommand, selectCommand, signAppletSource } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { secureRandom as random } from '../secure-element/fixture';

const APPLETS = ['billing', 'power-quality', 'load-control', 'aggregation', 'telecare', 'insights'];
const publisher = generateKeyPair(random);

/** Every published applet, signed by the test publisher. */
export const CATALOG: SignedCatalog = {
  publisherPublicKey: bytesToHex(publisher.publicKey),
  applets: APPLETS.map((id) => {
    const source = readFileSync(fileURLToPath(new URL(`../../applets/${id}.js`, import.meta.url)), 'utf8');
    return { id, source, signature: bytesToHex(signAppletSource(source, publisher.privateKey)) };
  }),
};

const caKey = generateKeyPair(random).privateKey;
/** The test manufacturer CA as meters know it. */
export const CA = { id: bytesToHex(utf8ToBytes('hydra-mfr-ca')), publicKey: bytesToHex(publicKeyOf(caKey)) };

/** Certifies a meter's device and remote domains (what the relay's manufacturer CA does) and installs them. */
export function certify(core: MeterCore): void {
  const registration = core.registration();
  const issue = (subject: Uint8Array, role: 'sd' | 'oce', publicKey: string) =>
    bytesToHex(issueCertificate({ serial: random(8), issuerId: hexToBytes(CA.id), subjectId: subject, role, notBefore: 0, notAfter: 0xfffffff0, publicKey: hexToBytes(publicKey) }, caKey));
  core.installCertificates({
    meterId: registration.meterId,
    deviceCertificate: issue(nameSubjectId(registration.meterId), 'oce', registration.devicePublicKey),
    domains: registration.domains.map((d) => ({ aid: d.aid, certificates: [issue(hexToBytes(d.aid), 'sd', d.publicKey)] })),
  });
}

/** A signing key of a party (DNO command key, supplier tariff key) with canonical-JSON signatures. */
export interface PartySigner {
  publicKeyHex: string;
  sign(document: Json): string;
}

/** A fresh signing key. */
export function partySigner(): PartySigner {
  const keys = generateKeyPair(random);
  return { publicKeyHex: bytesToHex(keys.publicKey), sign: (document) => bytesToHex(signMessage(utf8ToBytes(canonicalJson(document)), keys.privateKey)) };
}

/** One party's end of its channel to its own security domain on one meter. */
export class PartyHost {
  private session: Scp03Session | null = null;
  private selected: string | null = null;

  constructor(
    public core: MeterCore,
    readonly partyId: string,
  ) {}

  private deliver(apdu: Uint8Array, messageClass: string, appletId: string): Uint8Array {
    const header: RoutingHeader = {
      messageId: bytesToHex(random(16)),
      worldId: this.core.state.worldId,
      meterId: this.core.state.meterId,
      partyId: this.partyId,
      appletId,
      messageClass,
      direction: 'downlink',
    };
    const response = this.core.handleDownlink({ header, sealed: apdu });
    if (!response) throw new Error('the meter did not answer');
    const uplink = this.core.state.pendingUplinks.find((u) => u.header.messageId === response.messageId);
    this.core.acknowledgeUplinks([response.messageId]);
    if (!uplink) throw new Error('no uplink queued');
    return base64UrlToBytes(uplink.sealed);
  }

  private open(appletId: string): void {
    const sdAid = hydraAid('sd', this.partyId);
    this.deliver(encodeCommandApdu(selectCommand(sdAid)), 'session-setup', appletId);
    const chain = parseGetCertificatesResponse(this.deliver(buildGetCertificatesCommand(1, 0x13), 'session-setup', appletId));
    const leaf = verifyCertificateChain(chain, { trustAnchors: [{ id: hexToBytes(CA.id), publicKey: hexToBytes(CA.publicKey) }], now: 1_735_689_600, leafRole: 'sd' });
    const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: leaf.publicKey, random });
    this.session = scp11HostFinish(start.state, this.deliver(start.output[0] ?? new Uint8Array(0), 'session-setup', appletId)).state;
    this.selected = null;
  }

  /** Sends one command to the party's applet (opening the channel and selecting the applet first). */
  secured(appletId: string, command: CommandApdu, messageClass: string): ResponseApdu {
    if (!this.session) this.open(appletId);
    if (this.selected !== appletId) {
      this.selected = appletId;
      const answer = this.secured(appletId, selectCommand(appletAidOf(appletId)), 'applet-command');
      if (answer.sw !== 0x9000) {
        this.selected = null;
        return answer;
      }
    }
    if (!this.session) throw new Error('no session');
    const wrapped = scp03WrapCommand(this.session, command);
    this.session = wrapped.state;
    const raw = this.deliver(wrapped.output, messageClass, appletId);
    const { state, output } = scp03UnwrapResponse(this.session, raw);
    this.session = state;
    return output;
  }

  /** An applet command (80 D0) and its parsed body. */
  command(appletId: string, name: string, body: { [key: string]: Json } = {}, messageClass = 'applet-command'): { sw: number; body: { [key: string]: Json } } {
    const answer = this.secured(appletId, appletCommand(name, body), messageClass);
    return { sw: answer.sw, body: answer.data.length > 0 ? (JSON.parse(bytesToUtf8(answer.data)) as { [key: string]: Json }) : {} };
  }

  /** COLLECT (80 C0): the applet's outbox items. */
  collect(appletId: string): { messageClass: string; body: { [key: string]: Json } }[] {
    const answer = this.secured(appletId, collectCommand(), 'collect');
    if (answer.sw !== 0x9000 && answer.sw !== 0x6310) throw new Error(`COLLECT answered ${answer.sw.toString(16)}`);
    return (JSON.parse(bytesToUtf8(answer.data)) as { items: { messageClass: string; body: { [key: string]: Json } }[] }).items;
  }
}

/** Signs a document with the householder key the meter host keeps for the in-home display. */
export function householderSign(core: MeterCore, document: Json): string {
  return bytesToHex(signMessage(utf8ToBytes(canonicalJson(document)), hexToBytes(core.state.householder.privateKey)));
}
