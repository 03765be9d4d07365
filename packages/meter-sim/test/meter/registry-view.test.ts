// The inspector's registry view of a real meter: every domain, load file and applet with its life
// cycle and privileges, the DAP check redone from the published signature — and no key at all.
import { bytesToHex, generateKeyPair, signPackage, utf8ToBytes } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { appletAidOf } from '../../src/meter/meter-core';
import { appletSourceHash } from '../../src/secure-element/index';
import { hydraAid, ISSUER_AID } from '../../src/secure-element/registry';
import { describeSecureElement } from '../../src/secure-element/registry-view';
import { BILLING_SOURCE, billingSignature, certifiedMeter, random } from './certified-meter';

describe('describeSecureElement', () => {
  it('lists the card, the issuer domain, each party domain, the billing load file and instance from the real state', () => {
    const core = certifiedMeter();
    const view = describeSecureElement(core.state.se, { signatures: { billing: billingSignature } });
    expect(view.cardLifecycle).toBe('SECURED');
    expect(view.cardLifecycleByte).toBe('0f');
    expect(view.issuer).toMatchObject({ aid: ISSUER_AID, party: null, privileges: expect.arrayContaining(['authorized-management', 'card-lock']) });
    expect(view.domains.map((d) => [d.party, d.aid, d.lifecycle, d.certificates, d.scp03KeyVersion, d.scp11KeyVersion, d.hasDapKey])).toEqual(
      ['supplier', 'dno', 'telecare'].map((party) => [party, hydraAid('sd', party), 'PERSONALIZED', 1, 1, 1, true]),
    );
    expect(view.domains[0]?.privilegeBytes).toBe('c04001');
    expect(view.loadFiles).toEqual([
      expect.objectContaining({ aid: hydraAid('elf', 'billing'), appletId: 'billing', owner: 'supplier', sdAid: hydraAid('sd', 'supplier'), hash: appletSourceHash(BILLING_SOURCE), hashMatchesSource: true, dapVerified: true }),
    ]);
    expect(view.applets).toEqual([expect.objectContaining({ aid: appletAidOf('billing'), appletId: 'billing', lifecycle: 'SELECTABLE', lifecycleByte: '07', locked: false, privileges: ['metrology'], sdAid: hydraAid('sd', 'supplier') })]);
  });

  it('reports a DAP that does not verify, a source that no longer matches its hash, and no check without a signature', () => {
    const core = certifiedMeter();
    const forged = bytesToHex(signPackage(utf8ToBytes(BILLING_SOURCE), generateKeyPair(random).privateKey));
    expect(describeSecureElement(core.state.se, { signatures: { billing: forged } }).loadFiles[0]?.dapVerified).toBe(false);
    expect(describeSecureElement(core.state.se, { signatures: { billing: 'zz' } }).loadFiles[0]?.dapVerified).toBe(false);
    expect(describeSecureElement(core.state.se).loadFiles[0]?.dapVerified).toBeNull();
    const altered = structuredClone(core.state.se);
    const file = Object.values(altered.registry.loadFiles)[0];
    if (file) file.source += ' ';
    expect(describeSecureElement(altered).loadFiles[0]?.hashMatchesSource).toBe(false);
  });

  it('carries no key material, public or private', () => {
    const core = certifiedMeter();
    const text = JSON.stringify(describeSecureElement(core.state.se, { signatures: { billing: billingSignature } })).toLowerCase();
    for (const domain of Object.values(core.state.se.registry.domains)) {
      for (const key of [domain.scp03.enc, domain.scp03.mac, domain.scp03.dek, domain.scp11.privateKey, domain.scp11.publicKey, ...domain.scp11.certificates]) expect(text).not.toContain(key);
      if (domain.dapPublicKey) expect(text).not.toContain(domain.dapPublicKey);
    }
    expect(text).not.toContain(core.state.device.privateKey);
    expect(text).not.toMatch(/privatekey|"enc"|"mac"|"dek"/);
  });

  it('refuses something that is not a secure element state', () => {
    expect(() => describeSecureElement({} as never)).toThrow(TypeError);
    expect(() => describeSecureElement(null as never)).toThrow(TypeError);
  });
});
