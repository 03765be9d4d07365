import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@hydra/globalplatform';
import { makeWorld, probeSource, swOf } from './fixture';
import { decodePrivileges, encodePrivileges } from '../../src/secure-element/privileges';
import { appletCommand, hydraAid, installForInstallCommand, installForMakeSelectableCommand, ISSUER_AID, selectCommand, setStatusCommand, transmit } from '../../src/secure-element/index';

const PROBE = hydraAid('applet', 'probe');

describe('GP §11.1.2 privileges', () => {
  it('encodes GP privilege bits (SD 80, DAP C0, Authorized Management 0040, Card Lock 10) and the simulator metrology bit', () => {
    expect(encodePrivileges(['security-domain', 'dap-verification', 'authorized-management'])).toEqual(Uint8Array.of(0xc0, 0x40, 0x00));
    expect(encodePrivileges(['card-lock', 'card-terminate', 'global-delete'])).toEqual(Uint8Array.of(0x18, 0x10, 0x00));
    expect(encodePrivileges(['metrology'])).toEqual(Uint8Array.of(0, 0, 0x01));
    expect(decodePrivileges(Uint8Array.of(0xa0, 0, 0))).toEqual(['security-domain', 'delegated-management']);
    expect(decodePrivileges(Uint8Array.of(0))).toEqual([]);
    expect(() => decodePrivileges(Uint8Array.of(0, 0x80, 0))).toThrow(RangeError);
    expect(() => decodePrivileges(Uint8Array.of(0, 0))).toThrow(RangeError);
  });
});

describe('GP §5.1.1 card life cycle through SET STATUS (80 F0 80 xx)', () => {
  it('goes OP_READY → INITIALIZED → SECURED → CARD_LOCKED → SECURED → TERMINATED, refusing backward steps', () => {
    const world = makeWorld({ cardLifecycle: 'OP_READY' });
    const party = world.open('supplier'); // a party channel opened first, to see it refused later
    const issuer = world.openIssuer();
    expect(issuer.send(setStatusCommand(0x80, 0x07)).sw).toBe(0x9000);
    expect(world.se.state.cardLifecycle).toBe('INITIALIZED');
    expect(issuer.send(setStatusCommand(0x80, 0x01)).sw).toBe(0x6985);
    expect(issuer.send(setStatusCommand(0x80, 0x42)).sw).toBe(0x6a80);
    expect(issuer.send(setStatusCommand(0x80, 0x0f)).sw).toBe(0x9000);
    expect(issuer.send(setStatusCommand(0x80, 0x7f)).sw).toBe(0x9000);
    expect(world.se.state.cardLifecycle).toBe('CARD_LOCKED');
    // GP §5.1.1.4: only the ISD is selectable on a locked card; a party's open channel is refused.
    expect(swOf(transmit(world.se, 'p', selectCommand(world.sdAid('dno'))))).toBe(0x6985);
    expect(party.send(appletCommand('x')).sw).toBe(0x6985);
    expect(issuer.send(setStatusCommand(0x80, 0x0f)).sw).toBe(0x9000);
    expect(swOf(transmit(world.se, 'p', selectCommand(world.sdAid('dno'))))).toBe(0x9000);
    expect(issuer.send(setStatusCommand(0x80, 0xff)).sw).toBe(0x9000);
    expect(world.se.state.cardLifecycle).toBe('TERMINATED');
    expect(swOf(transmit(world.se, 'p', selectCommand(ISSUER_AID)))).toBe(0x6985);
  });

  it('refuses a party domain changing the card life cycle (6982) and records it', () => {
    const world = makeWorld();
    const host = world.open('dno');
    expect(host.send(setStatusCommand(0x80, 0x7f)).sw).toBe(0x6982);
    expect(world.se.state.cardLifecycle).toBe('SECURED');
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'firewall.foreign-domain', actor: world.sdAid('dno'), target: 'card' });
  });
});


describe('GP §5.1.3 application life cycle', () => {
  it('INSTALLED is not selectable until INSTALL [for make selectable]; LOCKED refuses selection and commands; unlock restores', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const source = probeSource();
    world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
    expect(host.send(installForInstallCommand({ elfAid: hydraAid('elf', 'probe'), appletAid: PROBE, makeSelectable: false })).sw).toBe(0x9000);
    expect(world.se.state.registry.applets[PROBE]?.lifecycle).toBe('INSTALLED');
    expect(host.send(selectCommand(PROBE)).sw).toBe(0x6999);
    expect(host.send(installForMakeSelectableCommand(PROBE)).sw).toBe(0x9000);
    expect(host.send(installForMakeSelectableCommand(PROBE)).sw).toBe(0x6985);
    expect(host.send(selectCommand(PROBE)).sw).toBe(0x9000);
    const control = world.open('supplier');
    expect(control.send(setStatusCommand(0x40, 0x83, PROBE)).sw).toBe(0x9000);
    expect(world.se.state.registry.applets[PROBE]).toMatchObject({ lifecycle: 'SELECTABLE', locked: true });
    expect(host.send(appletCommand('get', { key: 'a' })).sw).toBe(0x6985);
    expect(control.send(selectCommand(PROBE)).sw).toBe(0x6999);
    expect(control.send(setStatusCommand(0x40, 0x83, PROBE)).sw).toBe(0x6985);
    expect(control.send(setStatusCommand(0x40, 0x07, PROBE)).sw).toBe(0x9000);
    expect(world.se.state.registry.applets[PROBE]).toMatchObject({ lifecycle: 'SELECTABLE', locked: false });
    expect(host.send(appletCommand('get', { key: 'a' })).sw).toBe(0x9000);
    // Another party cannot lock it.
    expect(world.open('dno').send(setStatusCommand(0x40, 0x83, PROBE)).sw).toBe(0x6982);
    expect(hexToBytes(PROBE).length).toBeLessThanOrEqual(16);
  });
});
