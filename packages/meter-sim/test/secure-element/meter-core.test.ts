// The meter core on the secure element: manufacture from a signed catalog (DAP-checked LOAD /
// INSTALL), certification by a manufacturer CA whose key the meter never holds, SCP11b set-up and
// level-33 commands through `handleDownlink`, restore from JSON mid-session, and refusal of a
// tampered or replayed wrapped command with nothing changed.
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
  parseResponseApdu,
  publicKeyOf,
  scp03UnwrapResponse,
  scp03WrapCommand,
  scp11HostFinish,
  scp11HostStart,
  utf8ToBytes,
  verifyCertificateChain,
  type CommandApdu,
  type RoutingHeader,
  type Scp03Session,
} from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { appletAidOf, manufactureMeterState, MeterCore, type MeterState } from '../../src/meter/meter-core';
import { appletCommand, collectCommand, selectCommand, signAppletSource } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { BILLING_SOURCE, compile, secureRandom as random } from './fixture';

const SD = hydraAid('sd', 'supplier');
const caKey = generateKeyPair(random).privateKey;
const ca = { id: bytesToHex(utf8ToBytes('hydra-mfr-ca')), publicKey: bytesToHex(publicKeyOf(caKey)) };
const publisher = generateKeyPair(random);

function manufacture(signature = bytesToHex(signAppletSource(BILLING_SOURCE, publisher.privateKey))): MeterState {
  return manufactureMeterState({
    worldId: 'w',
    meterId: 'w-m0001',
    startDate: '2025-01-01',
    parties: [{ partyId: 'supplier', aid: SD }],
    applets: [{ appletId: 'billing', version: '1.0.0', domain: 'supplier' }],
    catalog: { publisherPublicKey: bytesToHex(publisher.publicKey), applets: [{ id: 'billing', source: BILLING_SOURCE, signature }] },
    ca,
    compile,
    random,
  });
}

const metrology = () => ({ importWh: new Array<number>(48).fill(250), exportWh: new Array<number>(48).fill(0) });

/** What the manufacturer CA returns at registration (server-side in the app). */
function certify(core: MeterCore, key = caKey) {
  const registration = core.registration();
  const body = (subject: Uint8Array, role: 'sd' | 'oce', publicKey: string) =>
    bytesToHex(issueCertificate({ serial: random(8), issuerId: hexToBytes(ca.id), subjectId: subject, role, notBefore: 0, notAfter: 0xfffffff0, publicKey: hexToBytes(publicKey) }, key));
  return {
    meterId: registration.meterId,
    deviceCertificate: body(nameSubjectId(registration.meterId), 'oce', registration.devicePublicKey),
    domains: registration.domains.map((d) => ({ aid: d.aid, certificates: [body(hexToBytes(d.aid), 'sd', d.publicKey)] })),
  };
}

/** The supplier's end, sending APDUs as downlinks straight to the core. */
class Host {
  session: Scp03Session | null = null;
  constructor(public core: MeterCore) {}
  send(apdu: Uint8Array, messageClass: string, messageId = bytesToHex(random(16))): Uint8Array | null {
    const header: RoutingHeader = { messageId, worldId: 'w', meterId: 'w-m0001', partyId: 'supplier', appletId: 'billing', messageClass, direction: 'downlink' };
    const response = this.core.handleDownlink({ header, sealed: apdu });
    if (!response) return null;
    const uplink = this.core.state.pendingUplinks.find((u) => u.header.messageId === response.messageId);
    this.core.acknowledgeUplinks([response.messageId]);
    return uplink ? base64UrlToBytes(uplink.sealed) : null;
  }
  open(): void {
    this.send(encodeCommandApdu(selectCommand(SD)), 'session-setup');
    const chain = parseGetCertificatesResponse(this.send(buildGetCertificatesCommand(1, 0x13), 'session-setup') ?? new Uint8Array(0));
    const leaf = verifyCertificateChain(chain, { trustAnchors: [{ id: hexToBytes(ca.id), publicKey: hexToBytes(ca.publicKey) }], now: 1_735_689_600, leafRole: 'sd' });
    const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: leaf.publicKey, random });
    this.session = scp11HostFinish(start.state, this.send(start.output[0] ?? new Uint8Array(0), 'session-setup') ?? new Uint8Array(0)).state;
  }
  wrap(command: CommandApdu): Uint8Array {
    if (!this.session) throw new Error('no session');
    const { state, output } = scp03WrapCommand(this.session, command);
    this.session = state;
    return output;
  }
  secured(command: CommandApdu, messageClass: string) {
    const response = this.send(this.wrap(command), messageClass);
    if (!this.session || !response) throw new Error('no answer');
    const { state, output } = scp03UnwrapResponse(this.session, response);
    this.session = state;
    return output;
  }
}

const tariff = { id: 't1', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };

describe('meter core on the GlobalPlatform secure element', () => {
  it('loads and installs the factory applet through DAP-verified LOAD / INSTALL; a bad signature stops manufacture', () => {
    const state = manufacture();
    expect(Object.values(state.se.registry.applets).map((a) => [a.aid, a.lifecycle])).toEqual([[appletAidOf('billing'), 'SELECTABLE']]);
    expect(state.se.registry.domains[SD]?.scp11.certificates).toEqual([]);
    const forged = bytesToHex(signAppletSource(BILLING_SOURCE, generateKeyPair(random).privateKey));
    expect(() => manufacture(forged)).toThrow(/refused/);
  });

  it('accepts only certificates from the CA it was personalised with', () => {
    const core = new MeterCore({ state: manufacture(), compile, metrology, random });
    expect(() => core.installCertificates(certify(core, generateKeyPair(random).privateKey))).toThrow();
    expect(core.certified).toBe(false);
    core.installCertificates(certify(core));
    expect(core.certified).toBe(true);
  });

  it('bills over SCP11b + level-33 commands, and resumes the session after a restore from JSON', () => {
    const core = new MeterCore({ state: manufacture(), compile, metrology, random });
    core.installCertificates(certify(core));
    const host = new Host(core);
    host.open();
    expect(host.secured(selectCommand(appletAidOf('billing')), 'applet-command').sw).toBe(0x9000);
    expect(host.secured(appletCommand('set-tariff', { tariff }), 'set-tariff').sw).toBe(0x9000);
    // Meter restart: a new core from the persisted JSON; the supplier's session carries on.
    const restored = new MeterCore({ state: JSON.parse(JSON.stringify(core.state)) as MeterState, compile, metrology, random });
    host.core = restored;
    restored.advanceTo('2025-02-02');
    const collect = host.secured(collectCommand(), 'collect');
    expect(collect.sw).toBe(0x9000);
    const items = (JSON.parse(bytesToUtf8(collect.data)) as { items: { messageClass: string; body: { amountPence: number; importWh: number } }[] }).items;
    const bill = items.find((i) => i.messageClass === 'bill-statement');
    expect(bill?.body.importWh).toBe(31 * 48 * 250);
    expect(bill?.body.amountPence).toBe(Math.floor((31 * 48 * 250 * 24_500 + 31 * 60_990 * 1000 + 500_000) / 1_000_000));
  });

  it('meters nothing until the supplier commissions it with a tariff, then catches up to the same bill', () => {
    const core = new MeterCore({ state: manufacture(), compile, metrology, random });
    core.installCertificates(certify(core));
    expect(core.commissioned).toBe(false);
    expect(core.advanceTo('2025-02-02')).toBe(0);
    expect(core.state.nextDate).toBe('2025-01-01');
    const host = new Host(core);
    host.open();
    host.secured(selectCommand(appletAidOf('billing')), 'applet-command');
    expect(host.secured(appletCommand('set-tariff', { tariff }), 'set-tariff').sw).toBe(0x9000);
    expect(core.commissioned).toBe(true);
    expect(core.advanceTo('2025-02-02')).toBe(32);
    const items = (JSON.parse(bytesToUtf8(host.secured(collectCommand(), 'collect').data)) as { items: { messageClass: string; body: { period: string; importWh: number } }[] }).items;
    expect(items.filter((i) => i.messageClass === 'bill-statement').map((i) => [i.body.period, i.body.importWh])).toEqual([['2025-01', 31 * 48 * 250]]);
  });

  it('answers a tampered wrapped command 6982 and changes nothing; a replayed one likewise; a redelivered id is ignored', () => {
    const core = new MeterCore({ state: manufacture(), compile, metrology, random });
    core.installCertificates(certify(core));
    const host = new Host(core);
    host.open();
    host.secured(selectCommand(appletAidOf('billing')), 'applet-command');
    const wrapped = host.wrap(appletCommand('set-tariff', { tariff }));
    const tampered = wrapped.slice();
    tampered[8] = (tampered[8] ?? 0) ^ 1;
    const before = JSON.stringify(core.state.se);
    expect(parseResponseApdu(host.send(tampered, 'set-tariff') ?? new Uint8Array(0)).sw).toBe(0x6982);
    expect(JSON.stringify(core.state.se)).toBe(before);
    // The genuine command still goes through: the card's chain did not move.
    const id = bytesToHex(random(16));
    const answer = host.send(wrapped, 'set-tariff', id);
    expect(answer && parseResponseApdu(answer).sw).toBe(0x9000);
    const after = JSON.stringify(core.state.se);
    // Replayed under a new message id: the MAC chain has moved on.
    expect(parseResponseApdu(host.send(wrapped, 'set-tariff') ?? new Uint8Array(0)).sw).toBe(0x6982);
    expect(JSON.stringify(core.state.se)).toBe(after);
    // Redelivered under the same id: no second effect, no second answer.
    expect(host.send(wrapped, 'set-tariff', id)).toBeNull();
    // A class that does not match the APDU header the C-MAC covers is refused before the card sees it.
    expect(parseResponseApdu(host.send(host.wrap(collectCommand()), 'set-tariff') ?? new Uint8Array(0)).sw).toBe(0x6985);
    expect(parseResponseApdu(host.send(encodeCommandApdu(selectCommand(hydraAid('sd', 'dno'))), 'session-setup') ?? new Uint8Array(0)).sw).toBe(0x6985);
    expect(JSON.stringify(core.state.se)).toBe(after);
  });
});
